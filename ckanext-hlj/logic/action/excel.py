"""Excel actions: bulk import of a filled template, export of an organisation's items, the blank template.

    POST /api/3/action/hlj_import_create   (multipart: type, owner_org, upload=<.xlsx>) → the import report,
                                           or a queued background job for a big workbook
    GET  /api/3/action/hlj_import_show?id=<job id>                               → the job's progress and report
    GET  /api/3/action/hlj_export_show?type=service-item&owner_org=hlj-scjgj     → the workbook, base64-encoded
    GET  /api/3/action/hlj_template_show?type=service-item                        → the blank template, base64

The web page (/organization/<id>/excel) and `ckan hlj import|export|template` use the same functions
(ckanext.hlj.excel). Messages are Chinese by default and English under the /en/ URL prefix.
"""

from __future__ import annotations

import base64
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj import excel
from ckanext.hlj.excel import jobs
from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_export_show", "hlj_import_create", "hlj_import_show", "hlj_template_show"]


def _required(data_dict: dict[str, Any], *names: str) -> None:
    lang = request_language()
    missing = {n: [msg(lang, "缺少该参数", "Missing value")] for n in names if not data_dict.get(n)}
    if missing:
        raise tk.ValidationError(missing)


def _file(workbook: Any, name: str) -> dict[str, Any]:
    content = excel.to_bytes(workbook)
    return {
        "filename": name,
        "mimetype": excel.MIMETYPE,
        "size": len(content),
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def hlj_import_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Create or update an organisation's items from a filled Excel template.

    Each good row becomes one package_create or package_patch as the calling user (all validators and privacy
    rules apply); bad rows are reported and not stored; rows that match what is stored are left alone.

    :param type: the dataset type (``disclosure``, ``service-item``, ``open-data``, ``policy``,
        ``credit-publication``)
    :param owner_org: the organisation's id or name
    :param upload: the .xlsx file (multipart upload)
    :param background: ``auto`` (default: workbooks with more item rows than ``ckanext.hlj.excel.inline_rows``
        go to the jobs worker), ``true`` or ``false``
    :returns: the report: ``counts`` (created, updated, unchanged, failed, errors), ``created`` / ``updated`` /
        ``unchanged`` (dataset names), ``rows`` (each row's sheet, row number, status, name and key),
        ``errors`` (sheet, row, field, label, message), ``warnings`` and ``summary``; for a background import,
        the job instead (``job``: as ``hlj_import_show`` returns it) — poll ``hlj_import_show`` for its report
    """
    _required(data_dict, "type", "owner_org", "upload")
    tk.check_access("hlj_import_create", context, data_dict)
    upload = data_dict["upload"]
    if isinstance(upload, str):
        raise tk.ValidationError(
            {"upload": [msg(request_language(), "请上传文件", "Send the workbook as a file upload")]}
        )
    lang = request_language()
    try:
        rows = _background_rows(data_dict.get("background"), upload, data_dict["type"])
        if rows is not None:
            org = excel.organization(data_dict["owner_org"])
            return {
                "job": jobs.submit(
                    upload,
                    dataset_type=data_dict["type"],
                    org_id=org.id,
                    user=context["user"],
                    lang=lang,
                    rows=rows,
                )
            }
        report = excel.import_workbook(upload, data_dict["type"], data_dict["owner_org"], context["user"])
    except excel.WorkbookError as error:
        raise tk.ValidationError({error.field: [error.message(lang)]}) from None
    return report.as_dict()


def _background_rows(choice: Any, upload: Any, dataset_type: str) -> int | None:
    """The workbook's item rows when it is to be imported in the background, else None."""
    text = str(choice if choice is not None else "auto").strip().lower()
    if text not in ("auto", "true", "1", "yes", "false", "0", "no"):
        raise tk.ValidationError(
            {
                "background": [
                    msg(request_language(), "取值应为 auto、true 或 false", "Use auto, true or false")
                ]
            }
        )
    if text in ("false", "0", "no"):
        return None
    rows = jobs.item_rows(upload, dataset_type)
    limit = jobs.inline_rows()
    return rows if text != "auto" or limit <= 0 or rows > limit else None


@tk.side_effect_free
def hlj_import_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """A background import: ``status`` (queued, running, finished, failed), ``rows_done`` of ``rows_total``,
    ``error`` when it failed and, once finished, ``report`` (as ``hlj_import_create`` returns it inline).

    :param id: the job id ``hlj_import_create`` returned
    """
    _required(data_dict, "id")
    tk.check_access("hlj_import_show", context, data_dict)
    job = jobs.show(data_dict["id"])
    if job is None:
        raise tk.ObjectNotFound(msg(request_language(), "找不到该导入任务", "No such import job"))
    return job


@tk.side_effect_free
def hlj_export_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """An organisation's items of one type as a filled template (only the items the caller may see).

    :param type: the dataset type
    :param owner_org: the organisation's id or name
    :param lang: ``en`` for English labels (default: Chinese)
    :returns: ``filename``, ``mimetype``, ``size`` and ``content_base64`` (the .xlsx file)
    """
    _required(data_dict, "type", "owner_org")
    tk.check_access("hlj_export_show", context, data_dict)
    try:
        workbook = excel.export(
            data_dict["type"], data_dict["owner_org"], context.get("user") or None, data_dict.get("lang")
        )
        org = excel.organization(data_dict["owner_org"])
    except excel.WorkbookError as error:
        raise tk.ValidationError({error.field: [error.message(request_language())]}) from None
    return _file(workbook, excel.filename(data_dict["type"], org.name, "export"))


@tk.side_effect_free
def hlj_template_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The blank import template of a dataset type.

    :param type: the dataset type
    :param lang: ``en`` for English labels (default: Chinese)
    :returns: ``filename``, ``mimetype``, ``size`` and ``content_base64`` (the .xlsx file)
    """
    _required(data_dict, "type")
    tk.check_access("hlj_template_show", context, data_dict)
    try:
        workbook = excel.template(data_dict["type"], data_dict.get("lang"))
    except excel.WorkbookError as error:
        raise tk.ValidationError({error.field: [error.message(request_language())]}) from None
    return _file(workbook, excel.filename(data_dict["type"]))
