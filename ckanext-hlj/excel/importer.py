"""Reading a filled workbook into CKAN: one package_create or package_patch per item row.

Every row goes through CKAN's own actions as the importing user, so the schema's validators, the privacy rule
(依申请公开 / 不予公开 / 不予开放 forced private), auth and every plugin hook run exactly as for the API or the
form; a row is one action call, so it is written whole or not at all. A row whose cells say what is stored already
is not written again ("unchanged"): first compared cell by cell with the item as export would write it, then,
when some cell differs in spelling only (a code instead of its label, 2017年3月20日 for 2017-03-20), by running
both through the type's update schema and comparing the results.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import logging
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ckan.plugins.toolkit as tk
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import layout as L
from .layout import Column, Layout, SubSheet, cell_text, fold, msg
from .workbook import WORKBOOK_MARK, instructions_title, options_title

log = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


class WorkbookError(ValueError):
    """A workbook that cannot be imported at all (not an .xlsx file, another type's template, no key column)."""

    def __init__(self, zh: str, en: str, field: str = "upload"):
        super().__init__(zh)
        self.zh, self.en, self.field = zh, en, field

    def message(self, lang: str | None) -> str:
        return msg(lang, self.zh, self.en)


class _NameTaken(Exception):
    """A new row's URL name belongs to a dataset of another organisation or type."""


@dataclass
class Problem:
    """One reason a row was not imported (or, in ``warnings``, something the import ignored)."""

    sheet: str
    row: int | None
    field: str | None
    label: str
    message: str


@dataclass
class Outcome:
    sheet: str
    row: int
    status: str
    name: str
    key: str


@dataclass
class ImportReport:
    dataset_type: str
    organization: str
    lang: str
    rows: list[Outcome] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def _names(self, status: str) -> list[str]:
        return [o.name for o in self.rows if o.status == status]

    @property
    def created(self) -> list[str]:
        return self._names(CREATED)

    @property
    def updated(self) -> list[str]:
        return self._names(UPDATED)

    @property
    def unchanged(self) -> list[str]:
        return self._names(UNCHANGED)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.rows if o.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in (CREATED, UPDATED, UNCHANGED, FAILED)}
        for outcome in self.rows:
            counts[outcome.status] += 1
        counts["errors"] = len(self.errors)
        return counts

    def summary(self) -> str:
        c = self.counts()
        return msg(
            self.lang,
            f"新建 {c[CREATED]} 条，更新 {c[UPDATED]} 条，未变 {c[UNCHANGED]} 条，失败 {c[FAILED]} 条"
            + (f"（{c['errors']} 个错误）" if c["errors"] else ""),
            f"created {c[CREATED]}, updated {c[UPDATED]}, unchanged {c[UNCHANGED]}, failed {c[FAILED]}"
            + (f" ({c['errors']} errors)" if c["errors"] else ""),
        )

    def error_lines(self, problems: list[Problem] | None = None) -> list[str]:
        lines = []
        for p in self.errors if problems is None else problems:
            where = msg(self.lang, f"第{p.row}行", f"row {p.row}") if p.row else ""
            what = (p.label + msg(self.lang, "：", ": ")) if p.label else ""
            lines.append(f"{p.sheet} {where} {what}{p.message}".replace("  ", " ").strip())
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.dataset_type,
            "organization": self.organization,
            "summary": self.summary(),
            "counts": self.counts(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rows": [asdict(o) for o in self.rows],
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Row:
    row: int
    cells: dict[str, str]  # field name → cell text, for the sheet's mapped columns


@dataclass
class _Item(_Row):
    key: tuple[int, tuple[str, ...]] | None = None
    subs: dict[str, list[_Row]] = field(default_factory=dict)


@dataclass
class _Sheet:
    title: str
    columns: dict[int, Column]
    rows: list[_Row]


# --- reading -------------------------------------------------------------------------------------------------


def open_workbook(file: Any) -> Any:
    """A read-only openpyxl workbook from a path, bytes, a file object or an upload; WorkbookError if unreadable."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    elif isinstance(file, str | Path):
        file = str(file)
    else:
        stream = getattr(file, "stream", file)  # a werkzeug FileStorage, or a file object
        seekable = getattr(stream, "seekable", None)
        file = stream if seekable is not None and seekable() else io.BytesIO(stream.read())
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        log.info("unreadable workbook: %r", error)
        raise WorkbookError(
            "无法读取上传的文件：请上传 Excel 工作簿（.xlsx）",
            "Cannot read the upload: send an Excel workbook (.xlsx)",
        ) from None


def _labels_index(columns: list[Column]) -> tuple[dict[str, Column], set[str]]:
    index: dict[str, Column] = {}
    ambiguous: set[str] = set()
    for column in columns:
        for text in (column.label_zh, column.label_en, column.name):
            key = fold(text)
            if key in index and index[key] is not column:
                ambiguous.add(key)
            index.setdefault(key, column)
    return index, ambiguous


def _read_sheet(ws: Any, columns: list[Column], lang: str | None, warnings: list[Problem]) -> _Sheet:
    """The sheet's data rows with their cells mapped to columns by the field-name row, else by the labels."""
    if hasattr(ws, "reset_dimensions"):  # read-only sheets trust the file's stated size, which may be wrong
        ws.reset_dimensions()
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0] if rows else ()
    names_row = [cell_text(v) for v in (rows[1] if len(rows) > 1 else ())]
    by_name = {c.name: c for c in columns}
    filled = [t for t in names_row if t]
    uses_names = bool(filled) and 2 * sum(t in by_name for t in filled) >= len(filled)
    labels, ambiguous = _labels_index(columns)
    mapped: dict[int, Column] = {}
    for index in range(max(len(header), len(names_row))):
        column = by_name.get(names_row[index]) if uses_names and index < len(names_row) else None
        label = cell_text(header[index]) if index < len(header) else ""
        if column is None and label and fold(label) not in ambiguous:
            column = labels.get(fold(label))
        if column is None:
            if label or (uses_names and index < len(names_row) and names_row[index]):
                warnings.append(
                    Problem(
                        ws.title,
                        1,
                        None,
                        label,
                        msg(lang, f"未识别的列“{label}”，已忽略", f"Unknown column “{label}” ignored"),
                    )
                )
            continue
        if column in mapped.values():
            warnings.append(
                Problem(
                    ws.title,
                    1,
                    column.name,
                    column.label(lang),
                    msg(lang, "重复的列，已忽略", "Repeated column ignored"),
                )
            )
            continue
        mapped[index] = column
    data: list[_Row] = []
    start = 2 if uses_names else 1
    for offset, values in enumerate(rows[start:], start=start + 1):
        cells = {
            column.name: cell_text(values[index]) if index < len(values) else ""
            for index, column in mapped.items()
        }
        if any(cells.values()):
            data.append(_Row(offset, cells))
    return _Sheet(ws.title, mapped, data)


