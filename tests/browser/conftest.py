"""End-to-end tests in a real browser: Debian's headless Chromium, driven by Playwright (no browser download),
against the portal served over HTTP on a loopback port.

The portal is CKAN's WSGI application as the test fixtures build it (``app``: tests/test.ini, the plugins loaded by
``with_plugins``, the per-checkout PostgreSQL, Solr and Redis of `make test`), served by werkzeug in a thread of the
test process. In the same process the records a test makes with factories and actions are the ones the browser
sees, and ``clean_db`` / ``clean_index`` reset both between tests. The server is single-threaded: each request has
its own SQLAlchemy session, which CKAN removes when the request ends, so nothing the browser did holds a lock when
the next test resets the database.

Artifacts: screenshots, downloads and axe-core reports go to ``$HLJ_TEST_ARTIFACTS/browser/`` (scripts/test.sh sets
the variable; without it, .runtime/test/artifacts/browser/).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan.common import config
from werkzeug.serving import make_server

from .support import ROOT, Browsing, PageLog, load_demo_records, load_supervision_records

CHROMIUM = os.environ.get("HLJ_CHROMIUM", "/usr/bin/chromium")
# Headless without a GPU, as root in a container; the rest keep Chromium from calling Google's services (this
# machine's network is closed: those calls would fail, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a 2-CPU machine shared with other suites: a broken page fails on its assertions, not on time.
TIMEOUT_MS = 30_000
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end test in headless Chromium (tests/browser/)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # They run in `make test` like every other test; the marker lets a run pick them (-m browser) or leave them out.
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.hlj_call_failed = report.failed


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    base = os.environ.get("HLJ_TEST_ARTIFACTS") or str(ROOT / ".runtime/test/artifacts")
    path = Path(base) / "browser"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS * 2
        )
        yield chromium
        chromium.close()


@pytest.fixture
def portal(app, monkeypatch) -> Iterator[str]:
    """The portal over HTTP on a free loopback port: CKAN's WSGI stack as the ``app`` fixture built it."""
    server = make_server("127.0.0.1", 0, app.app, threaded=False)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Absolute URLs (the site-root meta tag CKAN's JavaScript builds its API calls on) name the server the browser
    # talks to; CKAN reads the setting at each request, and the ckan_config fixture restores it afterwards.
    monkeypatch.setitem(config, "ckan.site_url", base_url)
    # One log line per request and asset would bury a failure's output.
    monkeypatch.setattr(logging.getLogger("werkzeug"), "level", logging.WARNING)
    thread = threading.Thread(target=server.serve_forever, name="hlj-browser-portal", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=30)
        server.server_close()


@pytest.fixture
def browse(browser, portal, artifacts_dir, request) -> Iterator[Browsing]:
    """A fresh browser context (no cookies), in Chinese, with one page on the portal that logs what goes wrong.
    A failed test leaves a screenshot of where the page was."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    log = PageLog()

    def route(route_request: Any) -> None:
        if route_request.request.url.startswith((portal + "/", "data:", "blob:")):
            route_request.continue_()
            return
        log.outside_requests.append(route_request.request.url)
        route_request.abort()

    def console(message: Any) -> None:
        # The console's "Failed to load resource" for a request refused above is already in outside_requests.
        if message.type == "error" and message.location.get("url") not in log.outside_requests:
            log.console_errors.append(f"console: {message.text} ({message.location.get('url')})")

    def response(resp: Any) -> None:
        # Pages themselves may answer 4xx on purpose (a 404 the test asks for); the page's own requests may not.
        if resp.status >= 400 and resp.url.startswith(portal) and resp.request.resource_type != "document":
            log.error_responses.append(f"{resp.status} {resp.request.method} {resp.url}")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", lambda error: log.page_errors.append(f"uncaught: {error}"))
    page.on("response", response)
    browsing = Browsing(portal, page, log, artifacts_dir, re.sub(r"[^\w.-]+", "_", request.node.name)[:120])
    try:
        yield browsing
    finally:
        if getattr(request.node, "hlj_call_failed", False):
            browsing.screenshot("failure")
        context.close()


@pytest.fixture
def demo_portal(make_organization) -> dict[str, Any]:
    return load_demo_records(make_organization)


@pytest.fixture
def supervised(make_organization) -> dict[str, Any]:
    return load_supervision_records(make_organization)
