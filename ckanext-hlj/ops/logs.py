"""Structured logs with request ids.

- ``request_id`` (a context variable) is set by the request middleware (ckanext-hlj/ops/middleware.py) for the
  duration of each web request: the caller's ``X-Request-ID`` when it is a sane token (nginx sends its own
  ``$request_id``), else a fresh one. Background jobs get the id of the request that queued them when there was
  one (not tracked) or ``-``.
- ``install()`` adds a ``request_id`` attribute to every log record of the process (a log record factory, so it
  works for every handler, including ones configured after us), which is what a logging Filter would do for one
  handler only. ``%(request_id)s`` may therefore appear in any format string once the `hlj_ops` plugin is loaded.
- ``JsonFormatter``: one JSON object per line (time, level, logger, message, request_id, exception, and any
  ``extra=`` fields), for log shippers. ``TextFormatter``: the usual line with the request id, safe to use before
  the plugin is loaded. Select one in the ini's logging section::

      [formatter_generic]
      class = ckanext.hlj.ops.logs.JsonFormatter
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("hlj_request_id", default="-")

# What we accept from a caller as a request id: short, no spaces or control characters (it reaches log lines).
_VALID = re.compile(r"^[A-Za-z0-9._:@/+=-]{8,128}$")
_MARK = "_hlj_request_id_factory"

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and goes into the JSON.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
}


def new_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """The caller's id when it is acceptable, else a new one."""
    if value and _VALID.match(value):
        return value
    return new_id()


def install() -> None:
    """Give every log record of this process a ``request_id`` attribute (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return record

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)


class RequestIdFilter(logging.Filter):
    """For a handler configured in code: adds ``request_id`` to its records (``install()`` does it for all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL [logger] [request id] message``."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, style: str = "%", **kwargs: Any):
        super().__init__(
            fmt or "%(asctime)s %(levelname)-5.5s [%(name)s] [%(request_id)s] %(message)s",
            datefmt,
            style,
            **kwargs,
        )

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return super().format(record)
