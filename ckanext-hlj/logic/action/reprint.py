"""Reprint actions.

GET /api/3/action/hlj_reprint_report_show?by=site[&site=<organisation name>]
GET /api/3/action/hlj_reprint_report_show?by=item[&watched=<dataset>]
GET /api/3/action/hlj_reprint_report_show?by=period[&since=2017-01-01&until=2017-12-31]   (any grouping takes the
    period: only watched items published in it count)
POST /api/3/action/hlj_reprint_check_run        (sysadmins; `ckan hlj reprint check` does the same)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.reprint import check
from ckanext.hlj.reprint import report as reprint_report

__all__ = ["hlj_reprint_check_run", "hlj_reprint_report_show"]


def report_date(
    data_dict: dict[str, Any], key: str, errors: dict[str, list[str]], en: bool
) -> dt.date | None:
    """A report's period bound (YYYY-MM-DD); a bad one adds a per-field message in the reader's language."""
    value = data_dict.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = ["Use a date such as 2017-05-09" if en else "日期格式应为 2017-05-09"]
        return None


@tk.side_effect_free
def hlj_reprint_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Reprint coverage and timeliness from the latest check: per site (``by=site``: coverage, on-time rate, lag
    median / p90 / max in hours, the missing items), per watched item (``by=item``: who reprinted it, how fast and
    why it matched, who has not) or per month the watched items were published (``by=period``). Public: watched
    items and site items are public records.

    :param by: ``site`` (default), ``item`` or ``period``
    :param site: one obligated organisation's name
    :param watched: one watched dataset's id or name
    :param since: only watched items published on or after this date (YYYY-MM-DD, Asia/Shanghai)
    :param until: only watched items published on or before this date
    """
    tk.check_access("hlj_reprint_report_show", context, data_dict)
    en = request_language().startswith("en")
    errors: dict[str, list[str]] = {}
    by = data_dict.get("by") or "site"
    if by not in reprint_report.GROUPINGS:
        errors["by"] = ["Use site, item or period" if en else "取值应为 site、item 或 period"]
    since = report_date(data_dict, "since", errors, en)
    until = report_date(data_dict, "until", errors, en)
    if since and until and since > until:
        errors["until"] = ["Must not be before since" if en else "不能早于开始日期"]
    if errors:
        raise tk.ValidationError(errors)
    return reprint_report.report(
        by=by, site=data_dict.get("site"), watched=data_dict.get("watched"), since=since, until=until
    )


def hlj_reprint_check_run(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Run the reprint check now over the portal's data (sysadmins; ``ckan hlj reprint check`` and the daily
    scheduler do the same): match every obligated site's records to the watched items and store the verdicts.

    :returns: counts of what was checked: ``watched`` items, ``sites``, ``site_items``, ``verdicts`` per status,
        ``folded`` (reprints folded under their original in search) and ``reindexed``
    """
    tk.check_access("hlj_reprint_check_run", context, data_dict)
    return check.run()
