"""/api/hlj/health against the real services: a real `ckan jobs worker` and real harvest gather and fetch consumers
are started for this module (subprocesses on the test config), and each check goes red when its service is gone or
its target points at a dead port (config overridden per test; the shared services are never stopped)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckanext.harvest import queue

from ckanext.hlj.ops import consumers, health

pytestmark = pytest.mark.usefixtures("with_plugins")

CKAN = str(Path(sys.executable).with_name("ckan"))
URL = "/api/hlj/health"
BACKGROUND = {
    "worker": ["jobs", "worker"],
    "gather": ["harvester", "gather-consumer"],
    "fetch": ["harvester", "fetch-consumer"],
}


def dead_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_port(url: str, port: int) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    netloc = f"{netloc[0]}@{host}" if len(netloc) == 2 else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def get(app, status: int | None = None, **params) -> tuple[int, dict]:
    response = app.get(URL, query_string=params)
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)
    return response.status_code, json.loads(response.get_data(as_text=True))


class Background:
    """The portal's background processes, started like docker-compose and `make run` start them."""

    def __init__(self, ini: str):
        self.ini = ini
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        log = open(Path(os.environ.get("HLJ_TEST_ARTIFACTS", "/tmp")) / f"health-{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            [CKAN, "-c", self.ini, *BACKGROUND[name]],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)  # warm shutdown: rq unregisters its worker
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)


