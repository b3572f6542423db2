"""How a dataset type looks in a workbook, derived from its ckanext-scheming schema.

Every column comes from the schema's ``dataset_fields`` in schema order: its label and help text (both languages),
whether it is required, and what it holds — free text, an integer, one or several values of a choice list
(``choices``, a ``choices_helper`` such as the code lists and divisions, or a ``codelist``), or the tags. A field
with ``repeating_subfields`` gets a sheet of its own, one row per sub-item, keyed by the item's key column.
Fields without a form (``form_snippet: null``: computed or workflow fields such as ``is_reprint``) are left out,
except ``private``, which becomes the 可见性 column. So a schema change needs no change here.

What the schema cannot say is which fields identify an item: :data:`ITEM_KEYS` (or a schema's own top-level
``excel_key`` list of alternatives, which takes precedence) names them per type.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ZH = "zh_Hans_CN"
EN = "en"

# Which fields identify an item of each type, as alternatives tried in order: the first alternative whose
# fields are all filled in is the row's key. Items are matched within the importing organisation; for a
# "global" type the key is unique across the portal, so the URL name generated from it does not depend on the
# organisation (the same 实施编码 uploaded by a second department then collides instead of duplicating).
#
# - service-item: 实施编码 (the national code of the item as implemented by one body);
# - open-data: 信息资源代码;
# - disclosure: the URL name when given (an exported item keeps its identity even when its headings are edited),
#   else 一级事项 + 二级事项 within the department;
# - policy: 索引号, else 文号 + 发文机关, else the URL name, else 标题 + 成文日期 (interpretations often have
#   neither an index number nor a document number);
# - credit-publication: the URL name, else 公示类别 (one publication per department and kind);
# - any other type: the URL name, else the title.
ITEM_KEYS: dict[str, dict[str, Any]] = {
    "service-item": {"alternatives": [["implementation_code"]], "global": True},
    "open-data": {"alternatives": [["resource_code"]], "global": True},
    "disclosure": {"alternatives": [["name"], ["item_level1", "item_level2"]]},
    "policy": {"alternatives": [["index_no"], ["doc_number", "issuer"], ["name"], ["title", "written_date"]]},
    "credit-publication": {"alternatives": [["name"], ["credit_kind"]]},
}
DEFAULT_KEYS: dict[str, Any] = {"alternatives": [["name"], ["title"]]}

# Fields never shown as columns: the organisation is the import's own parameter.
SKIPPED_FIELDS = {"id", "owner_org"}

# Separators of several values typed in one cell (the code-list validators accept the same).
MULTI_SPLIT = re.compile(r"[、,，;；|\n]")

PRIVATE_CHOICES = (("true", "私有", "Private"), ("false", "公开", "Public"))


def is_en(lang: str | None) -> bool:
    return (lang or "").lower().startswith("en")


def msg(lang: str | None, zh: str, en: str) -> str:
    """One of our own messages in the reader's language (Chinese unless ``lang`` is English)."""
    return en if is_en(lang) else zh


def text_in(value: Any, lang: str | None) -> str:
    """A scheming label or help text (a {lang: text} dict or a plain string) in ``lang``."""
    if isinstance(value, dict):
        first = EN if is_en(lang) else ZH
        return value.get(first) or value.get(ZH) or value.get(EN) or next(iter(value.values()), "") or ""
    return str(value or "")


