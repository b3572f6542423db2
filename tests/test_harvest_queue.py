"""ckanext-harvest's consumers survive an idle queue (redis-py 8 would time their blocking pop out after 5 s)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from ckanext.harvest import queue

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_harvest_connections_have_no_read_timeout():
    conn = queue.get_connection()
    assert conn.connection_pool.connection_kwargs["socket_timeout"] is None


def test_a_blocking_pop_outlives_redis_pys_default_timeout():
    key = f"hlj-test:{uuid.uuid4()}"
    conn = queue.get_connection()
    got: list = []
    failed: list = []

    def consume():
        try:
            got.append(conn.blpop(key))
        except Exception as error:
            failed.append(error)

    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()
    time.sleep(6.5)  # longer than redis-py 8's 5-second default socket timeout
    queue.get_connection().rpush(key, "job-1")
    consumer.join(timeout=10)

    assert failed == []
    assert got == [(key, "job-1")]
