"""Offline reprint check: watched items and harvested site items as CSV in, one verdict per (item, site) out.

``ckan hlj reprint match --sources S.csv --site-items T.csv --out R.csv`` calls :func:`match_files`.

* S (watched items): ``id,title,doc_number,published_at,url``;
* T (site items): ``site,title,doc_number,published_at,url`` and optionally ``body``;
* R: ``source_id,site,status,matched_url,lag_hours,reason,score``, one row per source item and site, the
  sites being every distinct ``site`` of T (sorted), the source items in the order of S.

Files are UTF-8, with or without a BOM. ``published_at`` is ISO 8601 (or one of the Chinese forms the catalogue
accepts), a date or a date-time; without an offset it is Asia/Shanghai; a date-only value is compared by date.
Column names are matched without regard to case or surrounding blanks; other columns are ignored. A 文号 that
is empty, 无 or not a 文号 counts as none (the summary counts the unrecognised ones).
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from ckanext.hlj.catalogue.dates import SHANGHAI, parse_date_or_datetime
from ckanext.hlj.catalogue.errors import InvalidValue

from .matcher import DEFAULT_SLA_HOURS, ReprintMatcher, SiteItem, SourceItem, Verdict, as_moment
from .normalise import NO_DOC_NUMBER, normalise_doc_number

SOURCE_COLUMNS = ("id", "title", "doc_number", "published_at", "url")
SITE_COLUMNS = ("site", "title", "doc_number", "published_at", "url")
OPTIONAL_SITE_COLUMNS = ("body",)
RESULT_COLUMNS = ("source_id", "site", "status", "matched_url", "lag_hours", "reason", "score")
REQUIRED_VALUES = {"id", "site", "title", "published_at"}

# Harvested bodies can be long; the csv module's default field limit (128 KiB) is too small for some.
csv.field_size_limit(16 * 1024 * 1024)


def _open(path: str | os.PathLike):
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        reason = error.strerror or str(error)
        raise InvalidValue(
            "file_unreadable", f"无法读取文件 {path}：{reason}", f"Cannot read {path}: {reason}"
        ) from None


def _check_header(name: str, header: list[str] | None, required: tuple[str, ...]) -> list[str]:
    if header is None:
        raise InvalidValue("csv_empty", f"文件 {name} 为空（缺少表头）", f"{name} is empty (no header row)")
    columns = [column.strip().lower() for column in header]
    missing = [column for column in required if column not in columns]
    if missing:
        shown = ", ".join(missing)
        raise InvalidValue(
            "csv_missing_column",
            f"文件 {name} 缺少列：{shown}（应有 {','.join(required)}）",
            f"{name}: missing column(s) {shown} (expected {','.join(required)})",
        )
    duplicated = sorted({column for column in columns if column and columns.count(column) > 1})
    if duplicated:
        shown = ", ".join(duplicated)
        raise InvalidValue(
            "csv_duplicate_column", f"文件 {name} 列名重复：{shown}", f"{name}: duplicate column(s) {shown}"
        )
    return columns


def _read_rows(path: str | os.PathLike, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row, after checking the header. The header is line 1."""
    name = str(path)
    with _open(path) as handle:
        reader = csv.reader(handle)
        try:
            columns = _check_header(name, next(reader, None), required)
            for values in reader:
                line = reader.line_num
                if not any(value.strip() for value in values):
                    continue
                if len(values) > len(columns):
                    raise InvalidValue(
                        "csv_row_length",
                        f"文件 {name} 第 {line} 行：字段数 {len(values)} 多于表头的 {len(columns)} 列",
                        f"{name}, row {line}: {len(values)} fields but the header has {len(columns)} columns",
                    )
                padded = values + [""] * (len(columns) - len(values))
                yield line, {column: value for column, value in zip(columns, padded, strict=True) if column}
        except UnicodeDecodeError:
            raise _not_utf8(name) from None
        except csv.Error as error:
            raise InvalidValue(
                "csv_syntax",
                f"文件 {name} 第 {reader.line_num} 行：CSV 格式错误（{error}）",
                f"{name}, row {reader.line_num}: malformed CSV ({error})",
            ) from None


def _not_utf8(name: str) -> InvalidValue:
    return InvalidValue(
        "csv_encoding", f"文件 {name} 不是 UTF-8 编码", f"{name} is not UTF-8 encoded (save it as UTF-8 CSV)"
    )


