"""China's working-day calendar: statutory holidays, the State Council's 调休, and periods counted on it.

Which days are working days
===========================
A day is a working day when it is Monday–Friday and not a holiday, or when it is a Saturday/Sunday that the State
Council's annual notice (国务院办公厅关于某年部分节假日安排的通知, a 国办发明电) turns into a make-up working day
(调休上班). The facts come from, in order of precedence:

1. ``data/calendar_overrides.yaml``: notices entered by hand (``ckan hlj calendar add-year``), for years whose notice
   arrived before a release of ``chinesecalendar`` carrying it, and corrections. A date listed there wins; a year
   with an entry counts as loaded even when the package lacks it (its unlisted days follow the weekday rule).
2. ``chinesecalendar`` (import ``chinese_calendar``), which transcribes every notice for the years it covers:
   2004–2026 in the pinned 1.11.0 (:data:`PACKAGE_FIRST_YEAR`–:data:`PACKAGE_LAST_YEAR`, read from the package so
   an upgrade extends the range by itself). Its ``find_workday`` is not used: it first moves a non-working start day
   to the next working day and then counts, one working day too late (tests show the trap).
3. Nothing: a year in neither (2027 today) is *missing*. Every function raises :class:`CalendarYearMissing` naming the
   year, except the ``provisional=True`` variants, which estimate it (below) and mark the result.

``holidays`` (``holidays.China``) transcribes the same notices (2001–2026 in 0.109, make-up days in
``weekend_workdays``); the two are compared day by day in the tests, not at run time. They differ on one day:
2005-12-31, a make-up Saturday of the 2006 notice (国办发明电〔2005〕35号) that chinesecalendar lacks; the override
file carries that notice as a correction.

Provisional years
=================
A missing year from 2025 on is estimated from 《全国年节及纪念日放假办法》 as amended by 国务院令第795号 (in force
2025-01-01): 元旦 1 day, 春节 4 (除夕 and 初一–初三), 清明 1, 劳动节 2 (5/1–5/2), 端午 1, 中秋 1, 国庆 3 (10/1–10/3);
the lunar and solar-term dates are computed by ``holidays`` (checked against chinesecalendar's solar terms for 清明).
Saturdays and Sundays are rest days; there are no make-up working days (they are only known from a notice). One
addition to the bare list: the 办法 (art. 6, article number from knowledge) requires a statutory holiday falling on
a Saturday or Sunday to be compensated on a working day (补假), and the 2020 notice also compensated the day on which
国庆 and 中秋 coincided; the estimate puts each compensation on the first Monday–Friday after the holiday that is not
already a rest day (as the 2026 notice did for 清明 on Sunday 4/5: Monday 4/6 off). Real notices usually fold these
days into a longer 调休 block with make-up Saturdays, so an estimated year is an approximation, marked as such.
Results computed on an estimated year carry ``provisional=True`` and the years concerned; years before 2025 (when
the rules differed) or after 2100 cannot be estimated.

Counting rules
==============
* Working-day periods (《行政许可法》 art. 82, 《政府信息公开条例》 arts. 26 and 33): the start day is not counted
  (《民法典》 art. 201); the due date is the n-th working day after the start. ``n = 0`` gives the start day itself
  (zero working days after it), whatever kind of day that is. Counting is additive: 20 working days after the 20th
  working day is the 40th working day.
* Calendar-day periods: start + n days; when that day is not a working day the period runs on to the next working day
  (《民法典》 art. 203: a period whose last day is a statutory rest day ends on the day after the rest ends; a make-up
  Saturday is a working day, so a period may end on it). :func:`add_days` with ``run_on=False`` gives the bare date.
* Hour periods (《民法典》 art. 201 ¶2) run on the wall clock in Asia/Shanghai, holidays included (art. 203 is about
  days). China has had no daylight saving since 1991, so wall-clock and elapsed hours agree.
* A due date is the whole day: a deadline is met up to 24:00 of it (《民法典》 art. 203 ¶2).

The clock
=========
:func:`now` and :func:`today` are the only sources of "now" (in Asia/Shanghai); freezegun pins them. Nothing here is
computed for a year at import time, so 1 January of an unloaded year breaks only the non-provisional callers, and
those get a :class:`CalendarYearMissing` telling the operator to load the notice.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import holidays as holidays_lib
import yaml
from chinese_calendar import constants as _cc_constants

from .dates import SHANGHAI, parse_date, parse_date_or_datetime
from .errors import InvalidValue

__all__ = [
    "PACKAGE_FIRST_YEAR",
    "PACKAGE_LAST_YEAR",
    "PROVISIONAL_FIRST_YEAR",
    "PROVISIONAL_LAST_YEAR",
    "CalendarYearMissing",
    "DayInfo",
    "Due",
    "Span",
    "add_days",
    "add_hours",
    "add_workdays",
    "add_year",
    "add_year_file",
    "calendar_rows",
    "count_workdays",
    "coverage",
    "day_info",
    "due_by_ordinal",
    "due_days",
    "due_workdays",
    "estimated_rest_days",
    "is_workday",
    "missing_years",
    "next_workday",
    "now",
    "overrides_path",
    "read_year_file",
    "set_overrides_path",
    "statutory_holidays",
    "today",
    "workdays_between",
]

PACKAGE_FIRST_YEAR: int = min(_cc_constants.holidays).year
PACKAGE_LAST_YEAR: int = max(_cc_constants.holidays).year
# The amended 放假办法 (国务院令第795号) applies from 2025; earlier years had other statutory holidays.
PROVISIONAL_FIRST_YEAR = 2025
PROVISIONAL_LAST_YEAR = 2100  # the end of the lunar tables of ``holidays`` and of :data:`dates.MAX_YEAR`

OVERRIDES_ENV = "HLJ_CALENDAR_OVERRIDES"
DEFAULT_OVERRIDES = Path(__file__).resolve().parent / "data" / "calendar_overrides.yaml"

_ONE_DAY = timedelta(days=1)
_CC_NAMES = {h.value: h.chinese for h in _cc_constants.Holiday}
# Statutory holidays as ``holidays`` names them in zh_CN (除夕 is part of 春节 from 2025, and was 2008–2013).
_STATUTORY = {
    "元旦": "元旦",
    "农历除夕": "春节",
    "春节": "春节",
    "清明节": "清明节",
    "劳动节": "劳动节",
    "端午节": "端午节",
    "中秋节": "中秋节",
    "国庆节": "国庆节",
}
# Days off per 放假办法 as amended by 国务院令第795号: 1 + 4 + 1 + 2 + 1 + 1 + 3.
_STATUTORY_DAYS_2025 = 13
_NOTICE_NUMBER = re.compile(r"国办发明电〔\d{4}〕\d+号")
_SOURCE_KEYS = {"title", "number", "date", "url", "note"}


# --------------------------------------------------------------------------------------------------------------
# Errors, results, the clock


class CalendarYearMissing(InvalidValue):
    """No notice is loaded for ``year``: the working days of that year are unknown.

    ``estimable`` tells whether a ``provisional=True`` call could estimate the year instead (2025–2100).
    """

    def __init__(self, year: int, estimable: bool | None = None):
        if estimable is None:
            estimable = PROVISIONAL_FIRST_YEAR <= year <= PROVISIONAL_LAST_YEAR
        self.year = year
        self.estimable = estimable
        if estimable:
            super().__init__(
                "calendar_year_missing",
                f"尚未载入{year}年的节假日安排（国务院办公厅关于{year}年部分节假日安排的通知），无法确定{year}年的"
                f"工作日；请用 ckan hlj calendar add-year 载入该通知，或按推定日历计算",
                f"Working-day calendar: the {year} public-holiday schedule (the State Council General Office's "
                f"notice on {year} holidays) is not loaded, so working days in {year} are unknown; load it with "
                f"`ckan hlj calendar add-year` or ask for a provisional result",
            )
        else:
            super().__init__(
                "calendar_year_unsupported",
                f"工作日历不支持{year}年（已载入的年份之外只能推定{PROVISIONAL_FIRST_YEAR}–{PROVISIONAL_LAST_YEAR}年）",
                f"Working-day calendar: {year} is not supported (beyond the loaded years only "
                f"{PROVISIONAL_FIRST_YEAR}–{PROVISIONAL_LAST_YEAR} can be estimated)",
            )

    def __reduce__(self):
        return (type(self), (self.year, self.estimable))


@dataclass(frozen=True)
class Due:
    """A due date and whether it rests on an estimated calendar.

    ``years`` are the estimated (provisional) years the computation looked at; empty, and ``provisional`` false,
    when every day consulted comes from a State Council notice.
    """

    date: date
    provisional: bool = False
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Span:
    """A count of working days, marked like :class:`Due`."""

    workdays: int
    provisional: bool = False
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class DayInfo:
    """One day of the calendar.

    ``kind`` is ``workday`` (an ordinary Monday–Friday), ``makeup_workday`` (a Saturday/Sunday worked under a
    notice), ``holiday`` (a rest day under a notice or the statute, including weekend days inside a holiday block)
    or ``weekend``. ``name`` is the festival's Chinese name for the last two kinds of notice days.
    """

    date: date
    is_workday: bool
    kind: str
    name: str | None
    provisional: bool


def now() -> datetime:
    """The current time, aware, in Asia/Shanghai: the one clock of the calendar and the deadline rules."""
    return datetime.now(SHANGHAI)


def today() -> date:
    """Today's date in Asia/Shanghai."""
    return now().date()


