"""双公示 records (行政许可 XK_* / 行政处罚 CF_*): fields, column mapping, row validation, masking, file reading.

Framework-free: the credit-publication upload path and the ``hlj_credit`` harvester both use it.

* :func:`fields` and :func:`kind_info` give the column set of a kind (``licensing`` / ``penalty``, the codes of the
  ``credit_kind`` code list) from ``data/credit_fields.yaml``, which cites its sources.
* :func:`resolve_columns` maps a file's headers (codes, the old set's Chinese names, other spellings) onto codes;
  :func:`detect_kind` tells XK from CF by those headers.
* :func:`validate_rows` checks a batch of rows and returns ``(good, errors)``: good rows are
  :class:`CreditRecord` objects with normalised values (dates as :class:`datetime.date`, amounts as
  :class:`~decimal.Decimal`, USCCs upper-case, decision numbers normalised), errors are :class:`RowError` (row
  number, field code, bilingual :class:`~.errors.InvalidValue`). :func:`iter_validate` does the same lazily.
* The record key is (decision number, party code): the party code is the 统一社会信用代码 (or, for organisations
  without one, the first other registration code given), and for natural persons the document number.
* Masking (:func:`mask_id_number`, :func:`scrub_id_numbers`, :meth:`CreditRecord.public_values`): the public copy of
  a record never carries a natural person's full document number — see :func:`mask_id_number` for the rule.
* :func:`read_table` streams a CSV (UTF-8 with or without BOM, GBK/GB18030) or an XLSX file as numbered rows.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import hmac
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import IO, Any, NamedTuple

import yaml

from . import dates, doc_number, uscc
from ._text import to_halfwidth
from .errors import InvalidValue

KINDS = ("licensing", "penalty")
NATURAL_PERSON = "自然人"
ORGANISATION = "法人及非法人组织"
INDIVIDUAL_BUSINESS = "个体工商户"
OPEN_END = date(2099, 12, 31)  # how 长期 / 永久 validity is stored

# Values that mean "nothing here" in real spreadsheets.
_PLACEHOLDERS = {"", "null", "none", "nil", "n/a", "na", "/", "-", "--", "—", "——", "无"}


# --------------------------------------------------------------------------------------------------------------
# Field definitions


@dataclass(frozen=True)
class Field:
    code: str
    zh: str
    en: str
    type: str  # text | date | numeric
    required: bool = False
    check: str | None = None
    personal: bool = False
    scrub: bool = False
    aliases: tuple[str, ...] = ()
    desc_zh: str = ""
    desc_en: str = ""

    def label(self, lang: str | None = "zh_Hans_CN") -> str:
        return self.en if (lang or "").lower().startswith("en") else self.zh


@dataclass(frozen=True)
class Kind:
    code: str  # licensing | penalty
    prefix: str  # XK | CF
    zh: str
    en: str
    decision_number: str
    decision_date: str
    authority: str
    authority_code: str
    publicity_end: str | None
    fields: tuple[Field, ...]

    def field(self, code: str) -> Field:
        return _fields_by_code(self.code)[code]

    def has_field(self, code: str) -> bool:
        return code in _fields_by_code(self.code)

    def party(self, code: str) -> str:
        """The prefixed code of a party field: ``party("XDR_MC")`` → ``CF_XDR_MC``."""
        return f"{self.prefix}_{code}"

    def label(self, lang: str | None = "zh_Hans_CN") -> str:
        return self.en if (lang or "").lower().startswith("en") else self.zh


@functools.cache
def _spec() -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("data/credit_fields.yaml").read_text("utf-8"))


def _field(raw: Mapping[str, Any], prefix: str | None) -> Field:
    code = f"{prefix}_{raw['code']}" if prefix else raw["code"]
    aliases = []
    for name in map(str, raw.get("aliases") or ()):
        if name.startswith("@"):
            aliases.append(f"{prefix}_{name[1:]}" if prefix else name[1:])
        else:
            aliases.append(name)
    return Field(
        code=code,
        zh=raw["zh"],
        en=raw["en"],
        type=raw["type"],
        required=bool(raw.get("required")),
        check=raw.get("check"),
        personal=bool(raw.get("personal")),
        scrub=bool(raw.get("scrub")),
        aliases=tuple(aliases),
        desc_zh=raw.get("desc_zh", ""),
        desc_en=raw.get("desc_en", ""),
    )


@functools.cache
def kind_info(kind: str) -> Kind:
    """The field set of ``licensing`` (XK) or ``penalty`` (CF); also accepts XK / CF / 行政许可 / 行政处罚."""
    kind = normalise_kind(kind)
    spec = _spec()
    meta = spec["kinds"][kind]
    party = tuple(_field(raw, meta["prefix"]) for raw in spec["party"])
    own = tuple(_field(raw, None) for raw in spec[kind])
    return Kind(
        code=kind,
        prefix=meta["prefix"],
        zh=meta["zh"],
        en=meta["en"],
        decision_number=meta["decision_number"],
        decision_date=meta["decision_date"],
        authority=meta["authority"],
        authority_code=meta["authority_code"],
        publicity_end=meta["publicity_end"],
        fields=party + own,
    )


def fields(kind: str) -> tuple[Field, ...]:
    return kind_info(kind).fields


@functools.cache
def _fields_by_code(kind: str) -> dict[str, Field]:
    return {f.code: f for f in kind_info(kind).fields}


def normalise_kind(kind: object) -> str:
    text = to_halfwidth(str(kind or "")).strip()
    for code, meta in _spec()["kinds"].items():
        if text.casefold() in (code, meta["prefix"].casefold()) or text == meta["zh"]:
            return code
    raise InvalidValue(
        "credit_kind",
        f"未知的双公示类别：{text or '（空）'}（应为行政许可或行政处罚）",
        f"Unknown credit publication kind {text!r} (expected licensing or penalty)",
    )


# --------------------------------------------------------------------------------------------------------------
# Column names

_PAREN_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_BLANKS = re.compile(r"\s+")


def _column_key(name: object) -> str:
    return _BLANKS.sub("", to_halfwidth(str(name or ""))).casefold()


@functools.cache
def _column_table(kind: str) -> dict[str, str]:
    """Every accepted column spelling (folded) → field code, for one kind. Raises on ambiguity."""
    info = kind_info(kind)
    table: dict[str, str] = {}
    for f in info.fields:
        for name in (f.code, f.zh, *f.aliases):
            key = _column_key(name)
            if table.get(key, f.code) != f.code:
                raise ValueError(
                    f"credit_fields.yaml: column name {name!r} maps to {table[key]} and {f.code}"
                )
            table[key] = f.code
    return table


@functools.cache
def _source_time_keys() -> frozenset[str]:
    return frozenset(_column_key(name) for name in _spec()["source_time_columns"])


def resolve_column(kind: str, name: object) -> str | None:
    """The field code a column header stands for, or None (matched ignoring case, width, blanks, a trailing note)."""
    table = _column_table(normalise_kind(kind))
    key = _column_key(name)
    if key in table:
        return table[key]
    stripped = _column_key(_PAREN_NOTE.sub("", to_halfwidth(str(name or "")).strip()))
    return table.get(stripped)


def is_source_time_column(name: object) -> bool:
    return _column_key(name) in _source_time_keys()


@dataclass
class ColumnMap:
    kind: str
    codes: dict[str, str]  # header → field code
    source_time: str | None  # the header that gives the source's update time
    ignored: list[str]  # headers that are neither (reported, not an error)


def resolve_columns(kind: str, headers: Iterable[object]) -> ColumnMap:
    kind = normalise_kind(kind)
    codes: dict[str, str] = {}
    taken: dict[str, str] = {}
    source_time = None
    ignored = []
    for header in headers:
        if header is None or str(header).strip() == "":
            continue
        name = str(header)
        code = resolve_column(kind, name)
        if code and code not in taken:
            codes[name] = code
            taken[code] = name
        elif code:
            ignored.append(name)  # a second column for the same field: the first one wins
        elif is_source_time_column(name) and source_time is None:
            source_time = name
        else:
            ignored.append(name)
    return ColumnMap(kind, codes, source_time, ignored)


def detect_kind(headers: Iterable[object]) -> str:
    """``licensing`` or ``penalty`` from a file's headers: the kind that more headers belong to alone."""
    headers = [h for h in headers if h is not None and str(h).strip()]
    scores = {}
    for kind in KINDS:
        other = "penalty" if kind == "licensing" else "licensing"
        scores[kind] = sum(1 for h in headers if resolve_column(kind, h) and not resolve_column(other, h))
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0 or scores["licensing"] == scores["penalty"]:
        raise InvalidValue(
            "credit_kind_undetected",
            "无法从列名判断是行政许可（XK_*）还是行政处罚（CF_*）数据",
            "Cannot tell from the column names whether these are licensing (XK_*) or penalty (CF_*) records",
        )
    return best