def _sheets(wb: Any, layout: Layout) -> tuple[Any, dict[str, Any]]:
    """The items sheet and the sub-sheets present, found by title (either language), else the first sheet."""
    main_titles = {fold(layout.title(L.ZH)), fold(layout.title(L.EN))}
    sub_titles = {fold(s.title(lang)): s for s in layout.subsheets for lang in (L.ZH, L.EN)}
    other = {fold(instructions_title(lang)) for lang in (L.ZH, L.EN)} | {
        fold(options_title(lang)) for lang in (L.ZH, L.EN)
    }
    main = None
    subs: dict[str, Any] = {}
    for ws in wb.worksheets:
        title = fold(ws.title)
        if title in main_titles and main is None:
            main = ws
        elif title in sub_titles:
            subs.setdefault(sub_titles[title].name, ws)
    if main is None:
        candidates = [
            ws
            for ws in wb.worksheets
            if fold(ws.title) not in sub_titles
            and fold(ws.title) not in other
            and ws.sheet_state == "visible"
        ]
        if not candidates:
            raise WorkbookError("工作簿中没有事项工作表", "The workbook has no sheet of items")
        main = candidates[0]
    return main, subs


def _check_kind(wb: Any, layout: Layout) -> None:
    mark = str(getattr(wb.properties, "keywords", "") or "")
    if mark.startswith(f"{WORKBOOK_MARK}:") and mark.split(":", 1)[1] != layout.dataset_type:
        other = mark.split(":", 1)[1]
        try:
            other_title = L.for_type(other).title_zh
        except ValueError:
            other_title = other
        raise WorkbookError(
            f"这是“{other_title}”的模板，不能导入为“{layout.title_zh}”",
            f"This is a template of type {other}, not {layout.dataset_type}",
            "type",
        )


