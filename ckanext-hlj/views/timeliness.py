"""Timeliness pages for supervisors: the whole province and one organisation.

    GET /timeliness                                   every organisation, per rule: counts, on-time rate, charts
    GET /organization/<id>/timeliness                 one organisation
    GET /organization/<id>/timeliness/credit-late     its 双公示 records published after their due day
    GET /timeliness/export.xlsx[?organization=…]      the same report as a workbook
    GET /hlj/vendor/echarts.min.js                    Apache ECharts, from the npm package (assets/)

Filters: ``rule``, ``start_from``, ``start_to`` (query string). The figures come from hlj_deadline_report_show, so
datasets are counted as the visitor may see them. Drill-down: each late / overdue count links to the search page
filtered on the organisation and the state (datasets), or to the organisation's late 双公示 records (from the public
tables: what the public may see).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file
from openpyxl import Workbook

from ckanext.hlj.deadline import status as deadline_status
from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_timeliness"]

hlj_timeliness = Blueprint("hlj_timeliness", __name__)

FILTERS = ("rule", "start_from", "start_to")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _report(organization: str | None) -> tuple[dict[str, Any] | None, str | None]:
    params = {k: tk.request.args.get(k) for k in FILTERS if tk.request.args.get(k)}
    try:
        return tk.get_action("hlj_deadline_report_show")(
            _context(), {**params, "organization": organization}
        ), None
    except tk.ValidationError as error:
        return None, "；".join(m for messages in error.error_dict.values() for m in messages)


def _render(organization: dict[str, Any] | None) -> Any:
    lang = request_language()
    report, error = _report(organization["id"] if organization else None)
    return tk.render(
        "hlj/timeliness/page.html",
        extra_vars={
            "organization": organization,
            "report": report,
            "error": error,
            "filters": {k: tk.request.args.get(k, "") for k in FILTERS},
            "states": deadline_status.STATES,
            "state_labels": {s: deadline_status.state_label(s, lang) for s in deadline_status.STATES},
            "is_en": lang.startswith("en"),
        },
    )


@hlj_timeliness.route("/timeliness")
def province() -> Any:
    return _render(None)


@hlj_timeliness.route("/organization/<id>/timeliness")
def organization(id: str) -> Any:
    try:
        org = tk.get_action("organization_show")(_context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, msg(request_language(), "找不到该机构", "Organisation not found"))
    return _render(org)


@hlj_timeliness.route("/organization/<id>/timeliness/credit-late")
def credit_late(id: str) -> Any:
    from ckanext.hlj.deadline import report as deadline_report  # noqa: PLC0415

    lang = request_language()
    try:
        org = tk.get_action("organization_show")(_context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, msg(lang, "找不到该机构", "Organisation not found"))
    filters = {k: tk.request.args.get(k, "") for k in FILTERS}
    rows = deadline_report.credit_late_rows(
        org["id"], filters["start_from"] or None, filters["start_to"] or None
    )
    return tk.render(
        "hlj/timeliness/credit_late.html",
        extra_vars={"organization": org, "rows": rows, "filters": filters, "is_en": lang.startswith("en")},
    )


@hlj_timeliness.route("/timeliness/export.xlsx")
def export() -> Any:
    lang = request_language()
    organization = tk.request.args.get("organization") or None
    try:
        report = tk.get_action("hlj_deadline_report_show")(
            _context(),
            {
                **{k: tk.request.args.get(k) for k in FILTERS if tk.request.args.get(k)},
                "organization": organization,
            },
        )
    except tk.ValidationError as error:
        return tk.abort(400, "；".join(m for messages in error.error_dict.values() for m in messages))
    except tk.ObjectNotFound:
        return tk.abort(404, msg(lang, "找不到该机构", "Organisation not found"))
    content = workbook_bytes(report, lang)
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="timeliness.xlsx")


def workbook_bytes(report: dict[str, Any], lang: str) -> bytes:
    """The report as a workbook: one sheet per rule, one row per organisation, then the months."""
    wb = Workbook()
    wb.remove(wb.active)
    labels = [deadline_status.state_label(s, lang) for s in deadline_status.STATES]
    for index, item in enumerate(report["rules"], start=1):
        ws = wb.create_sheet(f"{index}-{item['rule']}"[:31])
        ws.append([item["title"]])
        ws.append([msg(lang, "依据：", "Basis: ") + item["basis"]])
        ws.append([])
        ws.append(
            [
                msg(lang, "机构", "Organisation"),
                *labels,
                msg(lang, "合计", "Total"),
                msg(lang, "按时率", "On-time rate"),
            ]
        )
        for org in [*item["organizations"], {"title": msg(lang, "合计", "Total"), **item["totals"]}]:
            ws.append(
                [org["title"], *(org[s] for s in deadline_status.STATES), org["total"], org["on_time_rate"]]
            )
        ws.append([])
        ws.append(
            [
                msg(lang, "月份", "Month"),
                *labels,
                msg(lang, "合计", "Total"),
                msg(lang, "按时率", "On-time rate"),
            ]
        )
        for month in item["months"]:
            ws.append(
                [
                    month["month"],
                    *(month[s] for s in deadline_status.STATES),
                    month["total"],
                    month["on_time_rate"],
                ]
            )
        ws.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _echarts_path() -> Path:
    configured = tk.config.get("ckanext.hlj.echarts_js")
    if configured:
        return Path(configured)
    # An editable install (make run / make test): the npm package installed by scripts/setup.sh.
    import ckanext.hlj  # noqa: PLC0415

    return (
        Path(ckanext.hlj.__file__).resolve().parent.parent / "assets/node_modules/echarts/dist/echarts.min.js"
    )


@hlj_timeliness.route("/hlj/vendor/echarts.min.js")
def echarts() -> Any:
    path = _echarts_path()
    if not path.is_file():
        return tk.abort(404, "echarts.min.js is not installed (scripts/setup.sh runs npm ci in assets/)")
    return send_file(path, mimetype="text/javascript", max_age=86400)