# --------------------------------------------------------------------------------------------------------------
# Input coercion


def _as_date(value: object, what: str = "date") -> date:
    """A date from a date, a datetime (its date in Shanghai; naive = Shanghai) or a written date."""
    if isinstance(value, datetime):
        return parse_date_or_datetime(value).date()  # type: ignore[union-attr]
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise InvalidValue(
        "calendar_date_type",
        f"{what}：需要日期，收到 {type(value).__name__}",
        f"Working-day calendar: {what} must be a date, got {type(value).__name__}",
    )


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(
            "calendar_count_type",
            f"{what}必须是整数",
            f"Working-day calendar: {what} must be a whole number, got {value!r}",
        )
    if value < 0:
        raise InvalidValue(
            "calendar_count_negative",
            f"{what}不能为负数：{value}",
            f"Working-day calendar: {what} cannot be negative ({value})",
        )
    return value


# --------------------------------------------------------------------------------------------------------------
# Statutory holidays and the provisional estimate


def statutory_holidays(year: int) -> dict[date, tuple[str, ...]]:
    """The statutory days off of ``year`` under the 放假办法 in force that year, as ``holidays`` computes them.

    Each date maps to the festivals falling on it (two when they coincide, as 中秋 and 国庆 on 2028-10-03); 除夕 is
    reported as 春节. Lunar dates come from the lunar tables of ``holidays`` (1901–2100). Notice days, weekend
    compensation and make-up days are not included.
    """
    table = holidays_lib.China(years=year, observed=False, language="zh_CN")
    result: dict[date, tuple[str, ...]] = {}
    for day, names in sorted(table.items()):
        festivals = tuple(_STATUTORY[n] for n in names.split("; ") if n in _STATUTORY)
        if festivals and day.year == year:
            result[day] = festivals
    return result


