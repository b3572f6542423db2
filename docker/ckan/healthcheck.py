#!/usr/bin/env python3
"""Health checks of the portal image's containers (docker-compose.yml `healthcheck:`); exit 0 when healthy.

healthcheck.py web        CKAN answers /api/3/action/status_show with success
healthcheck.py worker     Redis answers and an RQ worker of this container is registered there (`ckan jobs
                          worker` re-registers with a heartbeat; a hung or disconnected worker drops out)
healthcheck.py redis      Redis answers (the harvest gather and fetch consumers block on its queues)
healthcheck.py scheduler  the last successful `ckan harvester run` is recent enough
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import urllib.request

WEB_URL = "http://localhost:5000/api/3/action/status_show"
RUN_TIMEOUT = 600  # harvest-scheduler.sh gives each `ckan harvester run` this long


def web() -> str | None:
    with urllib.request.urlopen(WEB_URL, timeout=10) as response:
        body = json.load(response)
    return None if body.get("success") is True else f"status_show answered {body!r}"


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


def scheduler() -> str | None:
    heartbeat = os.environ.get("HLJ_SCHEDULER_HEARTBEAT", "/tmp/hlj-harvest-scheduler.heartbeat")
    max_age = 2 * int(os.environ.get("HLJ_HARVEST_INTERVAL", "300")) + RUN_TIMEOUT
    try:
        age = time.time() - os.stat(heartbeat).st_mtime
    except FileNotFoundError:
        return "no harvester run has succeeded yet"
    return None if age <= max_age else f"last successful harvester run {age:.0f}s ago (limit {max_age}s)"


CHECKS = {"web": web, "worker": worker, "redis": redis_only, "scheduler": scheduler}


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
