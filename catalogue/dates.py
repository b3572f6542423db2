"""Dates and times as written on Chinese government pages.

Accepted (full-width digits and blanks anywhere are fine):

* ``2017-03-20``, ``2017/3/20``, ``2017.3.20``, ``20170320``;
* ``2017年3月20日``, ``2017年03月20日`` (日 or 号, or nothing, after the day);
* ``二〇一七年三月二十日``, ``二零一七年三月二十日``, ``二○一七年三月二十日`` (the white circle ○ is common for 〇);
* any of these followed by a time: ``10:30``, ``10:30:15``, ``10时30分``, ``10点30分15秒``, ``下午3时``, and for the
  numeric forms an ISO offset: ``2017-03-20T10:30:00+08:00``, ``…Z``.

A date without a time gives a :class:`datetime.date`; with a time, a timezone-aware :class:`datetime.datetime` in
Asia/Shanghai (a written offset is converted). Impossible dates (``2017年2月30日``) raise InvalidValue.

Chinese numerals are read by the small mapping below rather than with ``cn2an``: cn2an 0.5.24's strict mode
rejects 〇/零 digit strings such as 二〇一七, and its normal mode accepts them but also reads non-date forms like
三三 as 33 or 一二 as 12; a date needs only digit-by-digit years and 1–59 in the 十 notation, which is a few lines.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._text import require_text
from .errors import InvalidValue

MIN_YEAR = 1900
MAX_YEAR = 2100


def _shanghai() -> tzinfo:
    # Without a tz database on the host (add the tzdata package) fall back to UTC+8, which China has kept since 1992.
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "CST")


SHANGHAI = _shanghai()

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_NUM = "0-9〇○零O一二两三四五六七八九十"

_Y = r"(?P<y>[0-9〇○零O一二三四五六七八九]{4})"
_CN_DATE = rf"{_Y}\s*年\s*(?P<m>[{_NUM}]{{1,3}})\s*月\s*(?P<d>[{_NUM}]{{1,3}})\s*[日号]?"
_SEP_DATE = r"(?P<y2>[0-9]{4})\s*(?P<sep>[-/.])\s*(?P<m2>[0-9]{1,2})\s*(?P=sep)\s*(?P<d2>[0-9]{1,2})"
_COMPACT_DATE = r"(?P<y3>[0-9]{4})(?P<m3>[0-9]{2})(?P<d3>[0-9]{2})"
_CLOCK = (
    r"(?P<H>[0-9]{1,2})\s*:\s*(?P<M>[0-9]{2})(?:\s*:\s*(?P<S>[0-9]{2})(?:\.(?P<frac>[0-9]{1,6}))?)?"
    r"(?:\s*(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2}))?"
)
_CN_TIME = (
    rf"(?P<ampm>上午|早上|凌晨|中午|下午|晚上|傍晚)?\s*(?P<cH>[{_NUM}]{{1,3}})\s*[时点](?:\s*(?P<cM>[{_NUM}]{{1,3}})\s*分"
    rf"(?:\s*(?P<cS>[{_NUM}]{{1,3}})\s*秒)?|\s*(?P<half>半))?"
)
_PATTERN = re.compile(
    rf"(?:{_CN_DATE}|{_SEP_DATE}|{_COMPACT_DATE})(?:(?:\s+|\s*T\s*|\s*)(?:{_CLOCK}|{_CN_TIME}))?",
    re.IGNORECASE,
)


def _bad_format(text: str) -> InvalidValue:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return InvalidValue(
        "date_format",
        f"日期格式无法识别：{shown}（应如 2017-03-20 或 2017年3月20日）",
        f"Date: unrecognised format {shown!r} (expected e.g. 2017-03-20 or 2017年3月20日)",
    )


def _small_number(token: str, text: str) -> int:
    """0–99 written with digits, digit by digit in Chinese (〇五), or in the 十 notation (十, 十二, 二十, 二十一)."""
    if token.isascii() and token.isdigit():
        return int(token)
    if "十" not in token:
        if any(c not in _CN_DIGITS for c in token):
            raise _bad_format(text)
        return int("".join(str(_CN_DIGITS[c]) for c in token))
    tens, _, units = token.partition("十")
    if "十" in units or (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
        raise _bad_format(text)
    if tens and _CN_DIGITS[tens] in (0, 1):  # 〇十 and 一十 are not written in dates
        raise _bad_format(text)
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _year(token: str, text: str) -> int:
    if token.isascii() and token.isdigit():
        return int(token)
    if any(c not in _CN_DIGITS or c == "两" for c in token):
        raise _bad_format(text)
    return int("".join(str(_CN_DIGITS[c]) for c in token))


def _make_date(year: int, month: int, day: int, text: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(
            "date_year",
            f"年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间",
            f"Date: year {year} is outside {MIN_YEAR}–{MAX_YEAR}",
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            "date_invalid",
            f"日期不存在：{year}年{month}月{day}日",
            f"Date: {year}-{month:02d}-{day:02d} does not exist",
        ) from None


def _hour(hour: int, ampm: str | None, text: str) -> int:
    if ampm in ("下午", "晚上", "傍晚") and 1 <= hour <= 12:
        return hour % 12 + 12
    if ampm == "中午" and 1 <= hour <= 2:
        return hour + 12
    if ampm in ("上午", "早上", "凌晨") and hour > 12:
        raise _bad_time(text)
    return hour


def _bad_time(text: str) -> InvalidValue:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return InvalidValue("time_invalid", f"时间不存在：{shown}", f"Time: {shown!r} is not a valid time of day")


def _offset(tz: str) -> tzinfo:
    if tz.upper() == "Z":
        return UTC
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise InvalidValue("time_offset", f"时区偏移无效：{tz}", f"Time: invalid UTC offset {tz!r}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_text(text: str) -> date | datetime:
    match = _PATTERN.fullmatch(text)
    if not match:
        raise _bad_format(text)
    g = match.groupdict()
    if g["y"] is not None:
        day = _make_date(_year(g["y"], text), _small_number(g["m"], text), _small_number(g["d"], text), text)
    elif g["y2"] is not None:
        day = _make_date(int(g["y2"]), int(g["m2"]), int(g["d2"]), text)
    else:
        day = _make_date(int(g["y3"]), int(g["m3"]), int(g["d3"]), text)

    if g["H"] is not None:
        hour, minute = int(g["H"]), int(g["M"])
        second = int(g["S"]) if g["S"] else 0
        micro = int((g["frac"] or "0").ljust(6, "0"))
        zone = _offset(g["tz"]) if g["tz"] else SHANGHAI
    elif g["cH"] is not None:
        hour = _hour(_small_number(g["cH"], text), g["ampm"], text)
        minute = 30 if g["half"] else (_small_number(g["cM"], text) if g["cM"] else 0)
        second = _small_number(g["cS"], text) if g["cS"] else 0
        micro = 0
        zone = SHANGHAI
    else:
        return day
    try:
        clock = time(hour, minute, second, micro)
    except ValueError:
        raise _bad_time(text) from None
    return datetime.combine(day, clock, tzinfo=zone).astimezone(SHANGHAI)


def parse_date_or_datetime(value: object) -> date | datetime:
    """A :class:`date` when no time is written, else an aware :class:`datetime` in Asia/Shanghai.

    ``date`` and ``datetime`` objects (as spreadsheets deliver them) are accepted too: a naive datetime is taken as
    Shanghai local time, an aware one is converted.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=SHANGHAI)
        return value.astimezone(SHANGHAI)
    if isinstance(value, date):
        return value
    text = require_text(value, "date", "日期", "Date")
    return _parse_text(text)


def parse_date(value: object) -> date:
    """The calendar date (in Asia/Shanghai) of a written date or date-time."""
    parsed = parse_date_or_datetime(value)
    return parsed.date() if isinstance(parsed, datetime) else parsed


def parse_datetime(value: object, *, require_time: bool = False) -> datetime:
    """An aware datetime in Asia/Shanghai; a bare date means its midnight unless ``require_time`` is set."""
    parsed = parse_date_or_datetime(value)
    if isinstance(parsed, datetime):
        return parsed
    if require_time:
        raise InvalidValue("time_missing", "缺少时间（时:分）", "Date-time: the time of day is missing")
    return datetime.combine(parsed, time(), tzinfo=SHANGHAI)


def format_date_zh(value: date) -> str:
    """``2017年3月20日``: how the portal prints a date in Chinese."""
    return f"{value.year}年{value.month}月{value.day}日"