def _key_text(
    layout: Layout, key: tuple[int, tuple[str, ...]], cells: dict[str, str], lang: str | None
) -> str:
    names = layout.alternatives[key[0]]
    return ", ".join(f"{layout.by_name[n].label(lang)}={cells.get(n, '')}" for n in names)


def read_items(
    wb: Any, layout: Layout, lang: str | None, report: ImportReport
) -> tuple[str, list[_Item], dict[str, str]]:
    """The item rows with their keys and sub-rows; problems of single rows go to ``report``."""
    _check_kind(wb, layout)
    main_ws, sub_ws = _sheets(wb, layout)
    main = _read_sheet(main_ws, layout.columns, lang, report.warnings)
    mapped = {c.name for c in main.columns.values()}
    if not any(all(n in mapped for n in alt) for alt in layout.alternatives):
        raise WorkbookError(
            f"工作表“{main.title}”缺少识别事项的列：{layout.key_description(L.ZH)}",
            f"Sheet “{main.title}” lacks the columns that identify an item: {layout.key_description(L.EN)}",
        )
    items: list[_Item] = []
    seen: dict[tuple[int, tuple[str, ...]], _Item] = {}
    for row in main.rows:
        item = _Item(row.row, row.cells, L.key_of(layout, row.cells))
        if item.key is None:
            first = layout.alternatives[0][0]
            report.errors.append(
                Problem(
                    main.title,
                    row.row,
                    first,
                    layout.field_label(first, lang),
                    msg(
                        lang,
                        f"缺少识别事项的字段：{layout.key_description(lang)}",
                        f"Missing the fields that identify the item: {layout.key_description(lang)}",
                    ),
                )
            )
            report.rows.append(Outcome(main.title, row.row, FAILED, "", ""))
            continue
        if item.key in seen:
            names = layout.alternatives[item.key[0]]
            report.errors.append(
                Problem(
                    main.title,
                    row.row,
                    names[0],
                    layout.field_label(names[0], lang),
                    msg(
                        lang,
                        f"与第{seen[item.key].row}行是同一事项（{_key_text(layout, item.key, row.cells, lang)}）",
                        f"Same item as row {seen[item.key].row} ({_key_text(layout, item.key, row.cells, lang)})",
                    ),
                )
            )
            report.rows.append(
                Outcome(main.title, row.row, FAILED, "", _key_text(layout, item.key, row.cells, lang))
            )
            continue
        seen[item.key] = item
        items.append(item)

    # Sub-rows find their item by the link columns (the first key alternative).
    link = [c.name for c in layout.link_columns]
    by_link = {}
    for item in items:
        if all(item.cells.get(n) for n in link):
            by_link[tuple(layout.by_name[n].key_text(item.cells[n]) for n in link)] = item
    titles = {}
    for sub in layout.subsheets:
        ws = sub_ws.get(sub.name)
        if ws is None:
            continue  # no sheet: the items' sub-items are left as they are
        sheet = _read_sheet(ws, [*layout.link_columns, *sub.columns], lang, report.warnings)
        titles[sub.name] = sheet.title
        if not all(n in {c.name for c in sheet.columns.values()} for n in link):
            report.errors.append(
                Problem(
                    sheet.title,
                    1,
                    link[0] if link else None,
                    "、".join(c.label(lang) for c in layout.link_columns),
                    msg(
                        lang,
                        "工作表缺少对应事项的列，此工作表未导入",
                        "The sheet lacks the column tying rows to items; it was not imported",
                    ),
                )
            )
            continue
        for item in by_link.values():
            item.subs[sub.name] = []
        for row in sheet.rows:
            values = tuple(row.cells.get(n, "") for n in link)
            owner = by_link.get(
                tuple(layout.by_name[n].key_text(v) for n, v in zip(link, values, strict=True))
            )
            if owner is None:
                shown = "、".join(values)
                report.errors.append(
                    Problem(
                        sheet.title,
                        row.row,
                        link[0],
                        layout.field_label(link[0], lang),
                        msg(
                            lang,
                            f"在“{main.title}”工作表中找不到对应的事项（{shown or '空'}）",
                            f"No item with {shown or 'a blank key'} in the sheet “{main.title}”",
                        ),
                    )
                )
                continue
            owner.subs[sub.name].append(_Row(row.row, {k: v for k, v in row.cells.items() if k not in link}))
    return main.title, items, titles


