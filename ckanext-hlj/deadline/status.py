"""The deadline status of a dataset: which rule binds it, when it is due, and whether it was met.

Today one kind of dataset carries a deadline of its own: a ``policy`` document issued by the organisation that
publishes it must be public within 20 working days of being written or changed (条例 art. 26,
``proactive_disclosure_20wd``): ``changed_date`` or else ``written_date`` starts the clock, the time it appeared
on its source site (``source_published_at``, else when this platform first saw it) stops it. A reprint of another
issuer's document is judged by the reprint checks, not by its 成文日期; interpretations have no clock here.

Statuses are indexed (``hlj_deadline_*`` Solr fields, a facet on the search page) and refreshed by the daily job
when time alone changes them (pending → overdue). Missing calendar years are estimated and marked provisional.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckanext.hlj.catalogue import dates, deadlines
from ckanext.hlj.catalogue.errors import InvalidValue

POLICY_RULE = "proactive_disclosure_20wd"
STATES = ("on_time", "late", "pending", "overdue")
STATE_LABELS = {
    "on_time": {"zh_Hans_CN": "按时公开", "en": "Published on time"},
    "late": {"zh_Hans_CN": "逾期公开", "en": "Published late"},
    "pending": {"zh_Hans_CN": "待公开（未到期）", "en": "Pending (not yet due)"},
    "overdue": {"zh_Hans_CN": "已超期未公开", "en": "Overdue"},
}
INDEX_STATE = "hlj_deadline_status"
INDEX_DUE = "hlj_deadline_due"
INDEX_RULE = "hlj_deadline_rule"
INDEX_START = "hlj_deadline_start"


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _value(pkg_dict: dict[str, Any], name: str) -> Any:
    value = pkg_dict.get(name)
    if value in (None, ""):
        value = pkg_dict.get(f"extras_{name}")
    return None if value in (None, "") else value


def obligation(pkg_dict: dict[str, Any]) -> tuple[str, Any, Any] | None:
    """(rule id, start, stop or None) of the dataset's own deadline, or None when no rule binds it."""
    if pkg_dict.get("type") != "policy" or (_value(pkg_dict, "policy_role") or "document") != "document":
        return None
    if _truthy(_value(pkg_dict, "is_reprint")):
        return None
    start = _value(pkg_dict, "changed_date") or _value(pkg_dict, "written_date")
    if start is None:
        return None
    stop = _value(pkg_dict, "source_published_at") or _value(pkg_dict, "first_seen_at")
    return POLICY_RULE, start, stop


def dataset_status(pkg_dict: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The dataset's status as a plain dict (for the API, the page and the index), or None."""
    found = obligation(pkg_dict)
    if found is None:
        return None
    rule_id, start, stop = found
    try:
        stopped = dates.parse_date_or_datetime(stop) if stop else None
        state = deadlines.status(dates.parse_date(start), stopped, rule=rule_id, now=now, provisional=True)
    except InvalidValue:
        return None  # bad dates are the validators' business; no status rather than a wrong one
    return {
        "rule": rule_id,
        "state": state.state,
        "due": state.due.isoformat(),
        "late_by": state.late_by,
        "late_by_unit": state.late_by_unit,
        "provisional": state.provisional,
        "start": str(start),
        "stopped_at": str(stop) if stop else None,
    }


def index_fields(pkg_dict: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any]:
    status = dataset_status(pkg_dict, now)
    if status is not None:
        pkg_dict[INDEX_STATE] = [status["state"]]
        pkg_dict[INDEX_DUE] = [status["due"]]
        pkg_dict[INDEX_RULE] = [status["rule"]]
        pkg_dict[INDEX_START] = [status["start"][:10]]
    return pkg_dict


def state_label(state: str, lang: str | None) -> str:
    labels = STATE_LABELS.get(state)
    if not labels:
        return state
    return labels["en"] if (lang or "").startswith("en") else labels["zh_Hans_CN"]