def fold(text: Any) -> str:
    """Case-, width- and blank-insensitive form of a header or a choice label, for matching."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", folded).strip("*＊").casefold()


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed: numbers without a spurious ``.0``, dates as ISO 8601."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        text = value.date().isoformat()
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value).strip()
    return text


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and value in ("", [], [""]))


def _as_list(value: Any) -> list[Any]:
    if _empty(value):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                loaded = json.loads(stripped)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return [v for v in loaded if not _empty(v)]
        return [stripped]
    if isinstance(value, list | tuple):
        return [v for v in value if not _empty(v)]
    return [value]


@dataclass(frozen=True)
class Column:
    """One field as a column: how its values are written to cells and read back."""

    name: str
    label_zh: str
    label_en: str
    help_zh: str = ""
    help_en: str = ""
    required: bool = False
    kind: str = "text"  # text | int | choice | multi | tags
    choices: tuple[tuple[str, str, str], ...] = ()  # (value, zh label, en label)
    codelist: str | None = None
    validators: str = ""

    def label(self, lang: str | None) -> str:
        return (self.label_en or self.label_zh) if is_en(lang) else (self.label_zh or self.label_en)

    def help(self, lang: str | None) -> str:
        return (self.help_en or self.help_zh) if is_en(lang) else (self.help_zh or self.help_en)

    def choice_labels(self, lang: str | None) -> list[str]:
        return [en if is_en(lang) else zh for _, zh, en in self.choices]

    def _choice_label(self, value: Any, lang: str | None) -> str:
        wanted = ("true" if value else "false") if isinstance(value, bool) else str(value)
        for code, zh, en in self.choices:
            if code == wanted:
                return en if is_en(lang) else zh
        return wanted

    def _choice_value(self, text: str) -> str | None:
        key = fold(text)
        for code, zh, en in self.choices:
            if key in (fold(code), fold(zh), fold(en)):
                return code
        return None

    def to_cell(self, value: Any, lang: str | None = ZH) -> Any:
        """A stored value (as package_show returns it) as the cell a person would have typed."""
        if self.kind == "tags":
            names = [t["name"] if isinstance(t, dict) else str(t) for t in (value or [])]
            return ",".join(sorted(names)) or None
        if self.kind == "multi":
            return "、".join(self._choice_label(v, lang) for v in _as_list(value)) or None
        if _empty(value):
            return None
        if self.kind == "choice":
            return self._choice_label(value, lang)
        if self.kind == "int" and str(value).strip().lstrip("-").isdigit():
            return int(str(value))
        return str(value)

    def from_cell(self, text: str) -> Any:
        """A non-empty cell's text as the value sent to CKAN's actions (whose validators decide)."""
        if self.kind == "choice":
            return self._choice_value(text) or text
        if self.kind == "multi":
            if self.codelist:  # the code-list validator takes labels, aliases, codes and every separator
                return text
            parts = [p.strip() for p in MULTI_SPLIT.split(text) if p.strip()]
            return [self._choice_value(p) or p for p in parts]
        return text

    def same(self, text: str, stored: Any) -> bool:
        """Whether a cell's text says what is stored, without asking the validators (False when unsure)."""
        if any(cell_text(self.to_cell(stored, lang)) == text for lang in (ZH, EN)):
            return True
        if self.kind == "tags":
            names = sorted(t["name"] if isinstance(t, dict) else str(t) for t in (stored or []))
            return sorted(t.strip() for t in text.split(",") if t.strip()) == names
        if self.kind == "choice" and not _empty(stored):
            wanted = ("true" if stored else "false") if isinstance(stored, bool) else str(stored)
            return self._choice_value(text) == wanted
        if self.kind == "multi":
            parts = [self._choice_value(p.strip()) for p in MULTI_SPLIT.split(text) if p.strip()]
            return None not in parts and parts == [str(v) for v in _as_list(stored)]
        return False

    def key_text(self, text: str) -> str:
        """The folded form of a key cell, so that 黑政办发[2017]10号 finds 黑政办发〔2017〕10号."""
        value = self.from_cell(text) if self.kind == "choice" else text
        if "hlj_doc_number" in self.validators:
            from ckanext.hlj.catalogue import doc_number  # noqa: PLC0415
            from ckanext.hlj.catalogue.errors import InvalidValue  # noqa: PLC0415

            try:
                value = doc_number.normalise_doc_number(value)
            except InvalidValue:
                pass
        return fold(value)


@dataclass(frozen=True)
class SubSheet:
    """A field with repeating subfields, written as its own sheet."""

    name: str
    label_zh: str
    label_en: str
    columns: tuple[Column, ...]

    def title(self, lang: str | None) -> str:
        return _sheet_title(self.label_en if is_en(lang) else self.label_zh)


@dataclass
class Layout:
    dataset_type: str
    title_zh: str
    title_en: str
    columns: list[Column]
    subsheets: list[SubSheet]
    alternatives: list[list[str]]
    global_key: bool = False
    by_name: dict[str, Column] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {c.name: c for c in self.columns}

    def title(self, lang: str | None) -> str:
        return _sheet_title(self.title_en if is_en(lang) else self.title_zh)

    @property
    def link_columns(self) -> list[Column]:
        """The columns that tie a sub-sheet row to its item: the first key alternative."""
        return [self.by_name[name] for name in self.alternatives[0] if name in self.by_name]

    def key_description(self, lang: str | None) -> str:
        sep = " + "
        options = [
            sep.join(self.by_name[n].label(lang) for n in alt if n in self.by_name)
            for alt in self.alternatives
        ]
        return msg(lang, "，其次".join(options), ", else ".join(options))

    def field_label(self, name: str, lang: str | None) -> str:
        column = self.by_name.get(name)
        if column:
            return column.label(lang)
        for sub in self.subsheets:
            if sub.name == name:
                return sub.label_en if is_en(lang) else sub.label_zh
        return name


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31] or "Sheet"


def _label(spec: dict[str, Any], key: str = "label") -> tuple[str, str]:
    value = spec.get(key) or ""
    if isinstance(value, dict):
        return value.get(ZH) or value.get(EN) or "", value.get(EN) or value.get(ZH) or ""
    return str(value), str(value)


