"""The supervisors' reprint page, its exports and the watch rule form.

    GET  /reprint[?since=&until=&site=]   per obligated site: coverage, on-time rate, lag, missing items; per watched
                                          item: who reprinted it and who has not; by month; charts. `site` drills
                                          down to one site's verdict on every watched item.
    GET  /reprint/export.xlsx             the same as an inspection report (专项检查): by site, by item, by month
    GET  /reprint/export.csv              one row per (watched item, site): the verdict, the reprint, lag and reason
    POST /reprint/rule                    sysadmins: which issuer levels and topics are watched

The figures come from hlj_reprint_report_show (the latest stored check).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file
from openpyxl import Workbook

from ckanext.hlj.catalogue.codelists import codelist
from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.reprint import check
from ckanext.hlj.reprint import rule as watch_rule

__all__ = ["hlj_reprint"]

hlj_reprint = Blueprint("hlj_reprint", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUSES = ("on_time", "late", "missing", "pending")
STATUS_LABELS = {
    "on_time": ("按时转载", "On time"),
    "late": ("逾期转载", "Late"),
    "missing": ("未转载", "Missing"),
    "pending": ("未到期", "Pending"),
}
REASON_LABELS = {
    "doc_number": ("文号相同", "Same document number"),
    "title": ("标题相同", "Same title"),
    "similar": ("标题和正文相近", "Similar title and body"),
}
# Lag buckets of the distribution chart, in hours (the SLA default is 24).
LAG_BUCKETS = ((0, 6), (6, 12), (12, 24), (24, 48), (48, 72), (72, None))


def _filters() -> dict[str, str]:
    """The period and site of the request, as the report action takes them (it validates them)."""
    args = tk.request.args
    return {k: args[k].strip() for k in ("since", "until", "site") if args.get(k, "").strip()}


def _reports(filters: dict[str, str]) -> dict[str, dict[str, Any]]:
    show = tk.get_action("hlj_reprint_report_show")
    out = {}
    for by in ("site", "item", "period"):
        context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
        out[by] = show(context, {"by": by, **filters})
    return out


def _label(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    zh_en = table.get(key or "")
    return msg(lang, *zh_en) if zh_en else (key or "")


def _lag_distribution(by_item: dict[str, Any]) -> list[dict[str, Any]]:
    lags = [
        r["lag_hours"] for row in by_item["rows"] for r in row["reprinted_by"] if r["lag_hours"] is not None
    ]
    out = []
    for low, high in LAG_BUCKETS:
        label = f"{low}–{high} h" if high is not None else f"≥{low} h"
        count = sum(1 for lag in lags if lag >= low and (high is None or lag < high))
        out.append({"label": label, "count": count})
    return out


def _site_items(site: str, by_item: dict[str, Any]) -> list[dict[str, Any]]:
    """One site's verdict on every watched item (the drill-down of /reprint?site=…)."""
    out = []
    for row in by_item["rows"]:
        done = next((r for r in row["reprinted_by"] if r["site"] == site), None)
        if done is not None:
            status = done["status"]
        elif site in row["missing_sites"]:
            status = "missing"
        else:
            status = "pending"
        out.append({**row, "status": status, "reprint": done})
    return out


def _rule_form() -> dict[str, Any]:
    current = check.rule()
    return {
        "levels": current["watch_levels"],
        "topics": current["watch_topics"],
        "level_choices": codelist("issuer_level"),
        "topic_choices": [c for c in codelist("policy_topic") if c.parent is None],
    }


@hlj_reprint.route("/reprint")
def page() -> Any:
    lang = request_language()
    filters = _filters()
    try:
        reports = _reports(filters)
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error("；".join(messages))
        filters = {}
        reports = _reports(filters)
    site = filters.get("site")
    charts = {
        "sites": [
            {k: row[k] for k in ("site", *STATUSES, "coverage", "on_time_rate")}
            for row in reports["site"]["rows"]
        ],
        "months": reports["period"]["rows"],
        "lags": _lag_distribution(reports["item"]),
        "labels": {s: _label(STATUS_LABELS, s, lang) for s in STATUSES},
        "coverage": msg(lang, "转载率", "Coverage"),
        "rate": msg(lang, "及时率", "On-time rate"),
        "reprints": msg(lang, "转载数", "Reprints"),
    }
    return tk.render(
        "hlj/reprint/page.html",
        extra_vars={
            "by_site": reports["site"],
            "by_item": reports["item"],
            "by_period": reports["period"],
            "filters": filters,
            "period": {k: v for k, v in filters.items() if k != "site"},
            "site": site,
            "site_items": _site_items(site, reports["item"]) if site else None,
            "charts": charts,
            "status_labels": {s: _label(STATUS_LABELS, s, lang) for s in STATUSES},
            "reason_labels": {r: _label(REASON_LABELS, r, lang) for r in REASON_LABELS},
            "rule": _rule_form() if tk.current_user.is_authenticated and tk.current_user.sysadmin else None,
            "is_en": lang.startswith("en"),
        },
    )


