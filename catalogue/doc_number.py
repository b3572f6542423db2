"""发文字号 (document numbers) as printed on government pages, brought to one canonical form.

GB/T 9704-2012 §7.2.4: 发文字号由发文机关代字、年份、发文顺序号组成; the year is written in full and enclosed in
六角括号 〔〕; the serial number has no leading zeros and no 第. Real pages deviate: ``[2017]``, ``（2017）``,
``(2017)``, ``【2017】``, ``〔２０１７〕``, blanks, ``〔2017〕第10号``, ``〔2017〕010号``, a missing 号. All of these
normalise to ``黑政办发〔2017〕10号``.

Two other forms in real use are kept as they are written, because they have no bracketed year:

* orders (令): ``国务院令第711号``, ``黑龙江省人民政府令第1号`` → prefix ``国务院令``, no year, serial 711;
* year-and-number announcements: ``国家税务总局公告2021年第3号`` → prefix ``国家税务总局公告``, year 2021, serial 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import require_text
from .errors import InvalidValue

OPEN_BRACKETS = "〔[(【〖﹝⦅〘｛{<〈《"
CLOSE_BRACKETS = "〕])】〗﹞⦆〙｝}>〉》"

MIN_YEAR = 1949
MAX_YEAR = 2100

# 机关代字: Chinese characters, optionally with the middle dot or a Latin letter some bodies use; no digits.
_PREFIX = r"[\u3400-\u9fff\uf900-\ufaff·A-Za-z]+"
_BRACKET_FORM = re.compile(
    rf"(?P<prefix>{_PREFIX})[{re.escape(OPEN_BRACKETS)}](?P<year>[0-9]{{4}})[{re.escape(CLOSE_BRACKETS)}]"
    r"第?(?P<serial>0*[0-9]{1,6})号?"
)
_ORDER_FORM = re.compile(rf"(?P<prefix>{_PREFIX}令)第?(?P<serial>0*[0-9]{{1,6}})号")
_YEAR_FORM = re.compile(rf"(?P<prefix>{_PREFIX})(?P<year>[0-9]{{4}})年第?(?P<serial>0*[0-9]{{1,6}})号")
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class DocNumber:
    prefix: str  # 发文机关代字, e.g. 黑政办发
    year: int | None  # None for orders (令)
    serial: int
    style: str = "bracket"  # "bracket" (〔年〕号), "order" (令第N号) or "year" (YYYY年第N号)

    def __str__(self) -> str:
        if self.style == "order":
            return f"{self.prefix}第{self.serial}号"
        if self.style == "year":
            return f"{self.prefix}{self.year}年第{self.serial}号"
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def _invalid(text: str) -> InvalidValue:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return InvalidValue(
        "doc_number_format",
        f"文号格式不正确：{shown}（应如 黑政办发〔2017〕10号）",
        f"Document number: unrecognised format {shown!r} (expected e.g. 黑政办发〔2017〕10号)",
    )


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(
            "doc_number_year",
            f"文号年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间",
            f"Document number: year {year} is outside {MIN_YEAR}–{MAX_YEAR}",
        )
    return year


def _serial(serial: str) -> int:
    number = int(serial)
    if number == 0:
        raise InvalidValue(
            "doc_number_serial", "文号顺序号不能为0", "Document number: the serial number cannot be 0"
        )
    return number


def parse_doc_number(value: object) -> DocNumber:
    """Parse a 文号 into (prefix, year, serial); InvalidValue when it is not one."""
    text = _BLANKS.sub("", require_text(value, "doc_number", "文号", "Document number"))
    if match := _BRACKET_FORM.fullmatch(text):
        year = _year(int(match["year"]))
        return DocNumber(match["prefix"], year, _serial(match["serial"]), "bracket")
    if match := _YEAR_FORM.fullmatch(text):
        year = _year(int(match["year"]))
        return DocNumber(match["prefix"], year, _serial(match["serial"]), "year")
    if match := _ORDER_FORM.fullmatch(text):
        return DocNumber(match["prefix"], None, _serial(match["serial"]), "order")
    raise _invalid(text)


def normalise_doc_number(value: object) -> str:
    """The canonical spelling of a 文号, e.g. ``黑政办发[2017]010号`` → ``黑政办发〔2017〕10号``."""
    return str(parse_doc_number(value))
