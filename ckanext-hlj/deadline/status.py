"""The deadline status of a dataset: which rules bind it, when each obligation is due, and whether it was met.

The obligations of each type (rule ids of ``catalogue/data/deadline_rules.yaml``):

* ``policy`` — a document issued by the organisation that publishes it must be public within 20 working days of
  being written or changed (条例 art. 26, ``proactive_disclosure_20wd``): ``changed_date`` or else ``written_date``
  starts the clock, the time it appeared on its source site (``source_published_at``, else when this platform first
  saw it) stops it. A reprint of another issuer's document is judged by the reprint checks, not by its 成文日期;
  interpretations have no clock here.
* ``disclosure-application`` — a reply within 20 working days of receipt (条例 art. 33,
  ``application_reply_20wd``), 40 when the reply period was ``extended`` (``application_reply_extended_20wd``). The
  clock starts on ``correction_received_on`` when the applicant had to correct the application (art. 30), else on
  ``received_on``; ``replied_on`` stops it.
* ``response`` — 政务舆情回应 (seed 三（五）): for an emergency rated 特别重大 or 重大, authoritative information within
  5 hours (``incident_release_5h``, stopped by ``first_release_at``) *and* a press conference within 24 hours
  (``incident_press_24h``, ``press_conference_at``); for any other public opinion a response within 48 hours
  (``opinion_response_48h``, ``response_at``). All run from ``event_at`` on the wall clock, across midnight and
  holidays alike.
* ``consultation`` — the comment window must last at least 30 days (``consultation_min_30d``): a minimum, not a due
  date, reported under ``minimum`` (ok, days, short_by, and the reason given for a shorter window; the validator
  refuses a short window without one). The seed sets no period for publishing the comments' feedback (意见采纳情况,
  五（二）: "应予公布"; 一（一） only attaches a note on it to the meeting plan submitted for approval), so the
  platform treats it as due with the decision
  (:data:`FEEDBACK_RULE`): pending while no decision is published (due date unknown), on time when published by the
  day the decision was, late after it, overdue when the decision is out without it.

A record may carry several obligations. :func:`dataset_status` lists them all under ``obligations`` and repeats the
worst one's keys at the top level (overdue, then late, then pending, then on time; among equals the most late, or the
soonest due), so a type with one obligation reads as before. The index holds the worst state, its rule, due day and
start day (``hlj_deadline_*`` Solr fields, a facet on the search page), plus every obligation's ``rule:state`` pair
(:data:`INDEX_RULE_STATES`) and the days pending obligations fall due (:data:`INDEX_PENDING_DUE`). The daily job
re-indexes records whose worst state is pending and whose due day has passed; hour deadlines are indexed by their
Shanghai day, so an hour obligation shows as overdue in the index from the day after its due day (or as soon as the
record is edited). Missing calendar years are estimated and marked provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from ckanext.hlj.catalogue import dates, deadlines
from ckanext.hlj.catalogue.errors import InvalidValue

POLICY_RULE = "proactive_disclosure_20wd"
APPLICATION_RULE = "application_reply_20wd"
APPLICATION_EXTENDED_RULE = "application_reply_extended_20wd"
RELEASE_RULE = "incident_release_5h"
PRESS_RULE = "incident_press_24h"
RESPONSE_RULE = "opinion_response_48h"
CONSULTATION_RULE = "consultation_min_30d"
FEEDBACK_RULE = "consultation_feedback_with_decision"
# Emergencies the 5 h and 24 h rules name (涉及特别重大、重大突发事件的政务舆情); every other level gets 48 h.
MAJOR_SEVERITIES = ("particularly_major", "major")

STATES = ("on_time", "late", "pending", "overdue")
WORST_FIRST = ("overdue", "late", "pending", "on_time")
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
INDEX_RULE_STATES = "hlj_deadline_rule_state"  # "<rule>:<state>" of every obligation
INDEX_PENDING_DUE = "hlj_deadline_pending_due"  # due days (Shanghai) of the pending obligations
INDEX_MINIMUM = "hlj_deadline_minimum"  # consultations: "ok" or "short"

# The feedback rule until deadline_rules.yaml carries it (the registry's entry, when present, is used instead).
_FEEDBACK_FALLBACK = deadlines.Rule(
    id=FEEDBACK_RULE,
    kind="due",
    title_zh="公开征求意见的采纳情况随决策结果一并公布",
    title_en="Feedback on a public consultation published together with the decision",
    unit="calendar_days",
    amount=0,
    date=None,
    month_day=None,
    start=deadlines.FieldRef("decision_published_at", "决策结果公布之日", "Date the decision was published"),
    stop=deadlines.FieldRef(
        "feedback_published_at", "意见采纳情况公布之日", "Date the feedback was published"
    ),
    applies_to=("dataset:consultation",),
    runs_on=False,
    extends=None,
    extension=None,
    basis=(
        deadlines.Basis(
            document="中共黑龙江省委办公厅、黑龙江省人民政府办公厅《关于全面推进政务公开工作的实施意见》（2017年3月20日）",
            document_en="Heilongjiang implementation opinions on comprehensively promoting openness in government "
            "affairs (2017-03-20)",
            article="五、（二）规范公众参与方式",
            quote="公开征求意见的采纳情况应予公布，相对集中的意见建议不予采纳的，公布时要说明理由",
            status="confirmed",
            checked="shared/seed/000_4dd9b38d90357326.txt",
            note="No period is set. 一、（一） only has a note on the comments collected and adopted attached to "
            "the meeting plan submitted for approval, an internal step.",
        ),
    ),
    uncertain=(
        "The seed sets no period: due with the decision (met up to 24:00 of its day) is the platform's reading.",
    ),
)


class Obligation(NamedTuple):
    rule: str
    start: Any  # None: the clock has not started (a consultation whose decision is not yet published)
    stop: Any  # None: not done yet
    stop_field: str


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _value(pkg_dict: dict[str, Any], name: str) -> Any:
    value = pkg_dict.get(name)
    if value in (None, ""):
        value = pkg_dict.get(f"extras_{name}")
    return None if value in (None, "") else value


def _rule(rule_id: str) -> deadlines.Rule:
    try:
        return deadlines.rule(rule_id)
    except InvalidValue:
        if rule_id == FEEDBACK_RULE:
            return _FEEDBACK_FALLBACK
        raise


Value = Callable[[str], Any]


def _policy(value: Value) -> list[Obligation]:
    if (value("policy_role") or "document") != "document" or _truthy(value("is_reprint")):
        return []
    start = value("changed_date") or value("written_date")
    if start is None:
        return []
    stop_field = "source_published_at" if value("source_published_at") else "first_seen_at"
    return [Obligation(POLICY_RULE, start, value(stop_field), stop_field)]


def _application(value: Value) -> list[Obligation]:
    start = value("correction_received_on") or value("received_on")
    if start is None:
        return []
    rule_id = APPLICATION_EXTENDED_RULE if _truthy(value("extended")) else APPLICATION_RULE
    return [Obligation(rule_id, start, value("replied_on"), "replied_on")]


def _response(value: Value) -> list[Obligation]:
    start = value("event_at")
    if start is None:
        return []
    if value("severity") in MAJOR_SEVERITIES:
        return [
            Obligation(RELEASE_RULE, start, value("first_release_at"), "first_release_at"),
            Obligation(PRESS_RULE, start, value("press_conference_at"), "press_conference_at"),
        ]
    return [Obligation(RESPONSE_RULE, start, value("response_at"), "response_at")]


def _consultation(value: Value) -> list[Obligation]:
    stop_field = "feedback_published_at"
    return [Obligation(FEEDBACK_RULE, value("decision_published_at"), value(stop_field), stop_field)]


OBLIGATIONS_BY_TYPE: dict[str, Callable[[Value], list[Obligation]]] = {
    "policy": _policy,
    "disclosure-application": _application,
    "response": _response,
    "consultation": _consultation,
}


def obligations(pkg_dict: dict[str, Any]) -> list[Obligation]:
    """The dataset's own deadlines (rule, start, stop or None, the field that stops it); [] when none binds it."""
    found = OBLIGATIONS_BY_TYPE.get(pkg_dict.get("type") or "")
    return found(lambda name: _value(pkg_dict, name)) if found else []


