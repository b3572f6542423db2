"""Who may use the reprint actions: reports are public (they are about public records); running a check is for
sysadmins (it reads every organisation's records and rewrites the stored verdicts)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["hlj_reprint_check_run", "hlj_reprint_report_show"]


@tk.auth_allow_anonymous_access
def hlj_reprint_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


def hlj_reprint_check_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": False}  # sysadmins pass every auth function before this one is asked
