"""Actions of the ``hlj_security`` plugin (registered by tk.blanket.actions): the audit log, and chained
wrappers that put limits or redaction around existing actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError

from ckanext.hlj.security import audit, redact, uploads

__all__ = ["hlj_audit_log_list", "hlj_import_create", "package_search"]

MAX_LIMIT = 1000


def _int(data_dict: dict[str, Any], key: str, default: int, maximum: int | None = None) -> int:
    value = data_dict.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.ValidationError({key: ["应为整数 / Must be an integer"]}) from None
    if number < 0:
        raise tk.ValidationError({key: ["不能为负数 / Must not be negative"]})
    return min(number, maximum) if maximum is not None else number


@tk.side_effect_free
def hlj_audit_log_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Audit-log entries, newest first: what sysadmins changed and the login lock-outs.

    :param action: only entries of this action (e.g. ``user_update``, ``login_lockout``)
    :param actor: only entries by this user (name or id)
    :param target_id: only entries about this object (id or name as it was given)
    :param limit: at most this many entries (default 100, at most 1000)
    :param offset: skip this many
    :returns: entries with ``id``, ``created`` (ISO 8601, UTC), ``action``, ``actor_id``, ``actor_name``,
        ``target_id``, ``client_ip``, ``request`` (method and path) and ``payload`` (the input, secrets removed)
    """
    tk.check_access("hlj_audit_log_list", context, data_dict)
    return audit.entries(
        action=data_dict.get("action") or None,
        actor=data_dict.get("actor") or None,
        target_id=data_dict.get("target_id") or None,
        limit=_int(data_dict, "limit", 100, MAX_LIMIT),
        offset=_int(data_dict, "offset", 0),
    )


@tk.chained_action
def hlj_import_create(next_action: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """The workbook is checked for size and type before the Excel import opens it (see ``uploads``), once the
    caller is known to be allowed to import (so strangers learn nothing from the checks)."""
    upload = data_dict.get("upload")
    if upload is not None and not isinstance(upload, str):
        tk.check_access("hlj_import_create", context, data_dict)
        uploads.check_workbook_upload(upload)
    return next_action(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def package_search(next_action: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """CKAN turns some Solr failures (a timeout, an unexpected answer) into a SearchError carrying pysolr's message,
    which names the Solr URL with its credentials; the API returns it as is. The message is redacted here."""
    try:
        return next_action(context, data_dict)
    except SearchError as error:
        text = str(error)
        cleaned = redact.redact(text)
        if cleaned == text:
            raise
        raise type(error)(cleaned) from None
