"""Auth functions of the ``hlj_security`` plugin (registered by tk.blanket.auth_functions)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["datastore_search_sql", "hlj_audit_log_list"]


def hlj_audit_log_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Sysadmins only (CKAN lets sysadmins pass before any auth function runs; everyone else is refused here)."""
    return {"success": False, "msg": "只有系统管理员可以查看审计日志 / Only sysadmins may read the audit log"}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(
    next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> dict[str, Any]:
    """Raw SQL over the DataStore is off (``ckan.datastore.sqlsearch.enabled = false``); should it ever be turned
    on, it stays a sysadmins' tool: the SQL parser behind it is a large surface and its permission check relies
    on Postgres ``EXPLAIN`` output."""
    return {"success": False, "msg": "仅系统管理员可以使用 SQL 查询 / Only sysadmins may run SQL queries"}
