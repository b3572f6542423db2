"""Keep ckanext-harvest's Redis consumers alive under redis-py 8.

ckanext-harvest 1.6.3's consumers wait for work with ``BLPOP key`` and no timeout, i.e. forever. redis-py 8 (pinned
by CKAN 2.12) gives every connection a 5-second socket timeout by default, so an idle gather or fetch consumer dies
with ``redis.exceptions.TimeoutError`` five seconds after it starts and the queue is never consumed. We wrap the
harvest queue's connection factory so its connections block as the consumer intends (no socket timeout; connect
timeout kept), leaving CKAN's own Redis connections alone.
"""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)

_MARK = "_hlj_blocking_reads"


def _blocking(factory):
    @functools.wraps(factory)
    def connection():
        conn = factory()
        kwargs = conn.connection_pool.connection_kwargs
        kwargs["socket_timeout"] = None
        kwargs.pop("orig_socket_timeout", None)
        return conn

    setattr(connection, _MARK, True)
    return connection


def install() -> None:
    """Wrap ``ckanext.harvest.queue.get_connection_redis`` once (idempotent; a no-op without ckanext-harvest)."""
    try:
        from ckanext.harvest import queue  # noqa: PLC0415
    except ImportError:
        return
    if not getattr(queue.get_connection_redis, _MARK, False):
        queue.get_connection_redis = _blocking(queue.get_connection_redis)
        log.debug("harvest queue connections: socket timeout disabled for blocking pops")