def estimated_rest_days(year: int) -> dict[date, str]:
    """Estimated rest days of ``year`` other than ordinary weekends (the provisional calendar; 2025–2100).

    The statutory days off (13 under the amended 办法) plus one compensation day (补假) for each statutory day that
    falls on a Saturday or Sunday or on the same date as another festival, placed on the first Monday–Friday after
    it that is not already a rest day. No make-up working days. Names end in （推定）, compensation days in
    （补假，推定）.
    """
    if not PROVISIONAL_FIRST_YEAR <= year <= PROVISIONAL_LAST_YEAR:
        raise CalendarYearMissing(year, estimable=False)
    statutory = statutory_holidays(year)
    if sum(len(f) for f in statutory.values()) != _STATUTORY_DAYS_2025:
        # The installed ``holidays`` disagrees with the 2024 amendment: refuse rather than guess.
        raise CalendarYearMissing(year, estimable=False)
    rest: dict[date, str] = {day: f"{festivals[0]}（推定）" for day, festivals in statutory.items()}
    for day, festivals in sorted(statutory.items()):
        owed = len(festivals) - 1 + (1 if day.weekday() >= 5 else 0)
        cursor = day
        for _ in range(owed):
            cursor += _ONE_DAY
            while cursor.weekday() >= 5 or cursor in rest:
                cursor += _ONE_DAY
            rest[cursor] = f"{festivals[-1]}（补假，推定）"
    return dict(sorted(rest.items()))


# --------------------------------------------------------------------------------------------------------------
# The override file


def _invalid(zh: str, en: str, code: str = "calendar_notice_invalid") -> InvalidValue:
    return InvalidValue(code, zh, f"Working-day calendar: {en}")


def _entry_date(value: object, year: int) -> date:
    if isinstance(value, datetime):
        raise _invalid(
            f"{year}年通知：日期不应带时间：{value}", f"{year} notice: {value} should be a date, not a time"
        )
    try:
        return _as_date(value, f"{year}年通知中的日期")
    except InvalidValue as err:
        raise _invalid(f"{year}年通知：{err.zh}", f"{year} notice: {err.en}") from None


def _validate_source(year: int, source: object, *, check_issue_date: bool) -> dict:
    if not isinstance(source, Mapping):
        raise _invalid(f"{year}年通知：缺少出处（source）", f"{year} notice: the source is missing")
    unknown = set(source) - _SOURCE_KEYS
    if unknown:
        raise _invalid(
            f"{year}年通知：出处含未知项 {sorted(unknown)}",
            f"{year} notice: unknown source keys {sorted(unknown)} (allowed: {sorted(_SOURCE_KEYS)})",
        )
    title = source.get("title")
    if not isinstance(title, str) or str(year) not in title:
        raise _invalid(
            f"{year}年通知：出处须写明通知标题，且标题含“{year}”",
            f"{year} notice: source.title must be the notice's title and contain {year}",
        )
    number = source.get("number")
    if number is not None and (not isinstance(number, str) or not _NOTICE_NUMBER.fullmatch(number.strip())):
        raise _invalid(
            f"{year}年通知：文号应形如 国办发明电〔2025〕7号，收到 {number!r}",
            f"{year} notice: source.number must look like 国办发明电〔2025〕7号 (or be null), got {number!r}",
        )
    issued = source.get("date")
    if isinstance(issued, str):
        try:
            issued = parse_date(issued)
        except InvalidValue:
            issued = None
    if not isinstance(issued, date) or isinstance(issued, datetime):
        raise _invalid(
            f"{year}年通知：缺少发文日期（source.date）", f"{year} notice: source.date is missing or invalid"
        )
    if check_issue_date and issued > today():
        raise _invalid(
            f"{year}年通知：发文日期 {issued} 晚于今天",
            f"{year} notice: source.date {issued} is in the future",
        )
    url = source.get("url")
    if not isinstance(url, str) or not re.fullmatch(r"https?://\S+", url.strip()):
        raise _invalid(
            f"{year}年通知：出处须有网址（source.url）", f"{year} notice: source.url must be an http(s) URL"
        )
    note = source.get("note")
    if note is not None and not isinstance(note, str):
        raise _invalid(f"{year}年通知：source.note 应为文字", f"{year} notice: source.note must be text")
    cleaned = {
        "title": title.strip(),
        "number": number.strip() if number else None,
        "date": issued,
        "url": url.strip(),
    }
    if note:
        cleaned["note"] = note.strip()
    return cleaned