# --- comparing -----------------------------------------------------------------------------------------------


def _same_cells(layout: Layout, item: _Item, current: dict[str, Any]) -> bool:
    """True when every cell reads exactly as export would write the stored item (in either language)."""
    for name, text in item.cells.items():
        if name in ("name", "private") and not text:
            continue  # blank: left as it is
        column = layout.by_name[name]
        stored = current.get("tags") if column.kind == "tags" else current.get(name)
        if not column.same(text, stored):
            return False
    for sub in layout.subsheets:
        if sub.name not in item.subs:
            continue
        stored_items = L.subitems(current, sub)
        rows = item.subs[sub.name]
        if len(stored_items) != len(rows):
            return False
        for row, stored in zip(rows, stored_items, strict=True):
            for column in sub.columns:
                if not column.same(row.cells.get(column.name, ""), stored.get(column.name)):
                    return False
    return True


def _canon(value: Any) -> Any:
    """A validated value in a form where equal meaning is equal: JSON decoded, numbers as text, and every empty
    value (None, "", [], {}, a list of empties) as ""."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("[", "{"):
            try:
                value = json.loads(stripped)
            except ValueError:
                return stripped
        else:
            return stripped
    if isinstance(value, dict):
        items = {k: _canon(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v != ""} or ""
    if isinstance(value, list | tuple):
        items = [_canon(v) for v in value]
        return [v for v in items if v != ""] or ""
    if value is None or type(value).__name__ == "Missing":
        value = ""
    return value if isinstance(value, bool) else str(value)


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in data.items() if k != "extras"}
    for extra in data.get("extras") or []:
        if isinstance(extra, dict) and "key" in extra:
            flat[extra["key"]] = extra.get("value")
    return flat


def _validated(dataset_type: str, data: dict[str, Any], user: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from ckan import model  # noqa: PLC0415
    from ckan.lib import plugins as lib_plugins  # noqa: PLC0415

    plugin = lib_plugins.lookup_package_plugin(dataset_type)
    context = {
        "model": model,
        "session": model.Session,
        "user": user,
        "ignore_auth": True,
        "package": model.Package.get(data.get("id")),
    }
    return lib_plugins.plugin_validate(
        plugin, context, copy.deepcopy(data), plugin.update_package_schema(), "package_update"
    )


def _same_after_validation(
    layout: Layout, current: dict[str, Any], values: dict[str, Any], user: str
) -> bool:
    """Would patching ``values`` onto ``current`` store the same thing? Both are run through the update schema."""
    base = {k: v for k, v in current.items() if k not in ("metadata_modified",)}
    new, errors = _validated(layout.dataset_type, {**base, **values}, user)
    if errors:
        return False
    old, _ = _validated(layout.dataset_type, base, user)
    new, old = _flat(new), _flat(old)
    for name in values:
        if name == "tags":
            continue
        if name == "tag_string":
            if sorted(t.get("name") for t in new.get("tags") or []) != sorted(
                t.get("name") for t in old.get("tags") or []
            ):
                return False
        elif _canon(new.get(name)) != _canon(old.get(name)):
            return False
    return True


# --- writing -------------------------------------------------------------------------------------------------


def _values(layout: Layout, item: _Item, creating: bool) -> dict[str, Any]:
    """What to send for the row: cell values (blank ones clear a field on update), and the sub-items."""
    values: dict[str, Any] = {}
    for name, text in item.cells.items():
        column = layout.by_name[name]
        if not text:
            if creating or name in ("name", "private"):
                continue
            values[name] = [] if column.kind == "multi" else ""
        else:
            values[name] = column.from_cell(text)
    if "tag_string" in values and not creating:
        values["tags"] = []  # tag_string adds to the tags sent along; the row's tags replace the old ones
    for sub in layout.subsheets:
        if sub.name in item.subs:
            columns = {c.name: c for c in sub.columns}
            values[sub.name] = [
                {k: columns[k].from_cell(v) for k, v in row.cells.items() if v and k in columns}
                for row in item.subs[sub.name]
            ]
    return values


def generated_name(layout: Layout, org_id: str, key: tuple[int, tuple[str, ...]]) -> str:
    """A stable ASCII URL name from the item's key: the type, then 12 hex digits of a hash of the key."""
    scope = "" if layout.global_key else org_id
    source = json.dumps(
        [layout.dataset_type, scope, layout.alternatives[key[0]], list(key[1])], ensure_ascii=False
    )
    return f"{layout.dataset_type}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:12]}"


