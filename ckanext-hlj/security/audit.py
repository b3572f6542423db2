"""The audit trail: what sysadmins did, and the login lock-outs, in the table ``hlj_audit_log``.

Sysadmins pass every permission check, so what they do is recorded rather than refused. The mechanism is CKAN's
``action_succeeded`` signal, sent by the action layer after every action that completed — from the API, a web
form, the CLI or a background job alike — with the action's name, context and input. An entry is written when
the action changes something (not ``side_effect_free``, not a read by its name) and the acting user is a sysadmin
other than the site user (the site user is the portal itself: harvests, scheduled jobs). Actions called from
inside another action by a sysadmin are recorded as well, with the same request; the web request (method, path
and client address) is kept when there is one.

Entries say which action, who, when, on what (the id in the input, else the id of the result, else a name)
and the input with every password, token, secret or key replaced by ``***`` and long or binary values
shortened. Results are not kept: ``api_token_create`` returns the token itself. Entries are written on a connection of their own, so
they neither depend on nor commit the caller's transaction. Sysadmins read them with ``hlj_audit_log_list``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, DateTime, Index, Table, UnicodeText, and_, insert, select

from ckanext.hlj import tables
from ckanext.hlj.security.redact import MASK, redact
from ckanext.hlj.tables import metadata

log = logging.getLogger("ckanext.hlj.security.audit")

# No foreign keys: an entry outlives the user or dataset it names (a purge must neither fail nor erase history).
audit_table = Table(
    "hlj_audit_log",
    metadata,
    Column("id", UnicodeText, primary_key=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("action", UnicodeText, nullable=False),
    Column("actor_id", UnicodeText),
    Column("actor_name", UnicodeText, nullable=False, default=""),
    Column("target_id", UnicodeText),
    Column("client_ip", UnicodeText),
    Column("request", UnicodeText),  # "POST /api/3/action/user_update", or empty outside a web request
    Column("payload", UnicodeText, nullable=False, default="{}"),  # JSON, redacted
    Index("hlj_audit_log_created_idx", "created"),
    Index("hlj_audit_log_action_idx", "action", "created"),
)

# Keys whose values are never stored, at any depth of the input.
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key|credential|^key$|jwt|captcha", re.IGNORECASE)
_READ_SUFFIXES = ("_show", "_list", "_search", "_autocomplete", "_count", "_info", "_sql")
_NOT_AUDITED = frozenset({"get_site_user"})  # creates the site user on first call; not a person's action
MAX_STRING = 500
MAX_ITEMS = 50
MAX_PAYLOAD = 8000


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clean_payload(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of an action's input without secrets, with long strings and lists shortened."""
    if depth > 6:
        return "…"
    if isinstance(value, dict):
        out = {}
        for index, (key, item) in enumerate(value.items()):
            if index >= MAX_ITEMS:
                out["…"] = f"{len(value) - MAX_ITEMS} more"
                break
            name = str(key)
            out[name] = MASK if _SECRET_KEY.search(name) else clean_payload(item, depth + 1)
        return out
    if isinstance(value, list | tuple | set):
        items = [clean_payload(item, depth + 1) for item in list(value)[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            items.append(f"… {len(value) - MAX_ITEMS} more")
        return items
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        text = redact(value)
        return text if len(text) <= MAX_STRING else text[:MAX_STRING] + "…"
    # An upload (werkzeug FileStorage) or anything else: its kind and file name, never its content.
    name = getattr(value, "filename", None)
    return f"<{type(value).__name__}{' ' + redact(str(name)) if name else ''}>"


def _dump(payload: Any) -> str:
    text = json.dumps(clean_payload(payload or {}), ensure_ascii=False, default=str)
    if len(text) > MAX_PAYLOAD:
        keys = sorted(payload) if isinstance(payload, dict) else []
        text = json.dumps({"truncated": True, "keys": keys[:MAX_ITEMS]}, ensure_ascii=False)
    return text


def _request_info() -> tuple[str | None, str | None]:
    from flask import has_request_context  # noqa: PLC0415

    if not has_request_context():
        return None, None
    from ckanext.hlj.security.throttle import client_address  # noqa: PLC0415 - throttle imports this module

    return f"{tk.request.method} {tk.request.path}", client_address()


def record(
    action: str,
    *,
    actor: model.User | None,
    actor_name: str | None = None,
    target_id: str | None = None,
    client_ip: str | None = None,
    payload: Any = None,
) -> None:
    """Write one entry (and log it). Never raises: an audit failure is logged, the action it records stands."""
    request, address = _request_info()
    entry = {
        "id": str(uuid.uuid4()),
        "created": now(),
        "action": action,
        "actor_id": actor.id if actor else None,
        "actor_name": actor.name if actor else (actor_name or ""),
        "target_id": str(target_id) if target_id else None,
        "client_ip": client_ip or address,
        "request": request,
        "payload": _dump(payload),
    }
    try:
        if not tables.create_all():
            return
        with model.meta.engine.begin() as connection:
            connection.execute(insert(audit_table).values(**entry))
    except Exception:
        log.exception("could not write the audit entry for %s", action)
        return
    log.info(
        "%s by %s on %s (%s)",
        action,
        entry["actor_name"] or "-",
        entry["target_id"] or "-",
        request or "no request",
    )


# --- sysadmin actions -------------------------------------------------------------------------------------------


def _acting_user(context: dict[str, Any]) -> model.User | None:
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def _changes_something(action: str) -> bool:
    if action in _NOT_AUDITED or action.endswith(_READ_SUFFIXES):
        return False
    try:
        function = tk.get_action(action)
    except (KeyError, tk.ObjectNotFound):
        return True
    return not getattr(function, "side_effect_free", False)


def _target(data_dict: dict[str, Any], result: Any) -> str | None:
    """The object acted on: the id given, else the id of what was made (a new dataset, a token), else a name."""
    for key in ("id", "resource_id", "package_id"):
        value = data_dict.get(key)
        if isinstance(value, str) and value:
            return value
    if isinstance(result, dict) and isinstance(result.get("id"), str):
        return result["id"]
    for key in ("name", "user"):
        value = data_dict.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def on_action_succeeded(sender: str, **kwargs: Any) -> None:
    """Receiver of CKAN's ``action_succeeded`` signal (``sender`` is the action's name)."""
    context = kwargs.get("context") or {}
    if not _changes_something(sender):
        return
    user = _acting_user(context)
    if user is None or not user.sysadmin or user.name == tk.config.get("ckan.site_id"):
        return
    data_dict = kwargs.get("data_dict") or {}
    record(sender, actor=user, target_id=_target(data_dict, kwargs.get("result")), payload=data_dict)


# --- reading ----------------------------------------------------------------------------------------------------


def entries(
    *,
    action: str | None = None,
    actor: str | None = None,
    target_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Entries, newest first; ``actor`` is a user's name or id."""
    tables.create_all()
    conditions = []
    if action:
        conditions.append(audit_table.c.action == action)
    if actor:
        conditions.append((audit_table.c.actor_name == actor) | (audit_table.c.actor_id == actor))
    if target_id:
        conditions.append(audit_table.c.target_id == target_id)
    query = select(audit_table).order_by(audit_table.c.created.desc()).limit(limit).offset(offset)
    if conditions:
        query = query.where(and_(*conditions))
    rows = model.Session.execute(query).all()
    out = []
    for row in rows:
        entry = dict(row._mapping)
        entry["created"] = entry["created"].isoformat()
        entry["payload"] = json.loads(entry["payload"] or "{}")
        out.append(entry)
    return out