def _entry_dates(year: int, holidays: object, workdays: object) -> tuple[dict[date, str], list[date]]:
    if not isinstance(holidays, Mapping) or not holidays:
        raise _invalid(f"{year}年通知：放假日期（holidays）为空", f"{year} notice: no holidays given")
    if isinstance(workdays, str | bytes) or not isinstance(workdays, Iterable):
        raise _invalid(
            f"{year}年通知：调休上班日（workdays）应为日期列表",
            f"{year} notice: workdays must be a list of dates",
        )
    rest: dict[date, str] = {}
    for raw, name in holidays.items():
        day = _entry_date(raw, year)
        if not isinstance(name, str) or not name.strip():
            raise _invalid(f"{year}年通知：{day} 缺少节日名称", f"{year} notice: holiday {day} has no name")
        if day in rest:
            raise _invalid(f"{year}年通知：{day} 重复", f"{year} notice: holiday {day} is listed twice")
        rest[day] = name.strip()
    work: list[date] = []
    for raw in workdays:
        day = _entry_date(raw, year)
        if day in work:
            raise _invalid(
                f"{year}年通知：调休上班日 {day} 重复", f"{year} notice: make-up day {day} is listed twice"
            )
        work.append(day)
    return dict(sorted(rest.items())), sorted(work)


def _check_dates(year: int, rest: Mapping[date, str], work: Sequence[date]) -> None:
    lowest, highest = date(year - 1, 12, 1), date(year + 1, 1, 31)
    for day in (*rest, *work):
        if not lowest <= day <= highest:
            raise _invalid(
                f"{year}年通知：{day} 不在{year}年内或相邻的月份（{lowest}–{highest}）",
                f"{year} notice: {day} is neither in {year} nor in an adjacent month ({lowest}–{highest})",
            )
    for day in work:
        if day in rest:
            raise _invalid(
                f"{year}年通知：{day} 既是放假日又是上班日",
                f"{year} notice: {day} is both a holiday and a working day",
            )
        if day.weekday() < 5:
            raise _invalid(
                f"{year}年通知：调休上班日 {day} 不是星期六或星期日",
                f"{year} notice: make-up working day {day} is not a Saturday or Sunday",
            )
    block: list[date] = []
    for day in [*sorted(rest), None]:
        if block and (day is None or day - block[-1] != _ONE_DAY):
            if all(d.weekday() >= 5 for d in block):
                raise _invalid(
                    f"{year}年通知：放假 {block[0]}–{block[-1]} 全在周末，不放假也是休息日",
                    f"{year} notice: holiday {block[0]}–{block[-1]} lies entirely on a weekend, which is rest anyway",
                )
            block = []
        if day is not None:
            block.append(day)
    missing = [day for day in statutory_holidays(year) if day not in rest]
    if missing:
        shown = ", ".join(str(d) for d in missing)
        raise _invalid(
            f"{year}年通知：缺少法定节假日 {shown}（《全国年节及纪念日放假办法》）",
            f"{year} notice: the statutory holidays {shown} are missing (national holiday regulations)",
        )


