"""The service scripts fail loudly and cleanly: a taken port names the service and its log."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def taken_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_solr_on_a_taken_port_names_the_service_and_its_log(taken_port):
    result = run("scripts/solr.sh", "start", "scripttest", str(taken_port))

    assert result.returncode != 0
    assert f"solr (scripttest): port {taken_port} is already in use" in result.stderr
    assert ".runtime/scripttest/logs/solr.log" in result.stderr
    assert not (ROOT / ".runtime/scripttest/pids/solr.pid").exists(), "no half-started state is left behind"


def test_redis_port_held_by_something_else_names_redis(taken_port):
    result = run("scripts/services.sh", "start", HLJ_REDIS_PORT=str(taken_port))

    assert result.returncode != 0
    assert f"redis: port {taken_port} is in use by something that is not Redis" in result.stderr


def test_solr_starts_on_a_free_port_and_stops(tmp_path):
    started = run("scripts/solr.sh", "start", "scripttest", "0", "--fresh")
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/solr/ckan")
        again = run("scripts/solr.sh", "start", "scripttest", "0")
        assert again.returncode == 0 and again.stdout.strip().splitlines()[-1] == url, (
            "a running node is reused"
        )
    finally:
        stopped = run("scripts/solr.sh", "stop", "scripttest")
    assert stopped.returncode == 0
    assert not (ROOT / ".runtime/scripttest/pids/solr.pid").exists()
