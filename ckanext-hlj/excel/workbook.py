"""Writing workbooks: the blank template of a type and the same template filled with stored items.

Layout of a workbook (all derived from :mod:`.layout`):

- the items sheet (named after the type, e.g. 政务服务事项): row 1 the field labels (required ones in red, help
  text as a cell comment), row 2 the field names (grey; the import reads columns by these, or by the labels when
  the row is missing), data from row 3; drop-downs of the choice labels on choice columns; text-formatted cells so
  that Excel keeps codes such as 000172009000 as typed;
- one sheet per repeating field (收费项目, 申请材料, 信息项): the item's key column(s) first, then the subfields,
  one row per sub-item;
- 说明: how the import works, then each field with its sheet, label, name, required flag, help and allowed values;
- 选项 (hidden): the drop-down lists.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import layout as L
from .layout import Column, Layout, msg

HEADER_ROWS = 2
FIRST_DATA_ROW = HEADER_ROWS + 1
# Drop-downs and text formats reach this many rows past the last filled one.
SPARE_ROWS = 2000
WORKBOOK_MARK = "ckanext-hlj"

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KEY_FILL = PatternFill("solid", fgColor="FCE4D6")
_NAMES_FONT = Font(color="808080", italic=True, size=9)


def instructions_title(lang: str | None) -> str:
    return msg(lang, "说明", "Instructions")


def options_title(lang: str | None) -> str:
    return msg(lang, "选项", "Options")


def _write_header(ws: Worksheet, columns: list[Column], lang: str | None, key_names: Iterable[str]) -> None:
    keys = set(key_names)
    for index, column in enumerate(columns, start=1):
        label = ws.cell(row=1, column=index, value=column.label(lang))
        label.font = Font(bold=True, color="C00000" if column.required else "000000")
        label.fill = _KEY_FILL if column.name in keys else _HEADER_FILL
        label.alignment = Alignment(wrap_text=True, vertical="center")
        note = column.help(lang)
        parts = [
            note,
            msg(lang, "必填" if column.required else "选填", "Required" if column.required else "Optional"),
        ]
        if column.kind == "multi":
            parts.append(msg(lang, "可填多个，用“、”分隔", "Several values: separate them with 、 or commas"))
        label.comment = Comment("\n".join(p for p in parts if p), WORKBOOK_MARK, width=260, height=110)
        name = ws.cell(row=2, column=index, value=column.name)
        name.font = _NAMES_FONT
        letter = get_column_letter(index)
        width = max(10, min(40, 2 * len(column.label(lang)) + 4))
        ws.column_dimensions[letter].width = width
        if column.kind != "int":
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.row_dimensions[1].height = 30


def _write_rows(ws: Worksheet, columns: list[Column], rows: Iterable[dict[str, Any]]) -> int:
    last = HEADER_ROWS
    for last, cells in enumerate(rows, start=FIRST_DATA_ROW):
        for index, column in enumerate(columns, start=1):
            value = cells.get(column.name)
            if value is None or value == "":
                continue
            cell = ws.cell(row=last, column=index, value=value)
            if column.kind != "int":
                cell.number_format = "@"
    return last


class _Options:
    """The hidden sheet of drop-down lists, one column per distinct list."""

    def __init__(self, wb: Workbook, lang: str | None):
        self.ws = wb.create_sheet(options_title(lang))
        self.ws.sheet_state = "hidden"
        self.lang = lang
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, column: Column) -> str:
        labels = tuple(column.choice_labels(self.lang))
        if labels not in self.ranges:
            index = len(self.ranges) + 1
            letter = get_column_letter(index)
            self.ws.cell(row=1, column=index, value=column.label(self.lang))
            for row, label in enumerate(labels, start=2):
                self.ws.cell(row=row, column=index, value=label)
            sheet = quote_sheetname(self.ws.title)
            self.ranges[labels] = f"{sheet}!${letter}$2:${letter}${len(labels) + 1}"
        return self.ranges[labels]


def _add_dropdowns(
    ws: Worksheet, columns: list[Column], options: _Options, last_row: int, lang: str | None
) -> None:
    end = max(last_row, HEADER_ROWS) + SPARE_ROWS
    for index, column in enumerate(columns, start=1):
        if column.kind not in ("choice", "multi") or not column.choices:
            continue
        multi = column.kind == "multi"
        dv = DataValidation(
            type="list",
            formula1=options.range_for(column),
            allow_blank=True,
            showDropDown=False,  # (sic) False shows the in-cell arrow
            showErrorMessage=not multi,
            errorStyle="warning",
            errorTitle=column.label(lang),
            error=msg(lang, "请从下拉列表中选择", "Please pick a value from the list"),
            showInputMessage=multi,
            promptTitle=column.label(lang)[:32] if multi else None,
            prompt=msg(
                lang, "可从列表选择，多个值用“、”分隔", "Pick from the list; separate several values with 、"
            )
            if multi
            else None,
        )
        letter = get_column_letter(index)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{end}")
        ws.add_data_validation(dv)


def _write_instructions(wb: Workbook, layout: Layout, lang: str | None) -> None:
    ws = wb.create_sheet(instructions_title(lang))
    main = layout.title(lang)
    link = "、".join(c.label(lang) for c in layout.link_columns)
    lines = [
        msg(lang, f"{layout.title_zh}导入模板", f"Import template: {layout.dataset_type}"),
        msg(
            lang,
            f"在“{main}”工作表中每行填写一个事项，从第3行开始；第1行是字段名称（红色为必填），第2行是系统字段名，请勿修改。",
            f"Fill one item per row of the sheet “{main}”, from row 3. Row 1 holds the labels (red: required), "
            "row 2 the field names the import reads; do not change them.",
        ),
        msg(
            lang,
            f"识别事项的字段：{layout.key_description(lang)}。系统中已有相同事项时更新该事项，没有时新建；"
            "内容未变的行不会重复写入。网址标识留空时由系统生成。",
            f"An item is identified by {layout.key_description(lang)}: an existing item is updated, otherwise "
            "one is created; unchanged rows are not written again. A blank URL name is generated.",
        ),
        msg(
            lang,
            "带下拉列表的字段可选择或填写中文名称、英文名称或代码；可多选的字段用“、”分隔多个值。日期可写作"
            "2017-03-20、2017年3月20日或二〇一七年三月二十日。",
            "Choice fields take the Chinese or English label or the code; several values are separated by 、. "
            "Dates may be written 2017-03-20, 2017年3月20日 or 二〇一七年三月二十日.",
        ),
    ]
    if layout.subsheets:
        names = "、".join(f"“{s.title(lang)}”" for s in layout.subsheets)
        lines.append(
            msg(
                lang,
                f"{names}工作表每行填写一个子项，用“{link}”列对应到事项；上传时这些工作表中的子项将替换事项原有的子项"
                "（删除某个工作表则不修改子项）。",
                f"The sheets {names} hold one sub-item per row, tied to its item by “{link}”. On upload they "
                "replace the item's sub-items (delete a sheet to leave them unchanged).",
            )
        )
    lines.append(
        msg(
            lang,
            "有错误的行不会写入，其他行照常导入；导入结果列出每个错误所在的工作表、行号、字段和原因。",
            "Rows with errors are not written while the others are imported; the report gives each error's "
            "sheet, row, field and reason.",
        )
    )
    for row, line in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=line)
        cell.font = Font(bold=row == 1, size=14 if row == 1 else 11)
    header_row = len(lines) + 2
    headers = [
        msg(lang, "工作表", "Sheet"),
        msg(lang, "字段", "Field"),
        msg(lang, "字段名", "Field name"),
        msg(lang, "必填", "Required"),
        msg(lang, "说明", "Help"),
        msg(lang, "可选值", "Allowed values"),
    ]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    rows = [(main, c) for c in layout.columns]
    for sub in layout.subsheets:
        rows += [(sub.title(lang), c) for c in (*layout.link_columns, *sub.columns)]
    yes, no = msg(lang, "是", "yes"), msg(lang, "否", "no")
    for row, (sheet, column) in enumerate(rows, start=header_row + 1):
        values = [
            sheet,
            column.label(lang),
            column.name,
            yes if column.required else no,
            column.help(lang),
            "、".join(column.choice_labels(lang)) if column.choices else "",
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = Alignment(wrap_text=col in (5, 6), vertical="top")
    for letter, width in zip("ABCDEF", (16, 24, 22, 8, 50, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["A"].width = 16


def build(
    layout: Layout,
    lang: str | None = L.ZH,
    packages: Iterable[dict[str, Any]] = (),
) -> Workbook:
    """The workbook of ``layout``, with ``packages`` (package_show dicts) as its rows when given."""
    packages = list(packages)
    wb = Workbook()
    wb.properties.creator = WORKBOOK_MARK
    wb.properties.subject = layout.dataset_type
    wb.properties.keywords = f"{WORKBOOK_MARK}:{layout.dataset_type}"
    ws = wb.active
    ws.title = layout.title(lang)
    link_names = [c.name for c in layout.link_columns]
    _write_header(ws, layout.columns, lang, link_names)
    main_last = _write_rows(ws, layout.columns, (L.package_cells(layout, p, lang) for p in packages))
    options = None
    sheets: list[tuple[Worksheet, list[Column], int]] = [(ws, layout.columns, main_last)]
    for sub in layout.subsheets:
        sub_ws = wb.create_sheet(sub.title(lang))
        columns = [*layout.link_columns, *sub.columns]
        _write_header(sub_ws, columns, lang, link_names)

        def sub_rows(sub=sub):
            for package in packages:
                link = L.package_cells(layout, package, lang)
                for item in L.subitems(package, sub):
                    yield {**{n: link[n] for n in link_names}, **L.subitem_cells(sub, item, lang)}

        sheets.append((sub_ws, columns, _write_rows(sub_ws, columns, sub_rows())))
    _write_instructions(wb, layout, lang)
    for sheet, columns, last in sheets:
        if any(c.kind in ("choice", "multi") and c.choices for c in columns):
            options = options or _Options(wb, lang)
            _add_dropdowns(sheet, columns, options, last, lang)
    wb.active = 0
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