def _validate_entry(
    year: object, holidays: object, workdays: object, source: object, *, check_issue_date: bool
) -> tuple[int, dict[date, str], list[date], dict]:
    """Check one notice and return it normalised: (year, {date: name}, [make-up dates], source)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise _invalid(
            f"通知年份必须是整数，收到 {year!r}", f"the notice year must be a whole number, got {year!r}"
        )
    if not PACKAGE_FIRST_YEAR <= year <= PROVISIONAL_LAST_YEAR:
        raise _invalid(
            f"通知年份 {year} 不在 {PACKAGE_FIRST_YEAR}–{PROVISIONAL_LAST_YEAR} 之间",
            f"notice year {year} is outside {PACKAGE_FIRST_YEAR}–{PROVISIONAL_LAST_YEAR}",
        )
    rest, work = _entry_dates(year, holidays, workdays)
    _check_dates(year, rest, work)
    return year, rest, work, _validate_source(year, source, check_issue_date=check_issue_date)


def _read_overrides(path: Path) -> dict[int, tuple[dict[date, str], list[date], dict]]:
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as err:
        raise _invalid(f"节假日补充文件 {path} 无法解析：{err}", f"cannot parse {path}: {err}") from None
    years = raw.get("years") if isinstance(raw, Mapping) else None
    if years is None:
        years = {}
    if not isinstance(years, Mapping):
        raise _invalid(f"节假日补充文件 {path}：years 应为映射", f"{path}: 'years' must be a mapping")
    entries = {}
    for year, entry in years.items():
        if not isinstance(entry, Mapping):
            raise _invalid(
                f"节假日补充文件：{year} 年的条目无效", f"{path}: the entry for {year} is not a mapping"
            )
        y, rest, work, source = _validate_entry(
            year,
            entry.get("holidays"),
            entry.get("workdays") or [],
            entry.get("source"),
            check_issue_date=False,
        )
        entries[y] = (rest, work, source)
    return entries


_HEADER = """\
# State Council holiday notices loaded on top of chinesecalendar (catalogue/workdays.py).
#
# WRITTEN BY PROGRAM: `ckan hlj calendar add-year FILE` (workdays.add_year) validates a notice and rewrites this
# file; hand edits are kept only if they load, and comments other than this header are lost.
#
# One entry per notice, keyed by the year it schedules:
#   source:    title (国务院办公厅关于YYYY年部分节假日安排的通知), number (国办发明电〔YYYY〕N号, or null when
#              unknown), date (issued), url (where the text was read), note (optional)
#   holidays:  every day off of the notice, weekend days inside a holiday block included: date -> festival name
#   workdays:  the make-up working days (调休上班), all Saturdays or Sundays
# Dates may fall in the adjacent month of the neighbouring year (e.g. a 31 December make-up day for 元旦).
# A date listed here overrides chinesecalendar; a year listed here counts as loaded even when chinesecalendar lacks
# it. The input file of add-year has the same shape as one entry plus `year: YYYY`.
"""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that also writes date subclasses (freezegun's FakeDate) as plain YAML dates."""


_Dumper.add_multi_representer(
    date, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat()[:10])
)