def _error_messages(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _error_messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _error_messages(v)]
    return [str(value)] if value else []


def _problems(
    error_dict: dict[str, Any],
    layout: Layout,
    item: _Item,
    titles: tuple[str, dict[str, str]],
    lang: str | None,
) -> list[Problem]:
    main_title, sub_titles = titles
    problems = []
    subs = {s.name: s for s in layout.subsheets}
    for name, value in error_dict.items():
        sub: SubSheet | None = subs.get(name)
        if sub is not None and isinstance(value, list) and any(isinstance(v, dict) for v in value):
            rows = item.subs.get(name, [])
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    for subfield, messages in entry.items():
                        column = next((c for c in sub.columns if c.name == subfield), None)
                        problems.append(
                            Problem(
                                sub_titles.get(name, sub.title(lang)),
                                rows[index].row if index < len(rows) else item.row,
                                subfield,
                                column.label(lang) if column else subfield,
                                "；".join(_error_messages(messages)),
                            )
                        )
                elif entry:
                    problems.append(
                        Problem(main_title, item.row, name, layout.field_label(name, lang), str(entry))
                    )
            continue
        field_name = "tag_string" if name == "tags" and "tag_string" in layout.by_name else name
        problems.append(
            Problem(
                main_title,
                item.row,
                field_name,
                layout.field_label(field_name, lang),
                "；".join(_error_messages(value)),
            )
        )
    return problems


def _existing(layout: Layout, org_id: str, user: str) -> dict[tuple[int, tuple[str, ...]], dict[str, Any]]:
    """The organisation's items of the type, indexed by every key alternative they fill in."""
    index: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}
    for package in search_all(layout.dataset_type, org_id, user):
        cells = L.texts(L.package_cells(layout, package), layout.by_name)
        for number, alternative in enumerate(layout.alternatives):
            values = [cells.get(n, "") for n in alternative]
            if all(values):
                key = (
                    number,
                    tuple(layout.by_name[n].key_text(v) for n, v in zip(alternative, values, strict=True)),
                )
                index.setdefault(key, package)
    return index


def search_all(dataset_type: str, org_id: str, user: str | None) -> Iterator[dict[str, Any]]:
    """Every item of the type in the organisation that ``user`` may see (private ones for its members)."""
    rows = min(1000, tk.config.get("ckan.search.rows_max") or 1000)
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"user": user or ""},
            {
                "fq": f'+dataset_type:"{dataset_type}" +owner_org:"{org_id}"',
                "rows": rows,
                "start": start,
                "include_private": True,
                "sort": "metadata_created asc, name asc",
            },
        )
        yield from result["results"]
        start += rows
        if start >= result["count"] or not result["results"]:
            return