def wait_for(predicate, seconds: float = 90, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def background(request):
    ini = request.config.getoption("--ckan-ini")
    procs = Background(str(Path(ini).resolve()))
    yield procs
    procs.stop_all()


@pytest.fixture
def running(background, app):
    """Worker and both consumers alive (started once, reused by the tests that need them)."""
    for name in BACKGROUND:
        if name not in background.procs or background.procs[name].poll() is not None:
            background.start(name)
    wait_for(
        lambda: all(
            health.run([c])["checks"][c]["ok"] for c in ("workers", "harvest_gather", "harvest_fetch")
        ),
        what="the worker and the harvest consumers",
    )
    return background


def test_all_green_with_every_service_and_process_alive(app, running):
    _, body = get(app, status=200)
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == set(health.CHECKS)
    for name, check in body["checks"].items():
        assert check["ok"] is True, (name, check)
        assert check["required"] is True
        assert isinstance(check["latency_ms"], float)
        assert check["detail"]
    assert body["checks"]["workers"]["workers"][0]["queues"] == ["default"]
    gather = body["checks"]["harvest_gather"]["consumers"]
    assert [c["pid"] for c in gather] == [running.procs["gather"].pid]
    assert gather[0]["waiting"] is True  # blocked in BLPOP on the gather queue


def test_harvest_check_reports_queue_depth_and_waiting_items(app, running):

    key = queue.get_fetch_routing_key()
    conn = health._redis()
    running.stop("fetch")  # nobody consumes: the item stays queued
    conn.rpush(key, json.dumps({"harvest_object_id": "no-such-object"}))
    try:
        status, body = get(app)
        fetch = body["checks"]["harvest_fetch"]
        assert status == 503 and body["failed"] == ["harvest_fetch"]
        assert fetch["ok"] is False and fetch["consumers"] == []
        assert fetch["queue_depth"] >= 1
        assert "0 fetch consumer(s) connected" in fetch["detail"]
    finally:
        conn.lrem(key, 0, json.dumps({"harvest_object_id": "no-such-object"}))


def container_check(name: str) -> int:
    """docker/ckan/healthcheck.py NAME as its container runs it (this host is the container)."""
    env = {
        **os.environ,
        "CKAN_SITE_ID": tk.config["ckan.site_id"],
        "CKAN_REDIS_URL": tk.config["ckan.redis.url"],
    }
    script = Path(__file__).resolve().parents[1] / "docker" / "ckan" / "healthcheck.py"
    return subprocess.run(
        [sys.executable, str(script), name], env=env, capture_output=True, timeout=60, check=False
    ).returncode


@pytest.mark.parametrize("name", ["worker", "gather", "fetch"])
def test_a_stopped_background_process_turns_its_check_red(app, running, name):
    check = {"worker": "workers", "gather": "harvest_gather", "fetch": "harvest_fetch"}[name]
    assert container_check(name) == 0
    running.stop(name)
    assert container_check(name) == 1
    status, body = get(app)
    assert status == 503
    assert body["failed"] == [check]
    assert body["checks"][check]["ok"] is False
    others = set(health.CHECKS) - {check}
    assert all(body["checks"][c]["ok"] for c in others), body


@pytest.mark.parametrize(
    ("check", "keys"),
    [
        ("postgres", ["sqlalchemy.url"]),
        ("datastore", ["ckan.datastore.write_url"]),
        ("datastore", ["ckan.datastore.read_url"]),
        ("solr", ["solr_url"]),
        ("redis", ["ckan.redis.url"]),
    ],
)
def test_a_check_pointed_at_a_dead_port_fails_and_says_nothing_secret(app, monkeypatch, check, keys):
    secrets = health._secrets()
    assert secrets, "the test databases have passwords: the secrecy test needs one"
    port = dead_port()
    for key in keys:
        monkeypatch.setitem(tk.config, key, with_port(tk.config[key], port))
    status, body = get(app, checks=",".join(health.CHECKS[:4]))
    assert status == 503
    assert body["failed"] == [check]
    assert body["checks"][check]["ok"] is False
    assert body["checks"][check]["latency_ms"] < 10_000
    text = json.dumps(body)
    for secret in secrets:
        assert secret not in text
    assert "@127.0.0.1" not in text and "://" not in text


def test_a_password_in_an_error_message_is_blanked():
    assert (
        health.scrub(
            'could not connect to postgresql://u:hunter2@db:5432/x (password "hunter2")', ["hunter2"]
        )
        == 'could not connect to postgresql://***@db:5432/x (password "***")'
    )


@pytest.mark.ckan_config("ckanext.hlj.health.required", "postgres datastore solr redis")
def test_which_checks_are_required_is_configurable(app, background):
    background.stop_all()
    wait_for(lambda: not health.run(["workers"])["checks"]["workers"]["ok"], what="the worker to unregister")
    _, body = get(app, status=200)
    assert body["checks"]["workers"]["ok"] is False
    assert body["checks"]["workers"]["required"] is False
    assert body["checks"]["postgres"]["required"] is True


def test_a_subset_of_checks_can_be_asked_for(app):
    _, body = get(app, status=200, checks="postgres,solr")
    assert set(body["checks"]) == {"postgres", "solr"}
    response = app.get(URL, query_string={"checks": "postgres,nonsense"})
    assert response.status_code == 400


def test_health_answers_are_never_cached(app):
    response = app.get(URL, query_string={"checks": "redis"})
    cache = {v.strip() for v in response.headers["Cache-Control"].split(",")}
    assert "no-store" in cache and "public" not in cache
    assert response.headers["Content-Type"].startswith("application/json")


def test_consumer_names_are_parsed_back():
    name = consumers.client_name("gather", "hlj test", host="ckan-7f", pid=42)
    assert name == "hlj-harvest-gather:hlj_test:ckan-7f:42"
    clients = consumers.parse_client_list(
        f"id=3 addr=1.2.3.4:5 name={name} db=2 cmd=blpop idle=7\n"
        "id=4 addr=1.2.3.4:6 name=hlj-harvest-gather:other:ckan-7f:43 db=2 cmd=blpop idle=1\n"
        f"id=5 addr=1.2.3.4:7 name={name} db=3 cmd=blpop idle=1\n"
    )
    found = consumers.live_consumers(clients, "gather", "hlj test", db=2)
    assert [consumers.describe(c) for c in found] == [
        {"host": "ckan-7f", "pid": 42, "waiting": True, "idle_s": 7}
    ]
    assert consumers.live_consumers(clients, "gather", "hlj test", db=2, host="other-host") == []