def _dump(entries: Mapping[int, tuple[dict[date, str], list[date], dict]]) -> str:
    years = {}
    for year in sorted(entries):
        rest, work, source = entries[year]
        years[year] = {"source": dict(source), "holidays": dict(rest), "workdays": list(work)}
    body = yaml.dump({"years": years}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return _HEADER + "\n" + body


# --------------------------------------------------------------------------------------------------------------
# The calendar


@dataclass(frozen=True)
class _YearTable:
    year: int
    provisional: bool
    working: tuple[date, ...]  # sorted
    working_set: frozenset[date]
    names: dict[date, str]  # holiday and make-up day names


class _Calendar:
    def __init__(self, path: Path):
        self.path = path
        self.entries = _read_overrides(path)
        self.facts: dict[date, tuple[bool, str]] = {}
        for year in sorted(self.entries):
            rest, work, _source = self.entries[year]
            for day, name in rest.items():
                self.facts[day] = (False, name)
            for day in work:
                self.facts[day] = (True, self._makeup_name(day, rest))
        self._tables: dict[tuple[int, bool], _YearTable] = {}

    @staticmethod
    def _makeup_name(day: date, rest: Mapping[date, str]) -> str:
        if not rest:
            return "调休上班"
        nearest = min(rest, key=lambda d: abs((d - day).days))
        return rest[nearest]

    def official(self, year: int) -> bool:
        return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR or year in self.entries

    def source(self, year: int) -> str | None:
        in_package = PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR
        if in_package and year in self.entries:
            return "chinesecalendar+override"
        if in_package:
            return "chinesecalendar"
        if year in self.entries:
            return "override"
        return None

    def table(self, year: int, provisional: bool) -> _YearTable:
        official = self.official(year)
        if not official and not (provisional and PROVISIONAL_FIRST_YEAR <= year <= PROVISIONAL_LAST_YEAR):
            raise CalendarYearMissing(year)
        key = (year, not official)
        cached = self._tables.get(key)
        if cached is None:
            cached = self._tables[key] = self._build(year, estimated=not official)
        return cached

    def _build(self, year: int, *, estimated: bool) -> _YearTable:
        names: dict[date, str] = {}
        estimate = estimated_rest_days(year) if estimated else {}
        working: list[date] = []
        day, end = date(year, 1, 1), date(year, 12, 31)
        in_package = PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR
        while day <= end:
            if day in self.facts:
                work, name = self.facts[day]
                if not work or day.weekday() >= 5:
                    names[day] = name
            elif in_package:
                work = chinese_calendar.is_workday(day)
                _on_holiday, english = chinese_calendar.get_holiday_detail(day)
                if english and (not work or day.weekday() >= 5):
                    names[day] = _CC_NAMES.get(english, english)
            elif day in estimate:
                work = False
                names[day] = estimate[day]
            else:
                work = day.weekday() < 5
            if work:
                working.append(day)
            day += _ONE_DAY
        return _YearTable(year, estimated, tuple(working), frozenset(working), names)


_lock = threading.Lock()
_state: _Calendar | None = None
_path_override: Path | None = None


def _configured_path() -> Path:
    if _path_override is not None:
        return _path_override
    env = os.environ.get(OVERRIDES_ENV)
    return Path(env) if env else DEFAULT_OVERRIDES


def _cal() -> _Calendar:
    global _state  # noqa: PLW0603
    state = _state
    path = _configured_path()
    if state is None or state.path != path:
        with _lock:
            state = _state
            if state is None or state.path != path:
                state = _state = _Calendar(path)
    return state


def overrides_path() -> Path:
    """The override file in use: :func:`set_overrides_path`, else ``$HLJ_CALENDAR_OVERRIDES``, else the packaged one."""
    return _configured_path()


def set_overrides_path(path: str | os.PathLike | None) -> None:
    """Use another override file (``None``: back to the default) and reload it now, so a bad file fails here."""
    global _path_override, _state  # noqa: PLW0603
    with _lock:
        _path_override = Path(path) if path is not None else None
        _state = None
    _cal()


def coverage() -> dict[int, str]:
    """Loaded years and where each comes from: ``chinesecalendar``, ``override`` or ``chinesecalendar+override``."""
    cal = _cal()
    years = set(range(PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR + 1)) | set(cal.entries)
    return {year: cal.source(year) or "" for year in sorted(years)}


def missing_years(first: int | None = None, last: int | None = None) -> list[int]:
    """Years in ``first``–``last`` (default: this year and next) without a notice: what an operator must load."""
    this_year = today().year
    first = this_year if first is None else first
    last = this_year + 1 if last is None else last
    cal = _cal()
    return [year for year in range(first, last + 1) if not cal.official(year)]


# --------------------------------------------------------------------------------------------------------------
# Days and working-day arithmetic


def day_info(d: date | datetime | str, *, provisional: bool = False) -> DayInfo:
    """What kind of day ``d`` is, marked provisional when its year is estimated."""
    day = _as_date(d)
    table = _cal().table(day.year, provisional)
    work = day in table.working_set
    name = table.names.get(day)
    if work:
        kind = "makeup_workday" if day.weekday() >= 5 else "workday"
    else:
        kind = "holiday" if name else "weekend"
    return DayInfo(
        day, work, kind, name if kind in ("holiday", "makeup_workday") else None, table.provisional
    )


def is_workday(d: date | datetime | str) -> bool:
    """Whether ``d`` is a working day; :class:`CalendarYearMissing` when its year's notice is not loaded."""
    day = _as_date(d)
    return day in _cal().table(day.year, False).working_set


def _nth_workday_after(start: date, n: int, provisional: bool) -> tuple[date, tuple[int, ...]]:
    if n == 0:
        return start, ()
    cal = _cal()
    estimated: list[int] = []
    remaining = n
    year = start.year if start.month != 12 or start.day != 31 else start.year + 1
    while True:
        table = cal.table(year, provisional)
        if table.provisional:
            estimated.append(year)
        index = bisect.bisect_right(table.working, start) if year == start.year else 0
        available = len(table.working) - index
        if remaining <= available:
            return table.working[index + remaining - 1], tuple(estimated)
        remaining -= available
        year += 1


def _count_between(a: date, b: date, provisional: bool) -> tuple[int, tuple[int, ...]]:
    """Working days in (a, b] for a <= b."""
    cal = _cal()
    total = 0
    estimated: list[int] = []
    if a >= b:
        return 0, ()
    for year in range((a + _ONE_DAY).year, b.year + 1):
        table = cal.table(year, provisional)
        if table.provisional:
            estimated.append(year)
        total += bisect.bisect_right(table.working, b) - bisect.bisect_right(table.working, a)
    return total, tuple(estimated)


def add_workdays(start: date | datetime | str, n: int) -> date:
    """The n-th working day after ``start`` (the start day is not counted); ``n = 0`` returns ``start``.

    Official calendars only: :class:`CalendarYearMissing` when a year it needs is not loaded (use
    :func:`due_workdays` with ``provisional=True`` for an estimate).
    """
    return _nth_workday_after(_as_date(start, "start"), _count(n, "工作日数"), False)[0]


def due_workdays(start: date | datetime | str, n: int, *, provisional: bool = False) -> Due:
    """:func:`add_workdays` as a :class:`Due`, estimating missing years when ``provisional`` is true."""
    day, years = _nth_workday_after(_as_date(start, "start"), _count(n, "工作日数"), provisional)
    return Due(day, bool(years), years)


def workdays_between(a: date | datetime | str, b: date | datetime | str) -> int:
    """The number of working days in (a, b]: after ``a``, up to and including ``b``; negative when b < a.

    ``workdays_between(s, add_workdays(s, n)) == n`` for n >= 1.
    """
    return count_workdays(a, b).workdays


def count_workdays(a: date | datetime | str, b: date | datetime | str, *, provisional: bool = False) -> Span:
    """:func:`workdays_between` as a :class:`Span`, estimating missing years when ``provisional`` is true."""
    first, last = _as_date(a), _as_date(b)
    if last < first:
        count, years = _count_between(last, first, provisional)
        return Span(-count, bool(years), years)
    count, years = _count_between(first, last, provisional)
    return Span(count, bool(years), years)


def next_workday(d: date | datetime | str) -> date:
    """``d`` itself when it is a working day, else the first working day after it (《民法典》 art. 203)."""
    day = _as_date(d)
    return day if is_workday(day) else _nth_workday_after(day, 1, False)[0]


def add_days(start: date | datetime | str, n: int, *, run_on: bool = True) -> date:
    """The end of a period of ``n`` calendar days after ``start``, run on past rest days unless ``run_on`` is false."""
    return due_days(start, n, run_on=run_on).date


def due_days(start: date | datetime | str, n: int, *, run_on: bool = True, provisional: bool = False) -> Due:
    """:func:`add_days` as a :class:`Due`. With ``run_on=False`` no calendar is consulted."""
    end = _as_date(start, "start") + timedelta(days=_count(n, "天数"))
    if not run_on:
        return Due(end)
    table = _cal().table(end.year, provisional)
    if end in table.working_set:
        return Due(end, table.provisional, (end.year,) if table.provisional else ())
    day, years = _nth_workday_after(end, 1, provisional)
    if table.provisional and end.year not in years:
        years = (end.year, *years)
    return Due(day, bool(years), years)


def add_hours(start: datetime | str, hours: float) -> datetime:
    """``start`` plus ``hours`` on the Shanghai wall clock; a naive ``start`` is Shanghai time. Aware result."""
    if isinstance(start, str):
        start = parse_date_or_datetime(start)  # type: ignore[assignment]
    if not isinstance(start, datetime):
        raise InvalidValue(
            "calendar_hours_need_time",
            "按小时计算的期间需要起算的时刻（日期和时间），只有日期不够",
            "Working-day calendar: an hour period needs a start time (date and time of day), not just a date",
        )
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours):
        raise InvalidValue(
            "calendar_count_type",
            "小时数必须是数字",
            f"Working-day calendar: hours must be a number, got {hours!r}",
        )
    if hours < 0:
        raise InvalidValue(
            "calendar_count_negative",
            f"小时数不能为负数：{hours}",
            f"Working-day calendar: hours cannot be negative ({hours})",
        )
    local = start.replace(tzinfo=SHANGHAI) if start.tzinfo is None else start.astimezone(SHANGHAI)
    return local + timedelta(hours=hours)


