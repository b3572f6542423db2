"""The Excel page of an organisation: templates to download, upload of a filled workbook, export.

    GET  /organization/<id>/excel                          the page (Chinese; English under /en/)
    POST /organization/<id>/excel                          upload (type, upload) → the page with the report
                                                           (a big workbook: → the job's page)
    GET  /organization/<id>/excel/import/<job_id>          a background import's progress, then its report
    GET  /organization/<id>/excel/template/<type>          the blank template (.xlsx)
    GET  /organization/<id>/excel/export/<type>            the organisation's items (.xlsx; private ones for members)

Uploads go through the hlj_import_create action, so its auth (may create datasets in the organisation) applies.
"""

from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file

from ckanext.hlj import excel
from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_excel"]

hlj_excel = Blueprint("hlj_excel", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _organization(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(_context(), {"id": id, "include_datasets": False})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, msg(request_language(), "找不到该机构", "Organisation not found"))


def _types(lang: str) -> list[dict[str, str]]:
    """The platform's dataset types (CKAN's generic ``dataset`` left out), in schema order."""
    types = []
    for dataset_type in excel.dataset_types():
        if dataset_type == "dataset":
            continue
        layout = excel.layout_for(dataset_type)
        types.append(
            {
                "type": dataset_type,
                "title": layout.title(lang) if lang.startswith("en") else layout.title_zh,
                "key": layout.key_description(lang),
            }
        )
    return types


def _can_import(org: dict[str, Any]) -> bool:
    try:
        tk.check_access("hlj_import_create", _context(), {"owner_org": org["id"]})
    except tk.NotAuthorized:
        return False
    return True


@hlj_excel.route("/organization/<id>/excel", methods=["GET", "POST"])
def page(id: str) -> Any:
    lang = request_language()
    org = _organization(id)
    types = _types(lang)
    report: dict[str, Any] | None = None
    error = None
    chosen = tk.request.form.get("type") or (types[0]["type"] if types else "")
    if tk.request.method == "POST":
        upload = tk.request.files.get("upload")
        if upload is None or not upload.filename:
            error = msg(lang, "请选择要上传的 Excel 文件", "Choose an Excel file to upload")
        else:
            try:
                report = tk.get_action("hlj_import_create")(
                    _context(), {"type": chosen, "owner_org": org["id"], "upload": upload}
                )
                if "job" in report:
                    return tk.redirect_to("hlj_excel.job", id=org["name"], job_id=report["job"]["id"])
            except tk.NotAuthorized:
                return tk.abort(403, msg(lang, "没有在该机构下导入数据的权限", "Not allowed to import here"))
            except tk.ValidationError as failure:
                error = "；".join(m for messages in failure.error_dict.values() for m in messages)
    return tk.render(
        "hlj/excel/page.html",
        extra_vars={
            "organization": org,
            "types": types,
            "chosen": chosen,
            "can_import": _can_import(org),
            "report": report,
            "error": error,
            "is_en": lang.startswith("en"),
        },
    )


@hlj_excel.route("/organization/<id>/excel/import/<job_id>")
def job(id: str, job_id: str) -> Any:
    """A background import: its progress (the page refreshes itself until the job is done), then its report."""
    lang = request_language()
    org = _organization(id)
    try:
        status = tk.get_action("hlj_import_show")(_context(), {"id": job_id})
    except tk.ObjectNotFound:
        return tk.abort(404, msg(lang, "找不到该导入任务", "No such import job"))
    except tk.NotAuthorized:
        return tk.abort(403, msg(lang, "没有查看该导入任务的权限", "Not allowed to see this import"))
    if status["owner_org"] != org["id"]:
        return tk.abort(404, msg(lang, "找不到该导入任务", "No such import job"))
    return tk.render(
        "hlj/excel/page.html",
        extra_vars={
            "organization": org,
            "types": _types(lang),
            "chosen": status["type"],
            "can_import": _can_import(org),
            "report": status["report"],
            "job": status,
            "error": status["error"],
            "is_en": lang.startswith("en"),
        },
    )


def _send(workbook: Any, name: str) -> Any:
    return send_file(
        io.BytesIO(excel.to_bytes(workbook)),
        mimetype=excel.MIMETYPE,
        as_attachment=True,
        download_name=name,
    )


def _type_or_404(dataset_type: str) -> str:
    if dataset_type not in excel.dataset_types():
        tk.abort(404, msg(request_language(), "未知的数据类型", "Unknown dataset type"))
    return dataset_type


@hlj_excel.route("/organization/<id>/excel/template/<dataset_type>")
def template(id: str, dataset_type: str) -> Any:
    org = _organization(id)
    _type_or_404(dataset_type)
    return _send(excel.template(dataset_type, request_language()), excel.filename(dataset_type, org["name"]))


@hlj_excel.route("/organization/<id>/excel/export/<dataset_type>")
def export(id: str, dataset_type: str) -> Any:
    org = _organization(id)
    _type_or_404(dataset_type)
    workbook = excel.export(dataset_type, org["id"], tk.current_user.name or None, request_language())
    return _send(workbook, excel.filename(dataset_type, org["name"], "export"))
