"""The deadline rules of government openness (公开时限) and their computation, on the working-day calendar.

The rules live in ``data/deadline_rules.yaml``: each has a title, its legal basis (documents, articles, the operative
words and how sure we are of them), a unit — ``working_days``, ``calendar_days``, ``hours``, ``fixed_date`` or
``annual_date`` — and amount, the fields it runs from and stops at, what it applies to, and whether a calendar-day
period ending on a rest day runs on (《民法典》 art. 203). Two kinds: ``due`` rules (something must happen by the due
date) and ``minimum`` rules (something must last at least so long: the 30-day consultation), which
:func:`check_minimum` checks.

* :func:`compute` — the due date of a rule, or of an ad-hoc period (``working_days=``, ``days=``, ``hours=``).
* :func:`status` — on time, late, pending or overdue, and by how much.

Conventions (see :mod:`.workdays`): working-day due dates are the n-th working day after the start; calendar-day due
dates are start + n days, run on to the next working day when the rule says so (ad-hoc ``days=`` periods do, as
art. 203 wants); hour deadlines are datetimes on the Shanghai wall clock and need a start time (a bare date is
refused); fixed and annual dates are dates set by the text and never move; a date deadline is met up to 24:00 of the
due date. The extended application reply (条例 art. 33) is a rule of its own, 40 working days from receipt: working-day
counts are additive, so the 20-day extension added at the end of the first 20 days ends on the same day.

Missing calendar years: :func:`compute` raises :class:`.workdays.CalendarYearMissing` unless ``provisional=True``;
:func:`status` estimates by default (``provisional=True``) so that monitoring keeps working on 1 January before the
year's notice is loaded — its result then says ``provisional=True``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from . import workdays
from .dates import parse_date_or_datetime
from .errors import InvalidValue

__all__ = [
    "KINDS",
    "STATES",
    "UNITS",
    "Basis",
    "Deadline",
    "FieldRef",
    "MinimumCheck",
    "Rule",
    "Status",
    "check_minimum",
    "compute",
    "rule",
    "rules",
    "status",
]

UNITS = ("working_days", "calendar_days", "hours", "fixed_date", "annual_date")
KINDS = ("due", "minimum")
STATES = ("on_time", "late", "pending", "overdue")
BASIS_STATUSES = ("confirmed", "secondary", "knowledge")
RULES_FILE = Path(__file__).resolve().parent / "data" / "deadline_rules.yaml"


def _en(lang: str | None) -> bool:
    return (lang or "").lower().startswith("en")


@dataclass(frozen=True)
class Basis:
    """One source of a rule: the document, article, operative words and how well they were checked.

    ``status``: ``confirmed`` (read in the seed text or an official page), ``secondary`` (read in a third-party copy
    or report), ``knowledge`` (not checked against a retrieved text).
    """

    document: str
    document_en: str
    article: str | None
    quote: str | None
    status: str
    checked: str | None
    note: str | None


@dataclass(frozen=True)
class FieldRef:
    """A record field a rule starts from or stops at, with its meaning in both languages."""

    field: str
    zh: str
    en: str


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title_zh: str
    title_en: str
    unit: str
    amount: int | None
    date: date | None  # fixed_date: the due date
    month_day: tuple[int, int] | None  # annual_date: (month, day) of the year after the start's year
    start: FieldRef | None
    stop: FieldRef
    applies_to: tuple[str, ...]
    runs_on: bool
    extends: str | None
    extension: int | None
    basis: tuple[Basis, ...]
    uncertain: tuple[str, ...]
    departments: tuple[str, ...] = ()

    def title(self, lang: str | None = "zh_Hans_CN") -> str:
        return self.title_en if _en(lang) else self.title_zh

    def basis_text(self, lang: str | None = "zh_Hans_CN") -> str:
        """The legal basis in one line: documents and articles, strongest first, joined by ；/ ``; ``."""
        if _en(lang):
            return "; ".join(f"{b.document_en}{', ' + b.article if b.article else ''}" for b in self.basis)
        return "；".join(f"{b.document}{b.article or ''}" for b in self.basis)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline.

    ``due`` is a date (met up to 24:00 of it) or, for hour rules, an aware datetime in Asia/Shanghai. For a
    ``minimum`` rule it is the earliest permitted end, not a due date (``kind`` tells). ``provisional`` is true when
    the calendar of a missing year was estimated; ``years`` lists those years.
    """

    due: date | datetime
    rule: str | None
    kind: str
    unit: str
    amount: int | float | None
    basis_zh: str
    basis_en: str
    provisional: bool = False
    years: tuple[int, ...] = ()

    def basis(self, lang: str | None = "zh_Hans_CN") -> str:
        return self.basis_en if _en(lang) else self.basis_zh


