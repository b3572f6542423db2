"""Request ids and structured request logs (ckanext-hlj/ops/middleware.py, ops/logs.py), through the real app."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from ckanext.hlj.ops import logs, metrics

pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture
def records():
    """Records of every ckanext logger (the request logger's included), as a handler of "ckanext" receives them."""
    got: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            got.append(record)

    handler = Keep()
    logger = logging.getLogger("ckanext")
    request_logger = logging.getLogger("ckanext.hlj.ops.request")
    # Another test's logging.config.fileConfig (a CLI run in-process) disables loggers that existed before it.
    old = logger.level, logger.disabled, request_logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = request_logger.disabled = False
    logger.addHandler(handler)
    yield got
    logger.removeHandler(handler)
    logger.setLevel(old[0])
    logger.disabled, request_logger.disabled = old[1], old[2]


def request_records(got):
    return [r for r in got if r.name == "ckanext.hlj.ops.request"]


def test_the_callers_request_id_is_kept_and_returned(app, records):
    rid = "nginx-0123456789abcdef"
    response = app.get("/api/3/action/status_show", headers={"X-Request-ID": rid})
    assert response.body  # the body sent: the request is over
    assert response.headers["X-Request-ID"] == rid
    (record,) = [r for r in request_records(records) if r.path == "/api/3/action/status_show"]
    assert record.request_id == rid
    assert record.method == "GET" and record.status == 200 and record.duration_ms >= 0


@pytest.mark.parametrize("given", [None, "short", "has space in it", "x" * 300, "evil\r\nSet-Cookie: a=b"])
def test_a_missing_or_unacceptable_id_is_replaced(app, given, records):
    headers = {"X-Request-ID": given} if given and "\n" not in given else {}
    response = app.get("/api/3/action/status_show", headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert logs.accept(given) != given


def test_log_lines_written_during_a_request_carry_its_id(app, records):
    logs.install()
    rid = "trace-abcdef-0001"
    assert app.get("/dataset", headers={"X-Request-ID": rid}).body
    during = [r for r in records if getattr(r, "request_id", "-") == rid]
    assert during and any(r.name == "ckanext.hlj.ops.request" for r in during)
    # Outside a request, records carry "-".
    logging.getLogger("ckanext.hlj.test").warning("outside")
    assert records[-1].request_id == "-"


def test_json_formatter_writes_one_object_per_line_with_the_fields():
    logs.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("ckanext.hlj.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    token = logs.request_id.set("rid-12345678")
    try:
        logger.warning("harvest %s failed", "fgw-xxgk", extra={"source": "fgw-xxgk", "errors": 3})
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("with traceback")
    finally:
        logs.request_id.reset(token)
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{"))
    assert first["message"] == "harvest fgw-xxgk failed" and first["level"] == "WARNING"
    assert first["request_id"] == "rid-12345678" and first["source"] == "fgw-xxgk" and first["errors"] == 3
    assert first["logger"] == "ckanext.hlj.test.json" and first["time"].endswith("+00:00")
    assert "ValueError: boom" in second["exception"]


def test_text_formatter_shows_the_request_id():
    record = logging.LogRecord("ckanext.x", logging.INFO, __file__, 1, "hello", None, None)
    token = logs.request_id.set("rid-87654321")
    try:
        assert "[rid-87654321] hello" in logs.TextFormatter().format(record)
    finally:
        logs.request_id.reset(token)


@pytest.mark.parametrize(
    ("url", "counted"),
    [
        ("/dataset", True),
        ("/policy", True),
        ("/api/3/action/package_search?q=x", True),
        ("/api/3/action/status_show", False),
        ("/organization", False),
    ],
)
def test_dataset_searches_are_timed(app, url, counted):
    before = metrics.search_stats()["count"]
    response = app.get(url)
    assert response.status_code == 200 and response.body
    after = metrics.search_stats()
    assert after["count"] == before + (1 if counted else 0)
    if counted:
        assert after["window"] >= 1 and after["quantiles"][0.5] > 0