def obligation(pkg_dict: dict[str, Any]) -> tuple[str, Any, Any] | None:
    """(rule id, start, stop or None) of the dataset's first deadline, or None when no rule binds it."""
    found = obligations(pkg_dict)
    return (found[0].rule, found[0].start, found[0].stop) if found else None


def _entry(item: Obligation, state: str, due: Any, **details: Any) -> dict[str, Any]:
    return {
        "rule": item.rule,
        "state": state,
        "due": due.isoformat() if due is not None else None,
        "late_by": details.get("late_by"),
        "late_by_unit": details.get("late_by_unit") or _late_unit(item.rule),
        "provisional": details.get("provisional", False),
        "start": str(item.start) if item.start is not None else None,
        "stopped_at": str(item.stop) if item.stop is not None else None,
        "stop_field": item.stop_field,
    }


def _late_unit(rule_id: str) -> str:
    unit = _rule(rule_id).unit
    return unit if unit in ("working_days", "hours") else "calendar_days"


def _evaluate(item: Obligation, now: dt.datetime | None) -> tuple[dict[str, Any], tuple[Any, ...]] | None:
    """The obligation's status entry and its sort key (greater is worse), or None when its dates are unusable."""
    rule = _rule(item.rule)
    try:
        if (
            item.start is None
        ):  # the clock has not started: pending with no known due date, or done ahead of it
            entry = _entry(item, "pending" if item.stop is None else "on_time", None)
            return entry, (_rank(entry["state"]), float("-inf"))
        stopped = dates.parse_date_or_datetime(item.stop) if item.stop else None
        start = (
            dates.parse_date_or_datetime(item.start) if rule.unit == "hours" else dates.parse_date(item.start)
        )
        if rule.id == FEEDBACK_RULE and stopped is not None and _day(stopped) < _day(start):
            entry = _entry(item, "on_time", _day(start))  # published before the decision: ahead of time
            return entry, (_rank("on_time"), -_end_of(_day(start)))
        state = deadlines.status(start, stopped, rule=rule, now=now, provisional=True)
    except InvalidValue:
        return None  # bad dates are the validators' business; no status rather than a wrong one
    entry = _entry(
        item,
        state.state,
        state.due,
        late_by=state.late_by,
        late_by_unit=state.late_by_unit,
        provisional=state.provisional,
    )
    if state.state in ("late", "overdue"):
        tie = state.late_by_delta.total_seconds() if state.late_by_delta else 0.0
    else:
        tie = -_end_of(state.due)  # the sooner due, the more urgent
    return entry, (_rank(state.state), tie)