@dataclass(frozen=True)
class Status:
    """Where an obligation stands.

    ``state``: ``on_time`` (done by the due date), ``late`` (done after it), ``pending`` (not done, not yet due),
    ``overdue`` (not done, past due — measured against ``now``). ``late_by`` (for ``late`` and ``overdue``, else
    None) is in ``late_by_unit``: ``working_days`` for working-day rules (the working days in (due, completion day] or
    (due, today], at least 1: done on the Saturday after a Friday due date is 1 working day late),
    ``hours`` (a float) for hour rules, ``calendar_days`` otherwise. ``late_by_delta`` is the same lateness as a
    timedelta on the calendar (whole days for date rules).
    """

    state: str
    due: date | datetime
    late_by: int | float | None
    late_by_unit: str
    late_by_delta: timedelta | None
    provisional: bool
    rule: str


@dataclass(frozen=True)
class MinimumCheck:
    """The result of :func:`check_minimum`: whether ``days`` (end − start) reached the rule's amount."""

    ok: bool
    earliest_end: date
    days: int
    short_by: int
    rule: str


# --------------------------------------------------------------------------------------------------------------
# Loading the registry


def _bad_registry(rule_id: str, problem: str) -> ValueError:
    return ValueError(f"deadline_rules.yaml: {rule_id}: {problem}")


def _field(raw: object, rule_id: str, what: str) -> FieldRef | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("field", "zh", "en")):
        raise _bad_registry(rule_id, f"{what} needs field, zh and en")
    return FieldRef(raw["field"], raw["zh"], raw["en"])


def _basis(raw: object, rule_id: str) -> tuple[Basis, ...]:
    if not isinstance(raw, list) or not raw:
        raise _bad_registry(rule_id, "no basis")
    result = []
    for item in raw:
        if (
            item.get("status") not in BASIS_STATUSES
            or not item.get("document")
            or not item.get("document_en")
        ):
            raise _bad_registry(
                rule_id, f"basis needs document, document_en and a status in {BASIS_STATUSES}"
            )
        result.append(
            Basis(
                document=item["document"],
                document_en=item["document_en"],
                article=item.get("article"),
                quote=item.get("quote"),
                status=item["status"],
                checked=item.get("checked"),
                note=item.get("note"),
            )
        )
    return tuple(result)


def _load_rule(rule_id: str, raw: dict) -> Rule:
    kind, unit, amount = raw.get("kind"), raw.get("unit"), raw.get("amount")
    if kind not in KINDS or unit not in UNITS:
        raise _bad_registry(rule_id, f"kind must be one of {KINDS} and unit one of {UNITS}")
    fixed: date | None = None
    month_day: tuple[int, int] | None = None
    if unit in ("working_days", "calendar_days", "hours"):
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise _bad_registry(rule_id, "amount must be a whole number >= 0")
    elif unit == "fixed_date":
        fixed = raw.get("date")
        if not isinstance(fixed, date):
            raise _bad_registry(rule_id, "a fixed_date rule needs date: YYYY-MM-DD")
    else:
        month, _, day = str(raw.get("date", "")).partition("-")
        month_day = (int(month), int(day))
        date(2000, *month_day)  # a leap year: any real MM-DD passes
    if unit in ("hours", "fixed_date", "annual_date") and raw.get("runs_on"):
        raise _bad_registry(rule_id, "only calendar-day periods run on past rest days")
    if kind == "minimum" and unit != "calendar_days":
        raise _bad_registry(rule_id, "a minimum rule counts calendar days")
    start = _field(raw.get("start"), rule_id, "start")
    if start is None and unit != "fixed_date":
        raise _bad_registry(rule_id, "only fixed_date rules may have no start")
    stop = _field(raw.get("stop"), rule_id, "stop")
    if stop is None:
        raise _bad_registry(rule_id, "no stop field")
    return Rule(
        id=rule_id,
        kind=kind,
        title_zh=raw["title"]["zh"],
        title_en=raw["title"]["en"],
        unit=unit,
        amount=amount if unit in ("working_days", "calendar_days", "hours") else None,
        date=fixed,
        month_day=month_day,
        start=start,
        stop=stop,
        applies_to=tuple(raw.get("applies_to") or ()),
        runs_on=bool(raw.get("runs_on")),
        extends=raw.get("extends"),
        extension=raw.get("extension"),
        basis=_basis(raw.get("basis"), rule_id),
        uncertain=tuple(raw.get("uncertain") or ()),
        departments=tuple(raw.get("departments") or ()),
    )


