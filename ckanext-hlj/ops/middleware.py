"""Request ids, one structured log line per request, and search timing.

``RequestMiddleware`` wraps CKAN's Flask WSGI app (outermost, so it times everything CKAN does):

- the request id is the caller's ``X-Request-ID`` when acceptable (nginx sets it), else a new one; it is in the
  ``request_id`` context variable while CKAN handles the request (so on every log record, ckanext-hlj/ops/logs.py),
  in ``environ["hlj.request_id"]`` and in the ``X-Request-ID`` response header;
- when the response has been sent, one ``request`` record is logged (logger ``ckanext.hlj.ops.request``) with
  method, path, status, duration_ms and request_id as fields (``ckanext.hlj.log.requests = false`` turns it off);
- dataset searches (a dataset type's search page, ``package_search`` through the action API) have their duration
  added to the search metrics (ckanext-hlj/ops/metrics.py). ``mark_search`` (a Flask ``before_request`` hook)
  recognises them by endpoint.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from ckanext.hlj.ops import logs

log = logging.getLogger("ckanext.hlj.ops.request")

HEADER = "X-Request-ID"
ENVIRON_ID = "hlj.request_id"
ENVIRON_SEARCH = "hlj.search"


class RequestMiddleware:
    def __init__(
        self, app: Callable, log_requests: bool = True, record_search: Callable[[float], None] | None = None
    ):
        self.app = app
        self.log_requests = log_requests
        self.record_search = record_search

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        rid = logs.accept(environ.get("HTTP_X_REQUEST_ID"))
        environ[ENVIRON_ID] = rid
        logs.request_id.set(rid)
        started = time.perf_counter()
        status_holder: list[str] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            status_holder.append(status)
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            headers.append((HEADER, rid))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self._finish(environ, started, status_holder or ["500"], rid)
            logs.request_id.set("-")
            raise
        return _Closing(body, lambda: self._finish(environ, started, status_holder, rid))

    def _finish(self, environ: dict[str, Any], started: float, status: list[str], rid: str) -> None:
        # Runs while the request's id is still current, so the record factory (ops/logs.py) stamps it.
        try:
            seconds = time.perf_counter() - started
            if environ.get(ENVIRON_SEARCH) and self.record_search:
                self.record_search(seconds)
            if self.log_requests:
                code = int(status[0].split()[0]) if status and status[0].split()[0].isdigit() else 0
                log.info(
                    "%s %s %s %.1fms",
                    environ.get("REQUEST_METHOD"),
                    environ.get("PATH_INFO"),
                    code,
                    seconds * 1000,
                    extra={
                        "method": environ.get("REQUEST_METHOD"),
                        "path": environ.get("PATH_INFO"),
                        "status": code,
                        "duration_ms": round(seconds * 1000, 1),
                        "search": bool(environ.get(ENVIRON_SEARCH)),
                    },
                )
        except Exception:  # a log or metrics problem must never break a response already sent
            log.debug("request bookkeeping failed", exc_info=True)


class _Closing:
    """The response body, passed through; when it has been sent (iterated to its end, or closed by the server,
    whichever comes first) the request is logged and the request id reset, once."""

    def __init__(self, body: Iterable[bytes], on_finish: Callable[[], None]):
        self.body = body
        self.on_finish = on_finish
        self.finished = False

    def __iter__(self):
        yield from self.body
        self._finish()

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        try:
            self.on_finish()
        finally:
            # Not reset(token): a request whose body was never sent nor closed (a test client's) would otherwise
            # leave its id behind as the "previous" value. WSGI requests do not nest.
            logs.request_id.set("-")


def is_search(endpoint: str | None, view_args: dict[str, Any] | None, dataset_types: set[str]) -> bool:
    if not endpoint:
        return False
    if endpoint in ("api.action",):
        return (view_args or {}).get("logic_function") == "package_search"
    blueprint, _, view = endpoint.partition(".")
    return view == "search" and blueprint in dataset_types


def mark_search() -> None:
    """Flask ``before_request`` hook: flag dataset searches for the middleware's timer."""
    from flask import request  # noqa: PLC0415

    try:
        from ckan.lib import plugins as lib_plugins  # noqa: PLC0415

        types = set(lib_plugins._package_plugins) | {"dataset"}
    except Exception:
        types = {"dataset"}
    if is_search(request.endpoint, request.view_args, types):
        request.environ[ENVIRON_SEARCH] = True


def install(app: Any, log_requests: bool, record_search: Callable[[float], None] | None) -> Any:
    """Wrap CKAN's Flask app (``app`` from IMiddleware.make_middleware); returns what make_middleware returns."""
    flask_app = app if hasattr(app, "before_request") else getattr(app, "_wsgi_app", None)
    if flask_app is not None and hasattr(flask_app, "before_request"):
        flask_app.before_request(mark_search)
        flask_app.wsgi_app = RequestMiddleware(flask_app.wsgi_app, log_requests, record_search)
        return app
    return RequestMiddleware(app, log_requests, record_search)