def _bad_cell(name: str, line: int, column: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(
        "csv_value", f"文件 {name} 第 {line} 行 {column} 列：{zh}", f"{name}, row {line}, {column}: {en}"
    )


def _cells(name: str, line: int, row: dict[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    cells = {column: row.get(column, "").strip() for column in columns}
    for column in columns:
        if column in REQUIRED_VALUES and not cells[column]:
            raise _bad_cell(name, line, column, "不能为空", "missing value")
    return cells


def _moment(name: str, line: int, value: str) -> date | datetime:
    try:
        return parse_date_or_datetime(value)
    except InvalidValue as error:
        raise _bad_cell(name, line, "published_at", error.zh, error.en) from None


def _doc_number(value: str, unrecognised: Counter, key: str) -> str | None:
    number = normalise_doc_number(value)
    if number is None and value and value.strip().lower() not in NO_DOC_NUMBER:
        unrecognised[key] += 1
    return number


def read_sources(path: str | os.PathLike, unrecognised: Counter | None = None) -> list[SourceItem]:
    """The watched items of S (InvalidValue naming file, row and column for a bad value or a repeated id)."""
    unrecognised = Counter() if unrecognised is None else unrecognised
    name, seen, out = str(path), {}, []
    for line, row in _read_rows(path, SOURCE_COLUMNS):
        cells = _cells(name, line, row, SOURCE_COLUMNS)
        if (first := seen.get(cells["id"])) is not None:
            zh, en = f"编号 {cells['id']} 与第 {first} 行重复", f"id {cells['id']!r} repeats row {first}"
            raise _bad_cell(name, line, "id", zh, en)
        seen[cells["id"]] = line
        out.append(
            SourceItem(
                id=cells["id"],
                title=cells["title"],
                doc_number=_doc_number(cells["doc_number"], unrecognised, "sources"),
                published_at=_moment(name, line, cells["published_at"]),
                url=cells["url"],
            )
        )
    return out


def read_site_items(path: str | os.PathLike, unrecognised: Counter | None = None) -> list[SiteItem]:
    """The harvested site items of T (InvalidValue naming file, row and column for a bad value)."""
    unrecognised = Counter() if unrecognised is None else unrecognised
    name, out = str(path), []
    for line, row in _read_rows(path, SITE_COLUMNS):
        cells = _cells(name, line, row, SITE_COLUMNS + OPTIONAL_SITE_COLUMNS)
        out.append(
            SiteItem(
                site=cells["site"],
                title=cells["title"],
                doc_number=_doc_number(cells["doc_number"], unrecognised, "site_items"),
                published_at=_moment(name, line, cells["published_at"]),
                url=cells["url"],
                body=row.get("body") or None,
            )
        )
    return out


def _number(value: float | None, places: int) -> str:
    if value is None:
        return ""
    return f"{value:.{places}f}"


def write_verdicts(path: str | os.PathLike, verdicts: list[Verdict]) -> None:
    """R: UTF-8 without BOM, the columns of RESULT_COLUMNS; lag_hours to 2 and score to 3 decimals, or empty."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RESULT_COLUMNS)
        for verdict in verdicts:
            writer.writerow(
                (
                    verdict.source_id,
                    verdict.site,
                    verdict.status,
                    verdict.matched_url or "",
                    _number(verdict.lag_hours, 2),
                    verdict.reason or "",
                    _number(verdict.score, 3),
                )
            )


def _sla(value: object) -> float:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = float("nan")
    if not hours >= 0 or hours == float("inf"):
        raise InvalidValue(
            "sla_hours",
            f"时限（小时）应为非负数：{value}",
            f"SLA hours must be a non-negative number, got {value!r}",
        )
    return hours


def match_files(
    sources_csv: str | os.PathLike,
    site_items_csv: str | os.PathLike,
    out_csv: str | os.PathLike,
    *,
    sla_hours: float = DEFAULT_SLA_HOURS,
    now: date | datetime | str | None = None,
) -> dict:
    """Read S and T, write R, return a summary (counts of items, sites, rows, statuses and reasons).

    ``now`` (default: the current time) decides between ``missing`` (SLA passed) and ``pending``.
    Raises InvalidValue for unreadable files, a missing column or a bad value; R is then not written.
    """
    sla = _sla(sla_hours)
    moment = datetime.now(SHANGHAI) if now is None else as_moment(now)
    unrecognised: Counter = Counter()
    sources = read_sources(sources_csv, unrecognised)
    items = read_site_items(site_items_csv, unrecognised)
    matcher = ReprintMatcher(items)
    verdicts = matcher.verdicts(sources, matcher.sites, sla_hours=sla, now=moment)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    write_verdicts(out_csv, verdicts)
    statuses = Counter(verdict.status for verdict in verdicts)
    reasons = Counter(verdict.reason for verdict in verdicts if verdict.reason)
    return {
        "sources": len(sources),
        "site_items": len(items),
        "sites": len(matcher.sites),
        "rows": len(verdicts),
        "sla_hours": sla,
        "now": moment.isoformat(),
        "statuses": {status: statuses.get(status, 0) for status in ("on_time", "late", "missing", "pending")},
        "reasons": {reason: reasons.get(reason, 0) for reason in ("doc_number", "title", "similar")},
        "unrecognised_doc_numbers": dict(unrecognised),
        "out": str(out_csv),
    }