@functools.cache
def _registry() -> dict[str, Rule]:
    raw = yaml.safe_load(RULES_FILE.read_text("utf-8"))
    registry = {rule_id: _load_rule(rule_id, spec) for rule_id, spec in raw["rules"].items()}
    for item in registry.values():
        if item.extends is not None:
            base = registry.get(item.extends)
            if base is None or base.unit != item.unit or base.amount + (item.extension or 0) != item.amount:
                raise _bad_registry(item.id, "extends/extension disagree with the rule it extends")
    return registry


def rules() -> list[Rule]:
    """Every rule, in the order of the YAML file."""
    return list(_registry().values())


def rule(rule_id: str | Rule) -> Rule:
    """The rule with this id; InvalidValue for an unknown id."""
    if isinstance(rule_id, Rule):
        return rule_id
    found = _registry().get(rule_id) if isinstance(rule_id, str) else None
    if found is None:
        shown = str(rule_id)[:40]
        raise InvalidValue(
            "deadline_rule_unknown",
            f"未知的时限规则：{shown}",
            f"Deadline: unknown rule {shown!r} (known: {', '.join(_registry())})",
        )
    return found


# --------------------------------------------------------------------------------------------------------------
# Input coercion


def _start_date(value: object) -> date:
    if value is None:
        raise InvalidValue("deadline_start_missing", "缺少起算日期", "Deadline: the start date is missing")
    if isinstance(value, str):
        value = parse_date_or_datetime(value)
    if isinstance(value, datetime):
        return parse_date_or_datetime(value).date()  # type: ignore[union-attr]
    if isinstance(value, date):
        return value
    raise InvalidValue(
        "deadline_start_type",
        f"起算日期应为日期，收到 {type(value).__name__}",
        f"Deadline: the start must be a date, got {type(value).__name__}",
    )


def _moment(value: object, what_zh: str, what_en: str) -> datetime:
    """An aware Shanghai datetime; a bare date is refused (an hour period needs a time of day)."""
    if value is None:
        raise InvalidValue("deadline_start_missing", f"缺少{what_zh}", f"Deadline: the {what_en} is missing")
    if isinstance(value, str):
        value = parse_date_or_datetime(value)
    if isinstance(value, datetime):
        return parse_date_or_datetime(value)  # type: ignore[return-value]
    if isinstance(value, date):
        raise InvalidValue(
            "deadline_needs_time",
            f"按小时计算的时限需要{what_zh}的具体时刻（日期和时:分），只给了日期 {value}",
            f"Deadline: an hour-based deadline needs the {what_en} with a time of day, not just the date {value}",
        )
    raise InvalidValue(
        "deadline_start_type",
        f"{what_zh}应为日期时间，收到 {type(value).__name__}",
        f"Deadline: the {what_en} must be a date-time, got {type(value).__name__}",
    )


