"""Who may use the deadline actions: everyone. Computing a due date reveals nothing; a dataset's status is shown
through package_show's own auth; reports hold counts only, and count datasets as the caller may see them."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["hlj_deadline_compute", "hlj_deadline_report_show", "hlj_deadline_status_show"]


@tk.auth_allow_anonymous_access
def hlj_deadline_compute(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hlj_deadline_status_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hlj_deadline_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}