# --------------------------------------------------------------------------------------------------------------
# Identity numbers (GB 11643-1999 公民身份号码) and masking

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
_RESIDENT_ID_TYPES = {"身份证", "01", "1", "111", "sfz"}


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _plausible_birth(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_resident_id(value: str) -> bool:
    """True for an 18-character 居民身份证号 with a valid check character and birth date, or a 15-digit old one."""
    value = value.upper()
    if _ID18.fullmatch(value):
        birth = (int(value[6:10]), int(value[10:12]), int(value[12:14]))
        return id_check_char(value[:17]) == value[17] and _plausible_birth(*birth)
    if _ID15.fullmatch(value):
        return value[0] in "12345678" and _plausible_birth(
            1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])
        )
    return False


def is_resident_id_type(id_type: object) -> bool:
    """True when a 证件类型 names the 居民身份证 (not e.g. the 外国人永久居留身份证)."""
    text = _column_key(id_type)
    return "居民身份证" in text or text in _RESIDENT_ID_TYPES


def looks_like_id_card(value: str) -> bool:
    return bool(_ID18.fullmatch(value.upper()) or _ID15.fullmatch(value))


def validate_id_number(value: object) -> str:
    """A 居民身份证号 upper-cased; InvalidValue when its length, birth date or check character is wrong."""
    text = _BLANKS.sub("", to_halfwidth(str(value))).upper()
    if not looks_like_id_card(text):
        raise InvalidValue(
            "id_number_format",
            "居民身份证号应为18位（末位可为X）或15位数字",
            "Resident identity card number: expected 18 characters (the last may be X) or 15 digits",
        )
    if len(text) == 18 and id_check_char(text[:17]) != text[17]:
        raise InvalidValue(
            "id_number_checksum",
            "居民身份证号校验位错误",
            "Resident identity card number: wrong check character",
        )
    if not is_resident_id(text):
        raise InvalidValue(
            "id_number_birth_date",
            "居民身份证号中的出生日期不存在",
            "Resident identity card number: the birth date in it does not exist",
        )
    return text


