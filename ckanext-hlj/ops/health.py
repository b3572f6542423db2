"""Is the portal alive: PostgreSQL (CKAN and DataStore), Solr, Redis, the jobs workers and the harvest consumers.

``run()`` performs every check concurrently, each bounded by ``ckanext.hlj.health.timeout`` seconds, and returns::

    {"status": "ok" | "fail", "checks": {NAME: {"ok", "required", "detail", "latency_ms", ...}}, "time": ...}

``status`` is "ok" when every check named in ``ckanext.hlj.health.required`` passed; the others are reported but do
not fail the whole. Every check reads its target from the configuration when it runs (so a test can point one at a
dead port) and opens its own short-lived connection rather than CKAN's pools, so a dead service fails fast instead
of hanging a pooled connection. Nothing secret reaches the output: no URL is echoed, and every password found in
the configured URLs is blanked out of error messages.

Checks:

- ``postgres``: ``SELECT 1`` on ``sqlalchemy.url``.
- ``datastore``: the same on ``ckan.datastore.write_url`` and ``ckan.datastore.read_url``.
- ``solr``: ``<solr_url>/admin/ping`` answers status OK.
- ``redis``: ``PING`` on ``ckan.redis.url``.
- ``workers``: rq workers registered for CKAN's queues (``ckan:<site_id>:…``). rq keeps a worker's key only while
  its heartbeat is fresh (worker_ttl + 60 s), so a worker that stopped or lost Redis drops out; at least
  ``ckanext.hlj.health.min_workers`` must be there. Also reports each queue's waiting jobs.
- ``harvest_gather`` / ``harvest_fetch``: consumers connected to Redis under the names the `hlj_ops` plugin gives
  them (ckanext-hlj/ops/consumers.py), at least ``ckanext.hlj.health.min_consumers`` each, plus the queue's depth
  and the age of its oldest waiting item.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.ops import consumers

CHECKS = ("postgres", "datastore", "solr", "redis", "workers", "harvest_gather", "harvest_fetch")
DEFAULT_REQUIRED = " ".join(CHECKS)

_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]*@", re.I)


class CheckFailed(Exception):
    """A check ran and the service is not as it should be (as opposed to an unexpected error)."""


# --- configuration ----------------------------------------------------------------------------------------------


def timeout() -> float:
    return float(tk.config.get("ckanext.hlj.health.timeout") or 3)


def required() -> set[str]:
    value = tk.config.get("ckanext.hlj.health.required")
    if value is None:
        value = DEFAULT_REQUIRED
    names = value.split() if isinstance(value, str) else list(value)
    return {n for n in names if n}


def _secrets() -> list[str]:
    """Passwords that must never appear in the output: those of every URL the checks read, and Solr's."""
    found = []
    for key in (
        "sqlalchemy.url",
        "ckan.datastore.write_url",
        "ckan.datastore.read_url",
        "ckan.redis.url",
        "solr_url",
    ):
        url = tk.config.get(key)
        if url:
            password = urllib.parse.urlsplit(url).password
            if password:
                found += [password, urllib.parse.unquote(password)]
    for key in ("solr_password", "ckan.harvest.mq.password"):
        if tk.config.get(key):
            found.append(str(tk.config.get(key)))
    return [s for s in found if s]


