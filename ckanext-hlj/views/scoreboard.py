"""The openness scoreboard for supervisors (政务公开考核): departments and regions, trends, drill-down, export.

    GET /scoreboard[?since=&until=]               every assessed organisation and region, by month, charts
    GET /scoreboard/<organisation>[?since=&until=] one organisation: its figures, trend, and the items behind them
    GET /scoreboard/export.xlsx[?since=&until=]   the board as a workbook: scores, regions, months, items

The figures come from hlj_scoreboard_show, counted as the visitor may see the records.
"""

from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file
from openpyxl import Workbook
from openpyxl.styles import Font

from ckanext.hlj.catalogue.codelists import label
from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.scoreboard.measures import MEASURES

__all__ = ["hlj_scoreboard"]

hlj_scoreboard = Blueprint("hlj_scoreboard", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEASURE_LABELS = {
    "timeliness": ("发布及时", "Timeliness"),
    "reprint": ("转载到位", "Reprints"),
    "interpretation": ("解读同步", "Interpretation in step"),
    "directory": ("目录完整", "Directory complete"),
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _period() -> dict[str, str]:
    return {k: tk.request.args[k].strip() for k in ("since", "until") if tk.request.args.get(k, "").strip()}


def _labels(lang: str) -> dict[str, str]:
    return {k: msg(lang, *MEASURE_LABELS[k]) for k in MEASURES}


def _show(data: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return tk.get_action("hlj_scoreboard_show")(_context(), data), None
    except tk.ValidationError as error:
        return None, "；".join(m for messages in error.error_dict.values() for m in messages)
    except ValueError as error:  # a configuration error (weights): show it to the supervisor, not a 500
        return None, str(error)


def _chart_data(board: dict[str, Any], lang: str) -> dict[str, Any]:
    rows = board.get("organizations") or []
    return {
        "labels": _labels(lang),
        "score": msg(lang, "综合得分", "Score"),
        "organizations": [{"title": r["title"], "score": r["score"]} for r in rows if r["score"] is not None],
        "regions": [{"title": r["name"], "score": r["score"]} for r in board.get("regions") or []],
        "months": [
            {"month": mo["month"], "score": mo["score"], **{k: v["value"] for k, v in mo["measures"].items()}}
            for mo in board.get("months") or []
        ],
    }


@hlj_scoreboard.route("/scoreboard")
def page() -> Any:
    lang = request_language()
    period = _period()
    board, error = _show(period)
    if error:
        tk.h.flash_error(error)
    return tk.render(
        "hlj/scoreboard/page.html",
        extra_vars={
            "board": board,
            "period": period,
            "labels": _labels(lang),
            "charts": _chart_data(board or {}, lang),
            "is_en": lang.startswith("en"),
        },
    )


@hlj_scoreboard.route("/scoreboard/export.xlsx")
def export() -> Any:
    lang = request_language()
    board, error = _show({**_period(), "items": True})
    if board is None:
        return tk.abort(400, error)
    return send_file(
        io.BytesIO(workbook_bytes(board, lang)),
        mimetype=XLSX,
        as_attachment=True,
        download_name="openness-scoreboard.xlsx",
    )


@hlj_scoreboard.route("/scoreboard/<organization>")
def organization(organization: str) -> Any:
    lang = request_language()
    period = _period()
    found, error = _show({**period, "organization": organization})
    if found is None:
        return tk.abort(404, error)
    return tk.render(
        "hlj/scoreboard/organization.html",
        extra_vars={
            "org": found,
            "period": period,
            "labels": _labels(lang),
            "charts": _chart_data({"months": found["months"]}, lang),
            "category_label": lambda code: label("disclosure_category", code, lang),
            "is_en": lang.startswith("en"),
        },
    )


def _value(entry: dict[str, Any]) -> str:
    return "" if entry["value"] is None else f"{entry['value']:.1%}"


def _ratio(entry: dict[str, Any]) -> str:
    return f"{entry['numerator']}/{entry['denominator']}" if entry["denominator"] else "—"


def workbook_bytes(board: dict[str, Any], lang: str) -> bytes:
    labels = _labels(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = msg(lang, "机构得分", "Organisations")
    period = "～".join(p or "…" for p in (board.get("since"), board.get("until")))
    ws.append([msg(lang, "政务公开考核评分", "Openness scoreboard"), period if period != "…～…" else ""])
    weights = "，".join(f"{labels[k]} {w:g}" for k, w in board["weights"].items())
    ws.append([msg(lang, "权重：", "Weights: ") + weights])
    header = [msg(lang, "名次", "Rank"), msg(lang, "机构", "Organisation"), msg(lang, "地区", "Region")]
    header += [msg(lang, "综合得分", "Score")]
    for key in MEASURES:
        header += [labels[key], labels[key] + msg(lang, "（数量）", " (count)")]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in board["organizations"]:
        line = [
            row.get("rank", ""),
            row["title"],
            row["region"],
            "" if row["score"] is None else row["score"],
        ]
        for key in MEASURES:
            line += [_value(row["measures"][key]), _ratio(row["measures"][key])]
        ws.append(line)

    regions = wb.create_sheet(msg(lang, "地区", "Regions"))
    regions.append(
        [msg(lang, "地区", "Region"), msg(lang, "机构数", "Organisations"), msg(lang, "综合得分", "Score")]
        + [labels[k] for k in MEASURES]
    )
    for row in board["regions"]:
        regions.append(
            [row["name"], row["organizations"], "" if row["score"] is None else row["score"]]
            + [_value(row["measures"][k]) for k in MEASURES]
        )

    months = wb.create_sheet(msg(lang, "月度趋势", "By month"))
    months.append(
        [msg(lang, "月份", "Month"), msg(lang, "综合得分", "Score")] + [labels[k] for k in MEASURES[:3]]
    )
    for row in board["months"]:
        months.append(
            [row["month"], "" if row["score"] is None else row["score"]]
            + [_value(row["measures"][k]) for k in MEASURES[:3]]
        )

    items = wb.create_sheet(msg(lang, "问题清单", "Items"))
    items.append(
        [msg(lang, "机构", "Organisation"), msg(lang, "指标", "Measure"), msg(lang, "问题", "Item"),
         msg(lang, "说明", "Detail")]
    )  # fmt: skip
    for row in board["organizations"]:
        found = row.get("items") or {}
        for entry in found.get("reprint_missing", []):
            items.append([row["title"], labels["reprint"], entry.get("title") or entry["id"],
                          msg(lang, "未转载", "not reprinted")])  # fmt: skip
        for entry in found.get("interpretation", []):
            detail = (
                msg(lang, "无解读", "no interpretation")
                if entry["status"] == "missing"
                else msg(lang, "解读晚于文件：", "interpreted later: ") + (entry["interpreted_at"] or "")
            )
            items.append(
                [row["title"], labels["interpretation"], entry.get("title") or entry["name"], detail]
            )
        for code in found.get("directory_missing", []):
            items.append([row["title"], labels["directory"], label("disclosure_category", code, lang),
                          msg(lang, "目录未覆盖", "not in the directory")])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