def mask_id_number(value: str | None) -> str | None:
    """The public form of a natural person's document number.

    Rule: an 18-character 居民身份证号 keeps its first 6 characters (the 行政区划 of registration) and its last 4
    (sequence and check character) and hides characters 7–14, the date of birth: ``230102********1234``. A
    15-digit old number hides its 6-digit birth date the same way: ``230102******123``. Any other document number
    (passport, 港澳台 permits, …) keeps only its last 4 characters when it has at least 8, and is hidden entirely
    otherwise. The birth date is the part that, with the name, singles a person out; the region and sequence alone
    do not.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return text
    upper = text.upper()
    if _ID18.fullmatch(upper):
        return upper[:6] + "*" * 8 + upper[14:]
    if _ID15.fullmatch(upper):
        return upper[:6] + "*" * 6 + upper[12:]
    if len(text) >= 8:
        return "*" * (len(text) - 4) + text[-4:]
    return "*" * len(text)


def scrub_id_numbers(text: str | None) -> str | None:
    """Free text with every valid-looking 居民身份证号 inside it masked as :func:`mask_id_number` does."""
    if not text:
        return text

    def replace(match: re.Match[str]) -> str:
        found = match.group(1)
        return mask_id_number(found) if is_resident_id(found) else found

    return _ID_IN_TEXT.sub(replace, text)


# --------------------------------------------------------------------------------------------------------------
# Value checks


@functools.cache
def _party_categories() -> dict[str, str]:
    table = {}
    for entry in _spec()["party_categories"]:
        for name in (entry["label"], *entry.get("aliases", ())):
            table[_column_key(name)] = entry["label"]
    return table


def normalise_party_category(value: object) -> str:
    label = _party_categories().get(_column_key(value))
    if label is None:
        raise InvalidValue(
            "credit_party_category",
            f"行政相对人类别无法识别：{value}（应为法人及非法人组织、自然人或个体工商户）",
            f"Party category {value!r} not recognised (expected 法人及非法人组织, 自然人 or 个体工商户)",
        )
    return label


_YEAR_IN_BRACKETS = re.compile(r"[\[【〖﹝(〔{]\s*([0-9]{4})\s*[\]】〗﹞)〕}]")


def normalise_decision_number(value: object) -> str:
    """A 决定文书号 in one spelling: 文号 normalisation (〔2019〕, no leading zeros) where it parses as a 文号;
    otherwise blanks removed, full-width characters made half-width and a bracketed year written 〔YYYY〕."""
    text = _BLANKS.sub("", to_halfwidth(str(value))).strip()
    if not text:
        raise InvalidValue(
            "credit_decision_number_empty", "决定文书号不能为空", "Decision number: missing value"
        )
    try:
        return doc_number.normalise_doc_number(text)
    except InvalidValue:
        pass
    text = _YEAR_IN_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
    if len(text) > 200:
        raise InvalidValue(
            "credit_decision_number_length",
            "决定文书号过长（超过200个字符）",
            "Decision number: longer than 200 characters",
        )
    return text


_AMOUNT = re.compile(r"(?P<n>-?[0-9]+(?:\.[0-9]+)?)(?P<unit>万元|万|元)?")


def parse_amount(value: object) -> Decimal:
    """An amount in 万元 (the unit of CF_NR_FK / CF_NR_WFFF): ``0.2``, ``0.2万元``, ``2000元`` (→ 0.2), ``2,000元``."""
    if isinstance(value, bool):
        raise InvalidValue("credit_amount", "金额应为数字", "Amount: expected a number")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = re.sub(r"[\s,，¥￥]|人民币", "", to_halfwidth(str(value)))
        match = _AMOUNT.fullmatch(text)
        if not match:
            shown = text if len(text) <= 30 else text[:30] + "…"
            raise InvalidValue(
                "credit_amount",
                f"金额格式无法识别：{shown}（应为以万元计的数字，如 0.2）",
                f"Amount: unrecognised {shown!r} (expected a number of 10,000 yuan, e.g. 0.2)",
            )
        try:
            number = Decimal(match["n"])
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            raise InvalidValue("credit_amount", "金额格式无法识别", "Amount: unrecognised") from None
        if match["unit"] == "元":
            number = number / Decimal(10000)
    if number < 0:
        raise InvalidValue("credit_amount_negative", "金额不能为负数", "Amount: cannot be negative")
    return number.normalize() if number == number.to_integral() else number


_OPEN_ENDED = {"长期", "永久", "长期有效", "永久有效", "无期限", "不限期"}


def _parse_date(value: object, open_ended: bool) -> date:
    if open_ended and isinstance(value, str) and _BLANKS.sub("", value) in _OPEN_ENDED:
        return OPEN_END
    return dates.parse_date(value)


# --------------------------------------------------------------------------------------------------------------
# Rows


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None  # a field code, or None for the row as a whole
    error: InvalidValue

    @property
    def code(self) -> str:
        return self.error.code

    def message(self, lang: str | None = "zh_Hans_CN") -> str:
        return self.error.message(lang)

    def as_dict(self, lang: str | None = "zh_Hans_CN") -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message(lang)}


@dataclass
class CreditRecord:
    """One valid record: every field of its kind (None when empty), normalised."""

    kind: str
    row: int
    values: dict[str, Any]
    natural_person: bool
    party_code: str
    party_code_field: str
    source_updated_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def info(self) -> Kind:
        return kind_info(self.kind)

    @property
    def decision_number(self) -> str:
        return self.values[self.info.decision_number]

    @property
    def key(self) -> tuple[str, str]:
        return (self.decision_number, self.party_code)

    @property
    def publicity_end(self) -> date | None:
        end = self.info.publicity_end
        return self.values.get(end) if end else None

    def is_public_on(self, day: date) -> bool:
        """True while the record is within its publicity period (licensing records have none: always)."""
        end = self.publicity_end
        return end is None or end >= day

    def public_party_code(self, secret: bytes) -> str:
        """The party code shown publicly: a credit code as it is; a person's document number replaced by a keyed
        pseudonym (HMAC-SHA256 under the publication's secret), stable across loads, not reversible without it."""
        if not self.party_code_field.endswith("ZJHM"):
            return self.party_code
        digest = hmac.new(secret, self.party_code.encode(), hashlib.sha256).hexdigest()[:16]
        return f"{'自然人' if self.natural_person else '证件'}-{digest}"

    def public_values(self) -> dict[str, Any]:
        """The values as anyone may see them: document numbers masked, ID numbers inside free text masked."""
        out = dict(self.values)
        for f in self.info.fields:
            value = out.get(f.code)
            if value is None:
                continue
            if f.personal:
                out[f.code] = mask_id_number(value)
            elif f.scrub:
                out[f.code] = scrub_id_numbers(value)
        return out


class Validation(NamedTuple):
    good: list[CreditRecord]
    errors: list[RowError]


@functools.lru_cache(4096)
def _placeholder(text: str) -> bool:
    return _BLANKS.sub("", to_halfwidth(text)).casefold() in _PLACEHOLDERS


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        # Longer than any placeholder (and not blank-padded): not empty, without the normalisation.
        return not (len(value) > 8 and not value[0].isspace()) and _placeholder(value)
    return False


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _excel_number_for_code(value: Any) -> bool:
    """A long code (USCC, ID number) that a spreadsheet turned into a number has lost digits: refuse it."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**14


def _precision_error(f: Field) -> InvalidValue:
    return InvalidValue(
        "credit_code_as_number",
        f"{f.zh}在表格中被存为数字，已丢失位数；请将该列设置为文本格式后重新填写",
        f"{f.en}: stored as a number in the spreadsheet, which loses digits; format the column as text",
    )


def _required_error(f: Field) -> InvalidValue:
    return InvalidValue("credit_required", f"{f.zh}（{f.code}）不能为空", f"{f.en} ({f.code}): missing value")


# Values repeat across rows (the authority's code, dates, categories): the pure checks are memoised.
_CACHE = 16384
_cached_uscc = functools.lru_cache(_CACHE, typed=True)(uscc.validate_uscc)
_cached_date = functools.lru_cache(_CACHE, typed=True)(_parse_date)
_cached_amount = functools.lru_cache(_CACHE, typed=True)(parse_amount)

_CHECKS = {
    "uscc": _cached_uscc,
    "decision_number": normalise_decision_number,
    "party_category": functools.lru_cache(256, typed=True)(normalise_party_category),
    "id_number": lambda value: _BLANKS.sub("", to_halfwidth(_text(value))).upper(),
}


def _check_value(f: Field, value: Any) -> Any:
    """Normalise one non-empty value of field ``f``; InvalidValue when it is bad."""
    if f.check in ("uscc", "id_number") and _excel_number_for_code(value):
        raise _precision_error(f)
    if f.type == "date":
        return _cached_date(value, f.check == "open_date")
    if f.type == "numeric":
        return _cached_amount(value)
    check = _CHECKS.get(f.check or "")
    return check(value) if check else _text(value)


_OTHER_CODES = ("XDR_ZZJG", "XDR_GSZC", "XDR_SWDJ", "XDR_SYDW", "XDR_SHZZ")


def _raw_values(
    info: Kind, row: Mapping[str, Any], columns: ColumnMap, defaults: Mapping[str, Any] | None
) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for header, code in columns.codes.items():
        if header in row and not _empty(row[header]):
            raw[code] = row[header]
    for code, value in (defaults or {}).items():
        if info.has_field(code) and code not in raw and not _empty(value):
            raw[code] = value
    return raw


def _normalised(info: Kind, raw: Mapping[str, Any], number: int, errors: list[RowError]) -> dict[str, Any]:
    values: dict[str, Any] = {f.code: None for f in info.fields}
    for f in info.fields:
        if f.code in raw:
            try:
                values[f.code] = _check_value(f, raw[f.code])
            except InvalidValue as error:
                errors.append(RowError(number, f.code, error))
        elif f.required:
            errors.append(RowError(number, f.code, _required_error(f)))
    return values


def _category(info: Kind, raw: Mapping[str, Any], values: dict[str, Any]) -> str | None:
    """The stated 行政相对人类别, else one inferred from the codes given (and written into the record)."""
    p = info.party
    if p("XDR_LB") in raw:
        return values[p("XDR_LB")]
    category = None
    if values[p("XDR_SHXYM")]:
        category = INDIVIDUAL_BUSINESS if values[p("XDR_SHXYM")].startswith("92") else ORGANISATION
    elif values[p("XDR_ZJHM")] and not any(values[p(c)] for c in _OTHER_CODES):
        category = NATURAL_PERSON
    values[p("XDR_LB")] = category
    return category


def _check_id_numbers(info: Kind, values: dict[str, Any], number: int, errors: list[RowError]) -> None:
    """Document numbers that are 居民身份证号 (by their stated type, or by their shape when none) get GB 11643."""
    p = info.party
    for number_code, type_code in (("XDR_ZJHM", "XDR_ZJLX"), ("FR_ZJHM", "FR_ZJLX")):
        value = values[p(number_code)]
        if not value:
            continue
        id_type = values[p(type_code)]
        if (id_type and is_resident_id_type(id_type)) or (not id_type and looks_like_id_card(value)):
            try:
                values[p(number_code)] = validate_id_number(value)
            except InvalidValue as error:
                errors.append(RowError(number, p(number_code), error))


def _party_field(
    info: Kind, raw: Mapping[str, Any], natural: bool, number: int, errors: list[RowError]
) -> str | None:
    """The field holding the party code: the document number for a natural person; for others the credit code,
    else another registration code, else a document number."""
    p = info.party
    if natural:
        if p("XDR_ZJHM") in raw:
            return p("XDR_ZJHM")
        errors.append(RowError(number, p("XDR_ZJHM"), _required_error(info.field(p("XDR_ZJHM")))))
        return None
    for code in ("XDR_SHXYM", *_OTHER_CODES, "XDR_ZJHM"):
        if p(code) in raw:
            return p(code)
    errors.append(
        RowError(
            number,
            p("XDR_SHXYM"),
            InvalidValue(
                "credit_party_code_missing",
                "统一社会信用代码不能为空（法人及非法人组织须填写统一社会信用代码或其他登记代码）",
                "Unified social credit code: missing (organisations need their credit code or another "
                "registration code)",
            ),
        )
    )
    return None


def _check_date_order(info: Kind, values: Mapping[str, Any], number: int, errors: list[RowError]) -> None:
    end, decided = info.publicity_end, values[info.decision_date]
    if end and values[end] and decided and values[end] < decided:
        errors.append(
            RowError(
                number,
                end,
                InvalidValue(
                    "credit_publicity_end_before_decision",
                    "公示截止期早于处罚决定日期",
                    "End of publicity period: earlier than the decision date",
                ),
            )
        )


def validate_record(
    kind: str,
    row: Mapping[str, Any],
    *,
    number: int = 1,
    columns: ColumnMap | None = None,
    defaults: Mapping[str, Any] | None = None,
    source_updated_at: datetime | None = None,
) -> tuple[CreditRecord | None, list[RowError]]:
    """Check one row (keys are headers or codes). Returns (record, []) or (None, errors)."""
    info = kind_info(kind)
    if columns is None:
        columns = resolve_columns(info.code, row.keys())
    errors: list[RowError] = []
    raw = _raw_values(info, row, columns, defaults)
    values = _normalised(info, raw, number, errors)
    natural = _category(info, raw, values) == NATURAL_PERSON
    _check_id_numbers(info, values, number, errors)
    party_field = _party_field(info, raw, natural, number, errors)
    _check_date_order(info, values, number, errors)

    stamp = source_updated_at
    if columns.source_time and not _empty(row.get(columns.source_time)):
        try:
            stamp = dates.parse_datetime(row[columns.source_time])
        except InvalidValue as error:
            errors.append(RowError(number, "source_updated_at", error))

    if errors or party_field is None:
        return None, errors
    party_code = _BLANKS.sub("", str(values[party_field])).upper()
    record = CreditRecord(info.code, number, values, natural, party_code, party_field, stamp)
    return record, []


def iter_validate(
    kind: str,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    defaults: Mapping[str, Any] | None = None,
    source_updated_at: datetime | None = None,
) -> Iterator[tuple[CreditRecord | None, list[RowError]]]:
    """Validate numbered rows lazily (constant memory for any file size): yields (record | None, errors)."""
    kind = normalise_kind(kind)
    columns_by_keys: dict[tuple[str, ...], ColumnMap] = {}
    for number, row in rows:
        keys = tuple(row.keys())
        columns = columns_by_keys.get(keys)
        if columns is None:
            columns = columns_by_keys[keys] = resolve_columns(kind, keys)
        yield validate_record(
            kind, row, number=number, columns=columns, defaults=defaults, source_updated_at=source_updated_at
        )


def validate_rows(
    kind: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    first_row: int = 1,
    defaults: Mapping[str, Any] | None = None,
    source_updated_at: datetime | None = None,
) -> Validation:
    """Validate a batch of dict rows (keys: codes or column names). Row numbers start at ``first_row``.

    Returns ``(good, errors)``: the valid rows as :class:`CreditRecord` and, for every bad row, one
    :class:`RowError` per problem (row number, field code, reason). ``defaults`` fills empty fields (e.g. the
    deciding authority's name and credit code from the publication's metadata).
    """
    good: list[CreditRecord] = []
    errors: list[RowError] = []
    for record, row_errors in iter_validate(
        kind, enumerate(rows, first_row), defaults=defaults, source_updated_at=source_updated_at
    ):
        if record is not None:
            good.append(record)
        errors.extend(row_errors)
    return Validation(good, errors)


# --------------------------------------------------------------------------------------------------------------
# Files

MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024  # 1 GiB of XML inside a workbook: beyond it, refuse (zip bombs)
MAX_XLSX_RATIO = 200  # compression ratio above which a workbook member is refused


@dataclass
class Table:
    """A file's header and its data rows, numbered as a spreadsheet numbers them (header = its own row)."""

    format: str  # csv | xlsx
    headers: list[str]
    header_row: int
    rows: Iterator[tuple[int, dict[str, Any]]]
    encoding: str | None = None


def _file_error(code: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"credit_file_{code}", zh, en)


def _known_columns(values: Iterable[Any]) -> int:
    count = 0
    for value in values:
        if value is None or str(value).strip() == "":
            continue
        if any(resolve_column(kind, value) for kind in KINDS) or is_source_time_column(value):
            count += 1
    return count


def _sniff_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"  # a superset of GBK and GB2312, what Chinese Excel saves as "CSV"


def _header_index(rows: list[list[Any]]) -> int:
    """Index of the header among the first rows: the first with two or more known column names, else the first
    non-empty row (templates often put a title row above the header)."""
    first = None
    for index, values in enumerate(rows):
        if first is None and any(v not in (None, "") for v in values):
            first = index
        if _known_columns(values) >= 2:
            return index
    if first is None:
        raise _file_error("empty", "文件中没有数据", "The file holds no data")
    return first


def _numbered(
    headers: list[str], rows: Iterable[tuple[int, list[Any]]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, values in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield number, {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}


def _headers(values: list[Any]) -> list[str]:
    return [str(v).strip() if v is not None else "" for v in values]


def read_csv(stream: IO[bytes], *, encoding: str | None = None) -> Table:
    head = stream.read(65536)
    encoding = encoding or _sniff_encoding(head)
    raw = io.BufferedReader(_Prepend(head, stream)) if head else stream
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    reader = csv.reader(text)
    buffered: list[list[Any]] = []
    try:
        for values in reader:
            buffered.append(values)
            if len(buffered) >= 20:
                break
    except UnicodeDecodeError:
        raise _file_error(
            "encoding",
            "文件编码无法识别（应为UTF-8或GBK）",
            "Unrecognised text encoding (expected UTF-8 or GBK)",
        ) from None
    except csv.Error as error:
        raise _file_error("csv", f"CSV格式错误：{error}", f"Malformed CSV: {error}") from None
    index = _header_index(buffered)
    headers = _headers(buffered[index])

    def rest() -> Iterator[tuple[int, list[Any]]]:
        # csv.reader's line_num counts physical lines; a quoted value with line breaks spans several, so rows
        # are numbered as records (header = row index + 1), which is what a spreadsheet program shows.
        number = index + 1
        for values in buffered[index + 1 :]:
            number += 1
            yield number, values
        try:
            for values in reader:
                number += 1
                yield number, values
        except UnicodeDecodeError:
            raise _file_error(
                "encoding",
                f"第{number + 1}行附近的文本编码无法识别（应为UTF-8或GBK）",
                f"Unrecognised text encoding near row {number + 1} (expected UTF-8 or GBK)",
            ) from None
        except csv.Error as error:
            raise _file_error(
                "csv", f"第{number + 1}行CSV格式错误：{error}", f"Malformed CSV at row {number + 1}: {error}"
            ) from None

    return Table("csv", headers, index + 1, _numbered(headers, rest()), encoding)


class _Prepend(io.RawIOBase):
    """A raw stream that yields ``head`` and then the rest of ``stream`` (for sniffing without seeking)."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


def _check_workbook(stream: IO[bytes], max_uncompressed: int) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise _file_error("xlsx", "不是有效的XLSX文件", "Not a valid XLSX workbook") from None
    total = 0
    for member in archive.infolist():
        total += member.file_size
        if (
            member.compress_size
            and member.file_size / member.compress_size > MAX_XLSX_RATIO
            and member.file_size > 10**7
        ):
            raise _file_error(
                "xlsx_ratio", "XLSX文件压缩比异常，拒绝读取", "XLSX: suspicious compression ratio, refused"
            )
    if total > max_uncompressed:
        raise _file_error(
            "xlsx_size",
            f"XLSX文件解压后超过{max_uncompressed // 2**20} MB，拒绝读取",
            f"XLSX: more than {max_uncompressed // 2**20} MB uncompressed, refused",
        )
    stream.seek(0)


def read_xlsx(
    stream: IO[bytes], *, sheet: str | None = None, max_uncompressed: int = MAX_XLSX_UNCOMPRESSED
) -> Table:
    """The first worksheet (or ``sheet``) of a workbook, read in openpyxl's streaming read-only mode."""
    import openpyxl  # noqa: PLC0415 - only the upload path needs it

    _check_workbook(stream, max_uncompressed)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise _file_error(
            "xlsx", f"XLSX文件无法读取：{error}", f"XLSX: cannot read the workbook: {error}"
        ) from None
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    first = 1  # read-only iter_rows starts at row 1 and pads missing rows, so numbering is by position
    iterator = iter(worksheet.iter_rows(values_only=True))
    buffered: list[list[Any]] = []
    for values in iterator:
        buffered.append(list(values))
        if len(buffered) >= 20:
            break
    index = _header_index(buffered)
    headers = _headers(buffered[index])

    def rest() -> Iterator[tuple[int, list[Any]]]:
        number = first + index
        for values in buffered[index + 1 :]:
            number += 1
            yield number, values
        for values in iterator:
            number += 1
            yield number, list(values)
        workbook.close()

    return Table("xlsx", headers, first + index, _numbered(headers, rest()))


def read_table(
    stream: IO[bytes] | bytes,
    *,
    filename: str | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a CSV, XLSX, JSON (also JSON Lines) or XML file, told apart by ``fmt``, else the file name's
    extension, else the content: the ZIP signature → XLSX, first non-blank character ``[`` / ``{`` → JSON,
    ``<`` → XML, anything else → CSV. JSON and XML rows are numbered by record (see :mod:`.credit_formats`)."""
    from . import credit_formats  # noqa: PLC0415 - it imports this module

    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    fmt = (fmt or "").lower().lstrip(".")
    if not fmt and filename:
        fmt = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if fmt not in ("csv", "xlsx", "txt", "json", "jsonl", "ndjson", "xml"):
        head = stream.read(512)
        if getattr(stream, "seekable", None) and stream.seekable():
            stream.seek(0)
        else:
            stream = io.BufferedReader(_Prepend(head, stream))
        fmt = credit_formats.sniff_format(head) or "csv"
    if fmt in ("json", "jsonl", "ndjson"):
        return credit_formats.read_json(stream, lines=True if fmt != "json" else None, encoding=encoding)
    if fmt == "xml":
        return credit_formats.read_xml(stream, encoding=encoding)
    if fmt == "xlsx":
        if not stream.seekable():
            stream = io.BytesIO(stream.read())
        return read_xlsx(stream, sheet=sheet)
    return read_csv(stream, encoding=encoding)