def organization(owner_org: str) -> Any:
    from ckan import model  # noqa: PLC0415

    group = model.Group.get(owner_org) if owner_org else None
    if group is None or not group.is_organization or group.state != "active":
        raise WorkbookError(f"找不到机构“{owner_org}”", f"No organisation {owner_org!r}", "owner_org")
    return group


def layout_for(dataset_type: str) -> Layout:
    try:
        return L.for_type(dataset_type)
    except ValueError:
        raise WorkbookError(
            f"未知的数据类型“{dataset_type}”", f"Unknown dataset type {dataset_type!r}", "type"
        ) from None


_commit_lock = threading.Lock()
_deferring = {"depth": 0, "saved": None}


@contextlib.contextmanager
def deferred_index_commits() -> Iterator[None]:
    """Index each written item without a Solr commit of its own, and commit once at the end.

    A commit per dataset (``ckan.search.solr_commit``) costs more than the rest of a package_create; during a bulk
    import the rows are still written and indexed one by one, and become searchable at Solr's next soft commit
    (solr/conf: 3 s) or at the end of the import, whichever comes first. Nested and concurrent imports in one
    process share the setting; the last one to finish restores it.
    """
    with _commit_lock:
        if _deferring["depth"] == 0:
            _deferring["saved"] = tk.config.get("ckan.search.solr_commit")
            tk.config["ckan.search.solr_commit"] = False
        _deferring["depth"] += 1
        committing = bool(_deferring["saved"])
    try:
        yield
    finally:
        with _commit_lock:
            _deferring["depth"] -= 1
            if _deferring["depth"] == 0:
                tk.config["ckan.search.solr_commit"] = _deferring["saved"]
        if committing:
            from ckan.lib.search.common import make_connection  # noqa: PLC0415

            try:
                make_connection().commit(waitSearcher=True)
            except Exception:  # the rows are stored; Solr's own commits will make them searchable
                log.exception("excel import: the final Solr commit failed")


class _Run:
    """One import: writes each item row with one action call and records what happened."""

    def __init__(self, layout: Layout, org: Any, user: str, *, lang: str, report: ImportReport, titles: Any):
        self.layout, self.org, self.user, self.lang, self.report = layout, org, user, lang, report
        self.main_title, self.sub_titles = titles
        self.existing = _existing(layout, org.id, user)

    def _outcome(self, item: _Item, status: str, name: str) -> None:
        assert item.key is not None
        key = _key_text(self.layout, item.key, item.cells, self.lang)
        self.report.rows.append(Outcome(self.main_title, item.row, status, name, key))

    def _fail(self, item: _Item, name: str, problems: list[Problem]) -> None:
        from ckan import model  # noqa: PLC0415

        model.Session.rollback()
        self.report.errors += problems
        self._outcome(item, FAILED, name)

    def _problem(self, item: _Item, field: str | None, message: str) -> Problem:
        label = self.layout.field_label(field, self.lang) if field else ""
        return Problem(self.main_title, item.row, field, label, message)

    def _stored(self, item: _Item, name: str) -> tuple[dict[str, Any] | None, bool]:
        """The stored item a new row's URL name points at (missing from the index, or deleted), and whether it
        is deleted; _NameTaken when the name belongs to another organisation's or type's dataset."""
        from ckan import model  # noqa: PLC0415

        pkg = model.Package.get(name)
        if pkg is None:
            return None, False
        if pkg.type == self.layout.dataset_type and pkg.owner_org == self.org.id:
            return tk.get_action("package_show")({"user": self.user}, {"id": pkg.id}), pkg.state != "active"
        owner = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        where = f"（{owner.display_name}）" if owner is not None else ""
        raise _NameTaken(
            msg(
                self.lang,
                f"网址标识“{name}”已被其他数据使用{where}",
                f"The URL name {name!r} is used by another dataset{where}",
            )
        )

    def row(self, item: _Item) -> None:
        assert item.key is not None
        layout, user = self.layout, self.user
        current = self.existing.get(item.key)
        name = item.cells.get("name") or ""
        restoring = False
        try:
            if current is None:
                name = name or generated_name(layout, self.org.id, item.key)
                current, restoring = self._stored(item, name)
            if current is None:
                data = {"type": layout.dataset_type, "owner_org": self.org.id, "name": name}
                created = tk.get_action("package_create")(
                    {"user": user}, {**data, **_values(layout, item, True)}
                )
                self._outcome(item, CREATED, created["name"])
                return
            values = _values(layout, item, False)
            if not restoring and (
                _same_cells(layout, item, current) or _same_after_validation(layout, current, values, user)
            ):
                self._outcome(item, UNCHANGED, current["name"])
                return
            if restoring:
                values["state"] = "active"
            patched = tk.get_action("package_patch")({"user": user}, {**values, "id": current["id"]})
            self._outcome(item, CREATED if restoring else UPDATED, patched["name"])
        except tk.ValidationError as error:
            problems = _problems(
                error.error_dict, layout, item, (self.main_title, self.sub_titles), self.lang
            )
            self._fail(item, name, problems)
        except _NameTaken as error:
            self._fail(item, name, [self._problem(item, "name", str(error))])
        except (tk.NotAuthorized, tk.ObjectNotFound) as error:
            message = str(error) or msg(self.lang, "没有权限", "Not authorised")
            self._fail(item, name, [self._problem(item, None, message)])
        except Exception as error:  # one broken row must not stop the others
            log.exception("excel import: row %s of %s failed", item.row, self.main_title)
            message = msg(self.lang, f"写入失败：{error}", f"Could not write: {error}")
            self._fail(item, name, [self._problem(item, None, message)])


