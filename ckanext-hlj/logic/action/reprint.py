"""Reprint actions.

GET /api/3/action/hlj_reprint_report_show?by=site[&site=<organisation name>]
GET /api/3/action/hlj_reprint_report_show?by=item[&watched=<dataset>]
POST /api/3/action/hlj_reprint_check_run        (sysadmins; `ckan hlj reprint check` does the same)
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.reprint import check
from ckanext.hlj.reprint import report as reprint_report

__all__ = ["hlj_reprint_check_run", "hlj_reprint_report_show"]


@tk.side_effect_free
def hlj_reprint_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Reprint coverage and timeliness from the latest check: per site (``by=site``: coverage, on-time rate, lag
    median / p90 / max in hours, the missing items) or per watched item (``by=item``: who reprinted it, how fast and
    why it matched, who has not). Public: watched items and site items are public records.

    :param by: ``site`` (default) or ``item``
    :param site: one obligated organisation's name
    :param watched: one watched dataset's id or name
    """
    tk.check_access("hlj_reprint_report_show", context, data_dict)
    by = data_dict.get("by") or "site"
    if by not in ("site", "item"):
        message = "取值应为 site 或 item" if not request_language().startswith("en") else "Use site or item"
        raise tk.ValidationError({"by": [message]})
    return reprint_report.report(by=by, site=data_dict.get("site"), watched=data_dict.get("watched"))


def hlj_reprint_check_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Run the reprint check now over the portal's data (sysadmins)."""
    tk.check_access("hlj_reprint_check_run", context, data_dict)
    return check.run()