# --------------------------------------------------------------------------------------------------------------
# Rows for SQL


def calendar_rows(
    first: date | datetime | str, last: date | datetime | str, provisional: bool = True
) -> Iterator[tuple[date, bool, int, bool]]:
    """Every day of ``first``–``last`` as ``(day, is_workday, ordinal, provisional)``, for a database table.

    ``ordinal`` is the number of working days in (first, day]: 0 on ``first``, one more on each working day, and on a
    rest day the ordinal of the last working day before it. So for ANY day d of the table (working or not) and
    n >= 1, the n-th working day after d is the working day whose ordinal is ordinal(d) + n, and the number of working
    days in (a, b] is ordinal(b) - ordinal(a). (n = 0 is the start day itself, as in :func:`add_workdays`.)
    In SQL, with ``calendar(day date primary key, is_workday bool, ordinal int, provisional bool)`` and a unique
    index on ``ordinal`` where ``is_workday``::

        SELECT r.id, d.day AS due, d.provisional
        FROM record r
        JOIN calendar s ON s.day = r.decision_date
        JOIN calendar d ON d.is_workday AND d.ordinal = s.ordinal + 7;

    No row comes back when the due date lies beyond ``last``: load rows well past today. ``d.provisional`` marks the
    result as estimated as long as estimated years come only after the loaded ones (they do: a notice is loaded
    year after year); in general the result is provisional when any row in (s.day, d.day] is.

    With ``provisional=False`` a missing year raises :class:`CalendarYearMissing` before any row is produced.
    """
    start, end = _as_date(first, "first"), _as_date(last, "last")
    if end < start:
        raise InvalidValue(
            "calendar_range",
            f"日期范围无效：{start} 晚于 {end}",
            f"Working-day calendar: {start} is after {end}",
        )
    cal = _cal()
    tables = {year: cal.table(year, provisional) for year in range(start.year, end.year + 1)}

    def rows() -> Iterator[tuple[date, bool, int, bool]]:
        ordinal = 0
        day = start
        while day <= end:
            table = tables[day.year]
            work = day in table.working_set
            if work and day != start:
                ordinal += 1
            yield day, work, ordinal, table.provisional
            day += _ONE_DAY

    return rows()