def scrub(text: str, secrets: list[str] | None = None) -> str:
    """``text`` without URL credentials or any configured password."""
    text = _USERINFO.sub(r"\g<scheme>***@", text)
    for secret in sorted(secrets if secrets is not None else _secrets(), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _libpq_url(url: str) -> str:
    """SQLAlchemy's ``postgresql+psycopg2://`` is libpq's ``postgresql://``."""
    return re.sub(r"^postgres(?:ql)?\+[a-z0-9]+://", "postgresql://", url)


# --- the checks ---------------------------------------------------------------------------------------------------


def _sql(url: str, statement: str = "SELECT 1") -> Any:
    import psycopg2  # noqa: PLC0415

    seconds = max(1, round(timeout()))
    conn = psycopg2.connect(
        _libpq_url(url),
        connect_timeout=seconds,
        options=f"-c statement_timeout={seconds * 1000}",
        application_name="hlj-health",
    )
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchone()
    finally:
        conn.close()


def _where(url: str) -> str:
    """Database name of a URL, for the detail (never host, user or password)."""
    return urllib.parse.urlsplit(url).path.lstrip("/") or "?"


def check_postgres() -> dict[str, Any]:
    url = tk.config.get("sqlalchemy.url")
    if not url:
        raise CheckFailed("sqlalchemy.url is not configured")
    (version,) = _sql(url, "SHOW server_version")
    return {"detail": f"database {_where(url)} answers (PostgreSQL {version.split()[0]})"}


def check_datastore() -> dict[str, Any]:
    write = tk.config.get("ckan.datastore.write_url")
    read = tk.config.get("ckan.datastore.read_url")
    if not write or not read:
        raise CheckFailed("ckan.datastore.write_url / read_url are not configured")
    _sql(write)
    _sql(read)
    return {"detail": f"database {_where(write)} answers on the write and the read URL"}


def _redis():
    import redis  # noqa: PLC0415

    url = tk.config.get("ckan.redis.url")
    if not url:
        raise CheckFailed("ckan.redis.url is not configured")
    seconds = timeout()
    return redis.Redis.from_url(
        url, socket_timeout=seconds, socket_connect_timeout=seconds, decode_responses=True
    )


def check_solr() -> dict[str, Any]:
    import requests  # noqa: PLC0415

    url = tk.config.get("solr_url")
    if not url:
        raise CheckFailed("solr_url is not configured")
    auth = None
    if tk.config.get("solr_user") and tk.config.get("solr_password"):
        auth = (tk.config.get("solr_user"), tk.config.get("solr_password"))
    response = requests.get(
        url.rstrip("/") + "/admin/ping", params={"wt": "json"}, timeout=timeout(), auth=auth
    )
    if response.status_code != 200:
        raise CheckFailed(f"ping answered HTTP {response.status_code}")
    status = response.json().get("status")
    if status != "OK":
        raise CheckFailed(f"ping answered status {status!r}")
    core = urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return {"detail": f"core {core} answers ping"}


def check_redis() -> dict[str, Any]:
    conn = _redis()
    conn.ping()
    return {"detail": f"redis {conn.info('server').get('redis_version', '?')} answers PING"}


def _ckan_queue_prefix() -> str:
    return f"ckan:{tk.config.get('ckan.site_id')}:"


def check_workers() -> dict[str, Any]:
    from rq import Worker  # noqa: PLC0415

    conn = _redis()
    prefix = _ckan_queue_prefix()
    now = dt.datetime.now(dt.UTC)
    workers = []
    for worker in Worker.all(connection=conn):
        queues = [q for q in worker.queue_names() if q.startswith(prefix)]
        if not queues:
            continue  # another site's workers on the same Redis
        beat = worker.last_heartbeat
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=dt.UTC)
        workers.append(
            {
                "host": worker.hostname,
                "pid": worker.pid,
                "state": str(getattr(worker.get_state(), "value", worker.get_state())),
                "queues": [q[len(prefix) :] for q in queues],
                "heartbeat_age_s": round((now - beat).total_seconds()) if beat else None,
            }
        )
    waiting = {}
    for key in conn.scan_iter(match=f"rq:queue:{prefix}*", count=100):
        if conn.type(key) == "list":
            waiting[key[len("rq:queue:") + len(prefix) :]] = conn.llen(key)
    wanted = int(tk.config.get("ckanext.hlj.health.min_workers") or 1)
    extra = {"workers": workers, "queued_jobs": waiting}
    if len(workers) < wanted:
        raise CheckFailed(f"{len(workers)} jobs worker(s) alive, {wanted} wanted", extra)
    return {"detail": f"{len(workers)} jobs worker(s) alive", **extra}


