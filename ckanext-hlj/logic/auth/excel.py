"""Who may use the Excel actions.

Import, and a background import's status: whoever may create datasets in the organisation (CKAN's own
package_create auth with that owner_org: its editors and admins, and sysadmins). Export and template: anyone, anonymous visitors included; the export
searches as the caller, so CKAN's visibility rules decide which items it holds (private ones only for the
organisation's members and sysadmins).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.excel.layout import msg
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_export_show", "hlj_import_create", "hlj_import_show", "hlj_template_show"]


def hlj_import_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        tk.check_access(
            "package_create",
            {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
            {"owner_org": data_dict.get("owner_org"), "type": data_dict.get("type")},
        )
    except tk.NotAuthorized:
        message = msg(
            request_language(),
            "没有在该机构下新建数据的权限",
            "Not allowed to create datasets in this organisation",
        )
        return {"success": False, "msg": message}
    return {"success": True}


def hlj_import_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """A background import's status and report: for whoever may import into its organisation (the report names
    the organisation's private items too)."""
    from ckanext.hlj.excel import jobs  # noqa: PLC0415

    job = jobs.show(data_dict.get("id") or "")
    if job is None:
        return {"success": True}  # the action answers 404
    return hlj_import_create(context, {"owner_org": job["owner_org"], "type": job["type"]})


@tk.auth_allow_anonymous_access
def hlj_export_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def hlj_template_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}
