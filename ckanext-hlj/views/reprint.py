"""The supervisors' reprint page and its inspection-report export.

    GET /reprint                 per obligated site: coverage, on-time rate, lag, missing items; per watched item
    GET /reprint/export.xlsx     the same as an inspection report (专项检查): one sheet per site, one per item

The figures come from hlj_reprint_report_show (the latest stored check).
"""

from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file
from openpyxl import Workbook

from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_reprint"]

hlj_reprint = Blueprint("hlj_reprint", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reports() -> tuple[dict[str, Any], dict[str, Any]]:
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    show = tk.get_action("hlj_reprint_report_show")
    return show(dict(context), {"by": "site"}), show(dict(context), {"by": "item"})


@hlj_reprint.route("/reprint")
def page() -> Any:
    by_site, by_item = _reports()
    lang = request_language()
    return tk.render(
        "hlj/reprint/page.html",
        extra_vars={"by_site": by_site, "by_item": by_item, "is_en": lang.startswith("en")},
    )


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def workbook_bytes(by_site: dict[str, Any], by_item: dict[str, Any], lang: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = msg(lang, "按网站", "By site")
    ws.append([msg(lang, "转载情况专项检查", "Reprint inspection"), by_site["checked_at"] or ""])
    ws.append(
        [
            msg(lang, "网站（机构）", "Site (organisation)"),
            msg(lang, "应转载", "Obligated"),
            msg(lang, "按时转载", "On time"),
            msg(lang, "逾期转载", "Late"),
            msg(lang, "未转载", "Missing"),
            msg(lang, "未到期", "Pending"),
            msg(lang, "转载率", "Coverage"),
            msg(lang, "及时率", "On-time rate"),
            msg(lang, "时延中位数（小时）", "Median lag (h)"),
            msg(lang, "未转载的文件", "Items missing"),
        ]
    )
    for row in by_site["rows"]:
        ws.append(
            [
                row["site"], row["obligated"], row["on_time"], row["late"], row["missing"], row["pending"],
                _rate(row["coverage"]), _rate(row["on_time_rate"]), row["lag_hours"]["median"],
                "；".join(m.get("title", m["id"]) for m in row["missing_items"]),
            ]
        )  # fmt: skip
    items = wb.create_sheet(msg(lang, "按文件", "By item"))
    items.append(
        [
            msg(lang, "文件", "Item"),
            msg(lang, "已转载网站", "Reprinted by"),
            msg(lang, "未转载网站", "Missing sites"),
            msg(lang, "转载率", "Coverage"),
        ]
    )
    for row in by_item["rows"]:
        items.append(
            [
                row.get("title", row["id"]),
                "；".join(f"{r['site']}（{r['lag_hours']}h，{r['reason']}）" for r in row["reprinted_by"]),
                "；".join(row["missing_sites"]),
                _rate(row["coverage"]),
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@hlj_reprint.route("/reprint/export.xlsx")
def export() -> Any:
    by_site, by_item = _reports()
    content = workbook_bytes(by_site, by_item, request_language())
    return send_file(
        io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="reprint-inspection.xlsx"
    )