def _oldest_waiting(conn, routing_key: str, kind: str) -> float | None:
    """Seconds since the item at the head of the queue was created (harvest job) or gathered (harvest object)."""
    head = conn.lindex(routing_key, 0)
    if not head:
        return None
    try:
        item_id = json.loads(head)[routing_key.rsplit(":", 1)[-1]]
    except (ValueError, KeyError, TypeError):
        return None
    table, column = ("harvest_job", "created") if kind == "gather" else ("harvest_object", "gathered")
    row = _sql_params(
        tk.config.get("sqlalchemy.url"),
        f"SELECT extract(epoch FROM (now() at time zone 'utc') - {column}) FROM {table} WHERE id = %s",
        (item_id,),
    )
    return round(float(row[0])) if row and row[0] is not None else None


def _sql_params(url: str, statement: str, params: tuple) -> Any:
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(_libpq_url(url), connect_timeout=max(1, round(timeout())))
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchone()
    finally:
        conn.close()


def _check_harvest(kind: str) -> dict[str, Any]:
    backend = tk.config.get("ckan.harvest.mq.type") or "amqp"
    if backend != "redis":
        raise CheckFailed(f"harvest queues on {backend}: only the Redis backend can be checked")
    from ckanext.harvest import queue  # noqa: PLC0415

    conn = _redis()
    site_id = tk.config.get("ckan.site_id") or "default"
    db = conn.connection_pool.connection_kwargs.get("db", 0)
    found = consumers.live_consumers(conn.client_list(), kind, site_id, db=db)
    routing_key = queue.get_gather_routing_key() if kind == "gather" else queue.get_fetch_routing_key()
    extra: dict[str, Any] = {
        "consumers": [consumers.describe(c) for c in found],
        "queue_depth": conn.llen(routing_key),
    }
    try:
        extra["oldest_waiting_s"] = _oldest_waiting(conn, routing_key, kind)
    except Exception:  # the age is a hint; the database has its own check
        extra["oldest_waiting_s"] = None
    wanted = int(tk.config.get("ckanext.hlj.health.min_consumers") or 1)
    if len(found) < wanted:
        raise CheckFailed(f"{len(found)} {kind} consumer(s) connected, {wanted} wanted", extra)
    return {"detail": f"{len(found)} {kind} consumer(s) connected", **extra}


def check_harvest_gather() -> dict[str, Any]:
    return _check_harvest("gather")


def check_harvest_fetch() -> dict[str, Any]:
    return _check_harvest("fetch")


FUNCTIONS: dict[str, Callable[[], dict[str, Any]]] = {
    "postgres": check_postgres,
    "datastore": check_datastore,
    "solr": check_solr,
    "redis": check_redis,
    "workers": check_workers,
    "harvest_gather": check_harvest_gather,
    "harvest_fetch": check_harvest_fetch,
}


# --- running them -------------------------------------------------------------------------------------------------


def _run_one(name: str, function: Callable[[], dict[str, Any]], secrets: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"ok": True, **function()}
    except CheckFailed as failure:
        extra = failure.args[1] if len(failure.args) > 1 else {}
        result = {"ok": False, "detail": str(failure.args[0]), **extra}
    except Exception as error:  # any failure to check is a failed check
        result = {"ok": False, "detail": f"{type(error).__name__}: {error}"}
    result["detail"] = scrub(str(result["detail"]), secrets)
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def run(names: list[str] | None = None) -> dict[str, Any]:
    """Run the checks (all by default) concurrently; the report described in the module's docstring."""
    wanted = [n for n in (names or CHECKS) if n in FUNCTIONS]
    must = required()
    secrets = _secrets()
    # CKAN's config is one process-wide object: the threads read it as the request does.
    limit = timeout() + 2
    results: dict[str, dict[str, Any]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(wanted) or 1) as pool:
        futures = {name: pool.submit(_run_one, name, FUNCTIONS[name], secrets) for name in wanted}
        deadline = time.monotonic() + limit
        for name, future in futures.items():
            try:
                results[name] = future.result(timeout=max(0.1, deadline - time.monotonic()))
            except concurrent.futures.TimeoutError:
                results[name] = {
                    "ok": False,
                    "detail": f"no answer within {limit:.0f}s",
                    "latency_ms": limit * 1000,
                }
        pool.shutdown(wait=False, cancel_futures=True)
    for name, result in results.items():
        result["required"] = name in must
    failed = [n for n, r in results.items() if r["required"] and not r["ok"]]
    return {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": results,
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