def _report_year(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1900 <= value <= 2100:
            raise InvalidValue(
                "deadline_start_type", f"报告年度无效：{value}", f"Deadline: invalid report year {value}"
            )
        return value
    return _start_date(value).year


def _amount(value: object, unit: str) -> int | float:
    whole = unit != "hours"
    valid_type = isinstance(value, int) or (not whole and isinstance(value, float))
    if isinstance(value, bool) or not valid_type or (isinstance(value, float) and not math.isfinite(value)):
        zh = "时限必须是整数" if whole else "小时数必须是数字"
        raise InvalidValue(
            "deadline_amount_type",
            zh,
            f"Deadline: the amount of {unit} must be a {'whole ' if whole else ''}number",
        )
    if value < 0:
        raise InvalidValue(
            "deadline_amount_negative",
            f"时限不能为负数：{value}",
            f"Deadline: the amount cannot be negative ({value})",
        )
    return value


_ADHOC_TEXT = {
    "working_days": (
        "自起算日起{n}个工作日（起算日不计入）",
        "{n} working days after the start date (not counted)",
    ),
    "calendar_days": ("自起算日起{n}日（起算日不计入，末日为休息日的顺延）", "{n} days after the start date"),
    "hours": ("自起算时刻起{n}小时", "{n} hours after the start time"),
}


# --------------------------------------------------------------------------------------------------------------
# Computing


def compute(
    start: object,
    *,
    rule: str | Rule | None = None,
    working_days: int | None = None,
    days: int | None = None,
    hours: float | None = None,
    provisional: bool = False,
    run_on: bool | None = None,
) -> Deadline:
    """The deadline of ``rule`` (an id) or of an ad-hoc period, counted from ``start``.

    Exactly one of ``rule``, ``working_days``, ``days``, ``hours``. ``start`` is a date (or a datetime / written date,
    taken as its Shanghai date) for day rules, a datetime for hour rules (a bare date is an error: the hours need a
    start time), the reported year (an int, or any date in it) for annual rules, and is ignored for fixed dates.
    ``run_on`` overrides whether a calendar-day period ending on a rest day runs on (default: the rule's setting;
    true for ad-hoc ``days``). InvalidValue for anything else; :class:`.workdays.CalendarYearMissing` when a needed
    calendar year is not loaded and ``provisional`` is false.
    """
    named = {"rule": rule, "working_days": working_days, "days": days, "hours": hours}
    given = [name for name, value in named.items() if value is not None]
    if len(given) != 1:
        raise InvalidValue(
            "deadline_arguments",
            "须且只能指定一种时限：规则、工作日数、天数或小时数",
            f"Deadline: give exactly one of rule, working_days, days, hours (got {', '.join(given) or 'none'})",
        )
    if rule is not None:
        return _compute_rule(_rule(rule), start, provisional=provisional, run_on=run_on)
    if working_days is not None:
        unit, amount = "working_days", _amount(working_days, "working_days")
    elif days is not None:
        unit, amount = "calendar_days", _amount(days, "calendar_days")
    else:
        unit, amount = "hours", _amount(hours, "hours")
    zh, en = _ADHOC_TEXT[unit]
    due, flagged, years = _due(
        unit, int(amount) if unit != "hours" else amount, start, run_on is not False, provisional
    )
    return Deadline(due, None, "due", unit, amount, zh.format(n=amount), en.format(n=amount), flagged, years)


_rule = rule  # compute() and status() take a keyword named ``rule``


def _due(
    unit: str, amount: int | float, start: object, run_on: bool, provisional: bool
) -> tuple[date | datetime, bool, tuple[int, ...]]:
    if unit == "working_days":
        result = workdays.due_workdays(_start_date(start), int(amount), provisional=provisional)
        return result.date, result.provisional, result.years
    if unit == "calendar_days":
        result = workdays.due_days(_start_date(start), int(amount), run_on=run_on, provisional=provisional)
        return result.date, result.provisional, result.years
    return workdays.add_hours(_moment(start, "起算时刻", "start time"), amount), False, ()


def _compute_rule(item: Rule, start: object, *, provisional: bool, run_on: bool | None) -> Deadline:
    basis = (item.basis_text("zh"), item.basis_text("en"))
    if item.unit == "fixed_date":
        return Deadline(item.date, item.id, item.kind, item.unit, None, *basis)  # type: ignore[arg-type]
    if item.unit == "annual_date":
        month, day = item.month_day  # type: ignore[misc]
        due = date(_report_year(start) + 1, month, day)
        return Deadline(due, item.id, item.kind, item.unit, None, *basis)
    if item.kind == "minimum":
        earliest = _start_date(start) + timedelta(days=item.amount or 0)
        return Deadline(earliest, item.id, item.kind, item.unit, item.amount, *basis)
    effective_run_on = item.runs_on if run_on is None else run_on
    due, flagged, years = _due(item.unit, item.amount or 0, start, effective_run_on, provisional)
    return Deadline(due, item.id, item.kind, item.unit, item.amount, *basis, flagged, years)


def check_minimum(start: object, end: object, *, rule: str | Rule = "consultation_min_30d") -> MinimumCheck:
    """Whether a period from ``start`` to ``end`` (e.g. a consultation's opening and closing dates) lasted long enough.

    Counted like any period (《民法典》 art. 201): the start day is not counted, so ``days = end - start`` and the
    earliest acceptable ``end`` is ``start + amount`` days. No run-on: a minimum is not a deadline.
    """
    item = _rule(rule)
    if item.kind != "minimum":
        raise InvalidValue(
            "deadline_rule_kind",
            f"{item.id} 不是最短期限规则",
            f"Deadline: {item.id} is not a minimum-duration rule",
        )
    first, last = _start_date(start), _start_date(end)
    if last < first:
        raise InvalidValue(
            "deadline_stop_before_start",
            f"截止日期 {last} 早于开始日期 {first}",
            f"Deadline: the end {last} is before the start {first}",
        )
    amount = item.amount or 0
    days = (last - first).days
    return MinimumCheck(days >= amount, first + timedelta(days=amount), days, max(0, amount - days), item.id)


def status(
    start: object,
    stopped_at: object,
    *,
    rule: str | Rule,
    now: date | datetime | None = None,
    provisional: bool = True,
) -> Status:
    """The state of an obligation under ``rule`` that started at ``start`` and was met at ``stopped_at`` (or None).

    ``now`` (default: :func:`.workdays.now`) decides pending versus overdue. For hour rules ``start``, ``stopped_at``
    and ``now`` must carry a time of day; for date rules a datetime counts by its Shanghai date. Estimates missing
    calendar years unless ``provisional=False`` (then :class:`.workdays.CalendarYearMissing`). A completion before
    the start is an InvalidValue (bad data). Minimum rules have no status: use :func:`check_minimum`.
    """
    item = _rule(rule)
    if item.kind != "due":
        raise InvalidValue(
            "deadline_rule_kind",
            f"{item.id} 是最短期限规则，没有到期状态；请用 check_minimum",
            f"Deadline: {item.id} is a minimum-duration rule with no due state; use check_minimum",
        )
    deadline = compute(start, rule=item, provisional=provisional)
    if item.unit == "hours":
        return _hours_status(item, deadline, start, stopped_at, now)
    due: date = deadline.due  # type: ignore[assignment]
    done = stopped_at is not None
    moment = _start_date(stopped_at) if done else _start_date(now if now is not None else workdays.now())
    if done and item.unit in ("working_days", "calendar_days") and moment < _start_date(start):
        raise InvalidValue(
            "deadline_stop_before_start",
            f"完成日期 {moment} 早于起算日期",
            f"Deadline: completed on {moment}, before the start date",
        )
    if moment <= due:
        return Status(
            "on_time" if done else "pending", due, None, _late_unit(item), None, deadline.provisional, item.id
        )
    flagged = deadline.provisional
    if item.unit == "working_days":
        span = workdays.count_workdays(due, moment, provisional=provisional)
        late_by: int = max(1, span.workdays)
        flagged = flagged or span.provisional
    else:
        late_by = (moment - due).days
    state = "late" if done else "overdue"
    return Status(state, due, late_by, _late_unit(item), moment - due, flagged, item.id)


def _late_unit(item: Rule) -> str:
    return item.unit if item.unit in ("working_days", "hours") else "calendar_days"


def _hours_status(item: Rule, deadline: Deadline, start: object, stopped_at: object, now: object) -> Status:
    due: datetime = deadline.due  # type: ignore[assignment]
    done = stopped_at is not None
    if done:
        moment = _moment(stopped_at, "完成时刻", "completion time")
        if moment < _moment(start, "起算时刻", "start time"):
            raise InvalidValue(
                "deadline_stop_before_start",
                f"完成时刻 {moment:%Y-%m-%d %H:%M} 早于起算时刻",
                f"Deadline: completed at {moment:%Y-%m-%d %H:%M}, before the start time",
            )
    else:
        moment = _moment(now if now is not None else workdays.now(), "当前时刻", "current time")
    if moment <= due:
        return Status("on_time" if done else "pending", due, None, "hours", None, False, item.id)
    delta = moment - due
    return Status(
        "late" if done else "overdue", due, delta.total_seconds() / 3600, "hours", delta, False, item.id
    )
