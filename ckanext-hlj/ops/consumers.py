"""Who is consuming the harvest queues: ckanext-harvest's gather and fetch consumers, seen from Redis.

ckanext-harvest's Redis consumer (``RedisConsumer``) is a bare ``BLPOP`` loop on a list; it writes no heartbeat and
registers nowhere, so a queue with no consumer looks exactly like an idle one. The `hlj_ops` plugin therefore names
the Redis connection of every consumer it starts (``CLIENT SETNAME``, set on the connection pool, so a reconnect is
named too)::

    hlj-harvest-<gather|fetch>:<site id>:<host>:<pid>

and the health check lists Redis's clients (``CLIENT LIST``): a consumer process that exits or dies closes its
connection and disappears from the list at once. What this cannot see is a consumer that is alive but stuck inside
one long harvest object; the check reports how long each consumer has been idle and the age of the oldest waiting
item instead.

Standard library only at import time: docker/ckan/healthcheck.py imports this module outside CKAN.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import socket
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

KINDS = ("gather", "fetch")
PREFIX = "hlj-harvest-"
_MARK = "_hlj_named_consumer"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _safe(value: str) -> str:
    return _UNSAFE.sub("_", value) or "_"


def client_name(kind: str, site_id: str, host: str | None = None, pid: int | None = None) -> str:
    """The Redis client name of a ``kind`` consumer of site ``site_id`` (no spaces: Redis refuses them)."""
    if kind not in KINDS:
        raise ValueError(f"unknown harvest consumer kind {kind!r}")
    host = host or socket.gethostname()
    pid = os.getpid() if pid is None else pid
    return f"{PREFIX}{kind}:{_safe(site_id)}:{_safe(host)}:{pid}"


def name_prefix(kind: str, site_id: str) -> str:
    return f"{PREFIX}{kind}:{_safe(site_id)}:"


def parse_client_list(text: str | Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """``CLIENT LIST`` as a list of dicts (redis-py already parses it; raw text is parsed here)."""
    if not isinstance(text, str):
        return [{k: str(v) for k, v in client.items()} for client in text]
    clients = []
    for line in text.splitlines():
        fields = dict(part.split("=", 1) for part in line.split(" ") if "=" in part)
        if fields:
            clients.append(fields)
    return clients


def live_consumers(
    clients: Iterable[dict[str, str]], kind: str, site_id: str, db: int | None = None, host: str | None = None
) -> list[dict[str, str]]:
    """The clients that are ``kind`` consumers of ``site_id`` (on Redis database ``db`` and host ``host``, when
    given)."""
    prefix = name_prefix(kind, site_id)
    found = []
    for client in clients:
        name = client.get("name", "")
        if not name.startswith(prefix):
            continue
        if db is not None and str(client.get("db")) != str(db):
            continue
        if host is not None and name[len(prefix) :].rsplit(":", 1)[0] != _safe(host):
            continue
        found.append(client)
    return found


def describe(client: dict[str, str]) -> dict[str, Any]:
    """What the health output shows of one consumer: host, pid, what it is doing, idle seconds."""
    parts = client.get("name", "").split(":")
    return {
        "host": parts[2] if len(parts) > 3 else None,
        "pid": int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else None,
        "waiting": client.get("cmd") == "blpop",
        "idle_s": int(client.get("idle", "0") or 0),
    }


def _named(factory, kind: str):
    @functools.wraps(factory)
    def consumer():
        result = factory()
        pool = getattr(getattr(result, "redis", None), "connection_pool", None)
        if pool is not None:  # Redis backend (AMQP consumers are channels: nothing to name)
            from ckan.plugins.toolkit import config  # noqa: PLC0415 - only inside a CKAN process

            name = client_name(kind, config.get("ckan.site_id") or "default")
            pool.connection_kwargs["client_name"] = name
            pool.disconnect()  # a connection made before naming is reopened, named
            log.info("harvest %s consumer: Redis connection named %s", kind, name)
        return result

    setattr(consumer, _MARK, True)
    return consumer


def install() -> None:
    """Name the Redis connections of the consumers ckanext-harvest's CLI starts (idempotent; a no-op without
    ckanext-harvest)."""
    try:
        from ckanext.harvest import queue  # noqa: PLC0415
    except ImportError:
        return
    for kind in KINDS:
        attr = f"get_{kind}_consumer"
        current = getattr(queue, attr)
        if not getattr(current, _MARK, False):
            setattr(queue, attr, _named(current, kind))