def _choices(spec: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    if not (spec.get("choices") or spec.get("choices_helper")):
        return ()
    from ckanext.scheming.helpers import scheming_field_choices  # noqa: PLC0415

    result = []
    for choice in scheming_field_choices(spec) or []:
        zh, en = _label(choice)
        result.append((str(choice["value"]), zh or str(choice["value"]), en or zh or str(choice["value"])))
    return tuple(result)


def _is_multiple(spec: dict[str, Any]) -> bool:
    snippet = spec.get("form_snippet") or ""
    return (
        "multiple" in snippet
        or "multiple_choice" in str(spec.get("output_validators") or "")
        or "codelist_multiple" in str(spec.get("validators") or "")
    )


def column_for(spec: dict[str, Any]) -> Column:
    """The column of one scheming field (dataset field or subfield)."""
    name = spec["field_name"]
    label_zh, label_en = _label(spec)
    help_zh, help_en = _label(spec, "help_text")
    validators = str(spec.get("validators") or "")
    choices = _choices(spec)
    if name == "tag_string":
        kind = "tags"
        help_zh = help_zh or "多个标签用英文逗号分隔"
        help_en = help_en or "Separate tags with commas"
    elif choices and _is_multiple(spec):
        kind = "multi"
    elif choices:
        kind = "choice"
    elif "int_validator" in validators or spec.get("form_snippet") == "number.html":
        kind = "int"
    else:
        kind = "text"
    return Column(
        name=name,
        label_zh=label_zh or name,
        label_en=label_en or label_zh or name,
        help_zh=help_zh,
        help_en=help_en,
        required=bool(spec.get("required")),
        kind=kind,
        choices=choices,
        codelist=spec.get("codelist"),
        validators=validators,
    )


PRIVATE_COLUMN = Column(
    name="private",
    label_zh="可见性",
    label_en="Visibility",
    help_zh="留空时新建的事项为公开；依申请公开、不予公开、不予开放的事项无论填写什么都不公开",
    help_en="Blank: a new item is public. Items disclosed on request, withheld or not open are never public",
    kind="choice",
    choices=PRIVATE_CHOICES,
)


def dataset_types() -> list[str]:
    """The scheming dataset types, in the order of ``scheming.dataset_schemas``."""
    from ckanext.scheming.helpers import scheming_dataset_schemas  # noqa: PLC0415

    return list(scheming_dataset_schemas() or {})


def for_type(dataset_type: str) -> Layout:
    """The layout of ``dataset_type``; ValueError for a type that has no scheming schema."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema  # noqa: PLC0415

    schema = scheming_get_dataset_schema(dataset_type)
    if not schema:
        raise ValueError(dataset_type)
    return layout_from_schema(schema)


def layout_from_schema(schema: dict[str, Any]) -> Layout:
    dataset_type = schema["dataset_type"]
    columns: list[Column] = []
    subsheets: list[SubSheet] = []
    for spec in schema.get("dataset_fields", []):
        name = spec["field_name"]
        if name in SKIPPED_FIELDS:
            continue
        if name == "private":
            columns.append(PRIVATE_COLUMN)
            continue
        if "form_snippet" in spec and spec["form_snippet"] is None:
            continue  # computed or workflow fields
        if spec.get("repeating_subfields"):
            zh, en = _label(spec)
            subsheets.append(
                SubSheet(name, zh, en, tuple(column_for(s) for s in spec["repeating_subfields"]))
            )
            continue
        columns.append(column_for(spec))
    about = str(schema.get("about") or "")
    title_zh = about.split(" — ", maxsplit=1)[0].strip() if " — " in about else dataset_type
    keys = schema.get("excel_key")
    spec = {"alternatives": keys} if keys else ITEM_KEYS.get(dataset_type, DEFAULT_KEYS)
    names = {c.name for c in columns}
    alternatives = [list(alt) for alt in spec["alternatives"] if all(n in names for n in alt)]
    if not alternatives:
        alternatives = [alt for alt in DEFAULT_KEYS["alternatives"] if all(n in names for n in alt)]
    return Layout(
        dataset_type=dataset_type,
        title_zh=title_zh or dataset_type,
        title_en=dataset_type,
        columns=columns,
        subsheets=subsheets,
        alternatives=alternatives,
        global_key=bool(spec.get("global")),
    )


def key_of(layout: Layout, cells: dict[str, str]) -> tuple[int, tuple[str, ...]] | None:
    """(alternative index, folded values) of the first key alternative filled in ``cells``, or None."""
    for index, alternative in enumerate(layout.alternatives):
        values = [cells.get(name, "") for name in alternative]
        if all(values):
            return index, tuple(
                layout.by_name[n].key_text(v) for n, v in zip(alternative, values, strict=True)
            )
    return None


def package_cells(layout: Layout, package: dict[str, Any], lang: str | None = ZH) -> dict[str, Any]:
    """The main-sheet cells of a stored item (package_show / package_search form)."""
    cells = {}
    for column in layout.columns:
        value = package.get("tags") if column.kind == "tags" else package.get(column.name)
        cells[column.name] = column.to_cell(value, lang)
    return cells


def subitem_cells(sub: SubSheet, item: dict[str, Any], lang: str | None = ZH) -> dict[str, Any]:
    return {c.name: c.to_cell(item.get(c.name), lang) for c in sub.columns}


def subitems(package: dict[str, Any], sub: SubSheet) -> list[dict[str, Any]]:
    value = package.get(sub.name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = []
    return [v for v in (value or []) if isinstance(v, dict)]


def texts(cells: dict[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {name: cell_text(cells.get(name)) for name in names}
