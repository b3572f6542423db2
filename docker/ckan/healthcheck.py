#!/usr/bin/env python3
"""Health checks of the portal image's containers (docker-compose.yml `healthcheck:`); exit 0 when healthy.

healthcheck.py web        GET /api/hlj/health?checks=postgres,datastore,solr,redis answers 200: CKAN serves, and
                          what the web container itself needs is up. (The workers and harvest consumers are in the
                          full report, but they start only once this container is healthy, so they cannot be a
                          condition of it; their own containers check them, below.)
healthcheck.py worker     Redis answers and an RQ worker of this container is registered there (`ckan jobs
                          worker` re-registers with a heartbeat; a hung or disconnected worker drops out)
healthcheck.py gather     this container's harvest gather consumer is connected to Redis, under the client name
healthcheck.py fetch      the `hlj_ops` plugin gives it (ckanext/hlj/ops/consumers.py); a consumer that exited or
                          lost Redis is gone from Redis's client list
healthcheck.py redis      Redis answers
healthcheck.py scheduler  the last successful `ckan harvester run` is recent enough
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

WEB_CHECKS = "postgres,datastore,solr,redis"
WEB_URL = os.environ.get("HLJ_HEALTH_URL", f"http://localhost:5000/api/hlj/health?checks={WEB_CHECKS}")
RUN_TIMEOUT = 600  # harvest-scheduler.sh gives each `ckan harvester run` this long


def web() -> str | None:
    try:
        with urllib.request.urlopen(WEB_URL, timeout=10) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        try:
            body = json.load(error)
        except ValueError:
            return f"{WEB_URL} answered HTTP {error.code}"
        failed = {n: c.get("detail") for n, c in body.get("checks", {}).items() if not c.get("ok")}
        return f"HTTP {error.code}: {failed}"
    return None if body.get("status") == "ok" else f"health answered {body!r}"


def _redis():
    import redis  # noqa: PLC0415 - installed with CKAN

    conn = redis.Redis.from_url(os.environ["CKAN_REDIS_URL"], socket_timeout=5, socket_connect_timeout=5)
    conn.ping()
    return conn


def redis_only() -> str | None:
    _redis()
    return None


def worker() -> str | None:
    from rq import Worker  # noqa: PLC0415 - installed with CKAN

    host = socket.gethostname()
    if any(w.hostname == host for w in Worker.all(connection=_redis())):
        return None
    return f"no RQ worker of host {host} is registered in Redis"


def consumer(kind: str) -> str | None:
    from ckanext.hlj.ops import consumers  # noqa: PLC0415 - installed in the image

    conn = _redis()
    site_id = os.environ.get("CKAN_SITE_ID") or "default"
    db = conn.connection_pool.connection_kwargs.get("db", 0)
    host = socket.gethostname()
    clients = consumers.parse_client_list(
        [{k: v.decode() if isinstance(v, bytes) else v for k, v in c.items()} for c in conn.client_list()]
    )
    if consumers.live_consumers(clients, kind, site_id, db=db, host=host):
        return None
    return f"no harvest {kind} consumer of host {host} (site {site_id}) is connected to Redis"


def scheduler() -> str | None:
    heartbeat = os.environ.get("HLJ_SCHEDULER_HEARTBEAT", "/tmp/hlj-harvest-scheduler.heartbeat")
    max_age = 2 * int(os.environ.get("HLJ_HARVEST_INTERVAL", "300")) + RUN_TIMEOUT
    try:
        age = time.time() - os.stat(heartbeat).st_mtime
    except FileNotFoundError:
        return "no harvester run has succeeded yet"
    return None if age <= max_age else f"last successful harvester run {age:.0f}s ago (limit {max_age}s)"


CHECKS = {
    "web": web,
    "worker": worker,
    "gather": lambda: consumer("gather"),
    "fetch": lambda: consumer("fetch"),
    "redis": redis_only,
    "scheduler": scheduler,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        problem = CHECKS[argv[0]]()
    except Exception as e:  # any failure to check is unhealthy
        problem = f"{type(e).__name__}: {e}"
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