def due_by_ordinal(rows: Iterable[tuple[date, bool, int, bool]], start: date, n: int) -> Due:
    """The n-th working day after ``start`` looked up in :func:`calendar_rows` output, as the SQL join does.

    ``rows`` must be consecutive days from :func:`calendar_rows`. InvalidValue when ``start`` or the due date lies
    outside them.
    """
    table: Sequence[tuple[date, bool, int, bool]] = rows if isinstance(rows, Sequence) else list(rows)
    n = _count(n, "工作日数")
    start = _as_date(start, "start")
    if not table or not table[0][0] <= start <= table[-1][0]:
        raise InvalidValue(
            "calendar_range",
            f"{start} 不在日历表的范围内",
            f"Working-day calendar: {start} is outside the calendar rows",
        )
    index = (start - table[0][0]).days
    if n == 0:
        return Due(start)
    target = table[index][2] + n
    hit = bisect.bisect_left(table, target, lo=index, key=lambda row: row[2])
    if hit >= len(table):
        raise InvalidValue(
            "calendar_range",
            f"{start} 之后第{n}个工作日超出日历表的范围",
            f"Working-day calendar: the {n}th working day after {start} lies beyond the calendar rows",
        )
    day = table[hit][0]  # the first row reaching a new ordinal is a working day
    years = tuple(sorted({row[0].year for row in table[index + 1 : hit + 1] if row[3]}))
    return Due(day, bool(years), years)


# --------------------------------------------------------------------------------------------------------------
# Loading a new notice


def add_year(
    year: int,
    holidays: Mapping[date, str],
    workdays: Iterable[date],
    source: Mapping[str, object],
    *,
    replace: bool = False,
    path: str | os.PathLike | None = None,
) -> Path:
    """Validate the State Council notice for ``year`` and write it into the override file; returns the file's path.

    ``holidays`` maps every day off of the notice to the festival's name (weekend days inside a holiday block may be
    listed); ``workdays`` are the make-up working days; ``source`` holds ``title``, ``number`` (国办发明电〔…〕…号 or
    None), ``date`` (issued, not in the future), ``url`` and optionally ``note``. Checks: every date in ``year`` or
    the adjacent month of the neighbouring year, make-up days are Saturdays or Sundays and not also holidays, no
    holiday block lies only on a weekend, and the statutory days off of the year (《全国年节及纪念日放假办法》, lunar
    dates computed) are all among the holidays. A year already in the file needs ``replace=True``.

    ``path`` defaults to :func:`overrides_path`; when it is the file in use the calendar reloads at once.
    """
    year, rest, work, clean_source = _validate_entry(year, holidays, workdays, source, check_issue_date=True)
    target = Path(path) if path is not None else overrides_path()
    entries = _read_overrides(target)
    if year in entries and not replace:
        raise InvalidValue(
            "calendar_year_exists",
            f"{year}年的节假日安排已在 {target} 中；如需替换请指定 replace",
            f"Working-day calendar: {year} is already in {target}; pass replace to overwrite it",
        )
    entries[year] = (rest, work, clean_source)
    text = _dump(entries)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".calendar_overrides.", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    global _state  # noqa: PLW0603
    with _lock:
        if _state is not None and _state.path == target:
            _state = None
    return target


def read_year_file(path: str | os.PathLike) -> dict:
    """Read an add-year input file (YAML or JSON): ``year``, ``source``, ``holidays``, ``workdays``.

    Returns the keyword arguments of :func:`add_year`; validation happens there.
    """
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise _invalid(
            f"无法读取节假日通知文件 {file}：{err}", f"cannot read notice file {file}: {err}"
        ) from None
    if not isinstance(raw, Mapping) or "year" not in raw:
        raise _invalid(
            f"节假日通知文件 {file} 应含 year、source、holidays、workdays",
            f"notice file {file} must hold year, source, holidays and workdays",
        )
    unknown = set(raw) - {"year", "source", "holidays", "workdays"}
    if unknown:
        raise _invalid(
            f"节假日通知文件含未知项 {sorted(unknown)}", f"notice file has unknown keys {sorted(unknown)}"
        )
    return {
        "year": raw["year"],
        "holidays": raw.get("holidays") or {},
        "workdays": raw.get("workdays") or [],
        "source": raw.get("source"),
    }


def add_year_file(
    path: str | os.PathLike, *, replace: bool = False, target: str | os.PathLike | None = None
) -> Path:
    """:func:`read_year_file` then :func:`add_year`: what ``ckan hlj calendar add-year FILE`` does."""
    return add_year(**read_year_file(path), replace=replace, path=target)
