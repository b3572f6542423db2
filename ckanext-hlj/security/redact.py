"""Secrets kept out of what the portal writes and shows: log records, API error messages, error pages.

CKAN and the libraries under it put connection URLs into their errors: pysolr logs ``Failed to connect to server
at http://user:password@host/solr/…`` with the traceback, and CKAN once returned a Solr timeout's message, URL
and all, as the API's "Search error". Rather than hunt each message, every log record is redacted as it is made
(a log-record factory, so no handler or logger can miss it), and error responses are checked on their way out.

Two things are redacted: the password of any ``scheme://user:password@host`` URL, and the literal values of the
config options listed in ``ckanext.hlj.security.secret_options`` (for URL options, the password inside them).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

import ckan.plugins.toolkit as tk

MASK = "***"
# Shorter literal values are too likely to be ordinary words ("ckan") to be replaced everywhere; URL passwords
# are still replaced by the pattern below whatever their length.
MIN_SECRET_LENGTH = 6
# The password part of a URL's user information; user names stay, they help to read the message.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@'\"]*:)(?P<password>[^/\s@'\"]+)@")

_secrets: tuple[str, ...] = ()
_lock = threading.Lock()


def _values_of(option: str, value: Any) -> set[str]:
    if not value:
        return set()
    text = str(value)
    found = set()
    if "://" in text:
        try:
            password = urlsplit(text).password
        except ValueError:
            password = None
        if password:
            found |= {password, unquote(password)}
    else:
        found.add(text)
    return {s for s in found if len(s) >= MIN_SECRET_LENGTH}


def load_secrets(config: Any = None) -> tuple[str, ...]:
    """Read the secret values from the config (at start-up and whenever tests change it)."""
    global _secrets  # noqa: PLW0603
    config = config if config is not None else tk.config
    options = config.get("ckanext.hlj.security.secret_options") or []
    if isinstance(options, str):
        options = options.split()
    values: set[str] = set()
    for option in options:
        values |= _values_of(option, config.get(option))
    with _lock:
        # Longest first, so a secret that contains another is replaced whole.
        _secrets = tuple(sorted(values, key=len, reverse=True))
    return _secrets


def secrets() -> tuple[str, ...]:
    return _secrets


def redact(text: str) -> str:
    """``text`` without URL passwords and configured secret values."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK + "@", text)
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def contains_secret(text: str) -> bool:
    return bool(text) and redact(text) != text


# --- log records ------------------------------------------------------------------------------------------------

_installed = False


def install_log_redaction() -> None:
    """Wrap the log-record factory once per process: each record's message (with its arguments) and traceback are
    redacted when the record is made, before any filter, handler or formatter sees them."""
    global _installed  # noqa: PLW0603
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redact_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave it to logging's own error report
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and not record.exc_text:
        # Formatters reuse ``exc_text`` when it is set: format the traceback now, redacted.
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = redact(text)