def import_workbook(
    file: str | Path | bytes | BinaryIO | Any,
    dataset_type: str,
    owner_org: str,
    user: str,
    *,
    lang: str | None = None,
    defer_index_commits: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Create or update ``owner_org``'s items of ``dataset_type`` from a filled template, as ``user``.

    ``file``: a path, the bytes, a binary file object or a werkzeug upload. Items are matched by the type's key
    (see :data:`ckanext.hlj.excel.layout.ITEM_KEYS`); a new item without a URL name gets one generated from its
    key. Bad rows are reported (sheet, row, field label, the validator's message) while the good ones are
    imported. Messages are in ``lang`` (default: the request's language; the validators always answer in the
    request's language). Raises :class:`WorkbookError` when nothing can be imported at all and
    ``NotAuthorized`` when ``user`` may not create datasets in the organisation. With ``defer_index_commits``
    (the default) Solr commits once at the end instead of after every row (:func:`deferred_index_commits`).
    ``progress(done, total)`` is called before the first item row and after each one (background imports show
    it).
    """
    from ckanext.hlj.logic.validators import request_language  # noqa: PLC0415

    started = time.perf_counter()
    lang = lang or request_language()
    layout = layout_for(dataset_type)
    org = organization(owner_org)
    tk.check_access("package_create", {"user": user}, {"owner_org": org.id, "type": dataset_type})
    report = ImportReport(dataset_type, org.name, lang)
    wb = open_workbook(file)
    try:
        main_title, items, sub_titles = read_items(wb, layout, lang, report)
    finally:
        wb.close()
    run = _Run(layout, org, user, lang=lang, report=report, titles=(main_title, sub_titles))
    with deferred_index_commits() if defer_index_commits else contextlib.nullcontext():
        for done, item in enumerate(items):
            if progress is not None:
                progress(done, len(items))
            run.row(item)
        if progress is not None:
            progress(len(items), len(items))
    report.rows.sort(key=lambda o: o.row)
    report.errors.sort(key=lambda p: (p.sheet != main_title, p.sheet, p.row or 0))
    report.seconds = time.perf_counter() - started
    log.info("excel import of %s into %s by %s: %s", dataset_type, org.name, user, report.summary())
    return report