@hlj_reprint.route("/reprint/rule", methods=["POST"])
def save_rule() -> Any:
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    form = tk.request.form
    lang = request_language()
    try:
        watch_rule.update(context, form.getlist("levels"), form.getlist("topics"))
    except tk.NotAuthorized:
        return tk.abort(
            403, msg(lang, "只有系统管理员可以修改转载规则", "Only sysadmins can change the watch rule")
        )
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error("；".join(messages if isinstance(messages, list) else [str(messages)]))
        return tk.redirect_to("hlj_reprint.page")
    tk.h.flash_success(
        msg(lang, "转载规则已保存，下次检查起生效", "Watch rule saved; the next check applies it")
    )
    return tk.redirect_to("hlj_reprint.page")


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def workbook_bytes(reports: dict[str, dict[str, Any]], lang: str) -> bytes:
    by_site, by_item, by_period = reports["site"], reports["item"], reports["period"]
    wb = Workbook()
    ws = wb.active
    ws.title = msg(lang, "按网站", "By site")
    period = (
        "～".join(p or "" for p in (by_site.get("since"), by_site.get("until")))
        if by_site.get("since") or by_site.get("until")
        else ""
    )
    ws.append([msg(lang, "转载情况专项检查", "Reprint inspection"), by_site["checked_at"] or "", period])
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
                "；".join(
                    f"{r['site']}（{r['lag_hours']}h，{_label(REASON_LABELS, r['reason'], lang)}）"
                    for r in row["reprinted_by"]
                ),
                "；".join(row["missing_sites"]),
                _rate(row["coverage"]),
            ]
        )
    months = wb.create_sheet(msg(lang, "按月份", "By month"))
    months.append(
        [
            msg(lang, "发布月份", "Month published"),
            msg(lang, "须转载文件", "Watched items"),
            msg(lang, "应转载", "Obligated"),
            msg(lang, "按时转载", "On time"),
            msg(lang, "逾期转载", "Late"),
            msg(lang, "未转载", "Missing"),
            msg(lang, "转载率", "Coverage"),
            msg(lang, "及时率", "On-time rate"),
        ]
    )
    for row in by_period["rows"]:
        months.append(
            [
                row["period"], row["watched"], row["obligated"], row["on_time"], row["late"], row["missing"],
                _rate(row["coverage"]), _rate(row["on_time_rate"]),
            ]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _export_reports() -> dict[str, dict[str, Any]]:
    try:
        return _reports(_filters())
    except tk.ValidationError as error:
        return tk.abort(400, "；".join(m for ms in error.error_dict.values() for m in ms))


@hlj_reprint.route("/reprint/export.xlsx")
def export() -> Any:
    content = workbook_bytes(_export_reports(), request_language())
    return send_file(
        io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="reprint-inspection.xlsx"
    )


def csv_text(by_item: dict[str, Any], lang: str) -> str:
    """One row per (watched item, site), the inspection's evidence: verdict, the reprint's address, lag, reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            msg(lang, "文件", "Item"),
            msg(lang, "文件标识", "Item id"),
            msg(lang, "发布时间", "Published"),
            msg(lang, "网站（机构）", "Site (organisation)"),
            msg(lang, "状态", "Status"),
            msg(lang, "转载地址", "Reprint URL"),
            msg(lang, "时延（小时）", "Lag (h)"),
            msg(lang, "认定依据", "Reason"),
            msg(lang, "相似度", "Score"),
        ]
    )
    for row in by_item["rows"]:
        title, name, published = (
            row.get("title", row["id"]),
            row.get("name", row["id"]),
            row.get("published_at"),
        )
        for r in row["reprinted_by"]:
            writer.writerow(
                [
                    title, name, published or "", r["site"], _label(STATUS_LABELS, r["status"], lang),
                    r["url"] or "", r["lag_hours"], _label(REASON_LABELS, r["reason"], lang), r["score"],
                ]
            )  # fmt: skip
        for site in row["missing_sites"]:
            writer.writerow([title, name, published or "", site, _label(STATUS_LABELS, "missing", lang)])
    return buffer.getvalue()


@hlj_reprint.route("/reprint/export.csv")
def export_csv() -> Any:
    reports = _export_reports()
    stamp = dt.date.today().isoformat()
    # A BOM: Excel, which most inspectors open it with, reads UTF-8 only with it.
    return Response(
        "\ufeff" + csv_text(reports["item"], request_language()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="reprint-inspection-{stamp}.csv"'},
    )