def _rank(state: str) -> int:
    return len(WORST_FIRST) - WORST_FIRST.index(state)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _end_of(due: dt.date | dt.datetime) -> float:
    """A due date or moment as a timestamp: a date deadline is met up to 24:00 (Shanghai) of its day."""
    if isinstance(due, dt.datetime):
        return due.timestamp()
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), tzinfo=dates.SHANGHAI).timestamp()


def minimum_period(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """A consultation's window against ``consultation_min_30d``: ok, days, short_by, earliest_end and the reason
    given for a shorter one; None without usable dates."""
    opens, closes = _value(pkg_dict, "opens_on"), _value(pkg_dict, "closes_on")
    if opens is None or closes is None:
        return None
    try:
        check = deadlines.check_minimum(
            dates.parse_date(opens), dates.parse_date(closes), rule=CONSULTATION_RULE
        )
    except InvalidValue:
        return None
    return {
        "rule": check.rule,
        "ok": check.ok,
        "days": check.days,
        "short_by": check.short_by,
        "earliest_end": check.earliest_end.isoformat(),
        "reason": _value(pkg_dict, "short_period_reason"),
    }


def dataset_status(pkg_dict: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The dataset's status as a plain dict (for the API, the page and the index), or None.

    The top-level keys (rule, state, due, late_by, late_by_unit, provisional, start, stopped_at, stop_field) are
    the worst obligation's; ``obligations`` lists every one in the order of the rules; consultations add
    ``minimum``.
    """
    evaluated = [found for item in obligations(pkg_dict) if (found := _evaluate(item, now)) is not None]
    if not evaluated:
        return None
    worst, _ = max(evaluated, key=lambda pair: pair[1])
    result = {**worst, "obligations": [entry for entry, _ in evaluated]}
    if pkg_dict.get("type") == "consultation":
        result["minimum"] = minimum_period(pkg_dict)
    return result


def index_fields(pkg_dict: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any]:
    status = dataset_status(pkg_dict, now)
    if status is not None:
        pkg_dict[INDEX_STATE] = [status["state"]]
        pkg_dict[INDEX_RULE] = [status["rule"]]
        if status["due"]:
            pkg_dict[INDEX_DUE] = [status["due"][:10]]  # hour deadlines: their day on the Shanghai clock
        if status["start"]:
            pkg_dict[INDEX_START] = [status["start"][:10]]
        pkg_dict[INDEX_RULE_STATES] = sorted({f"{o['rule']}:{o['state']}" for o in status["obligations"]})
        pending = sorted(
            {o["due"][:10] for o in status["obligations"] if o["state"] == "pending" and o["due"]}
        )
        if pending:
            pkg_dict[INDEX_PENDING_DUE] = pending
        if status.get("minimum"):
            pkg_dict[INDEX_MINIMUM] = ["ok" if status["minimum"]["ok"] else "short"]
    return pkg_dict


def state_label(state: str, lang: str | None) -> str:
    labels = STATE_LABELS.get(state)
    if not labels:
        return state
    return labels["en"] if (lang or "").startswith("en") else labels["zh_Hans_CN"]
