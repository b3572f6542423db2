"""Who may run the credit-publication actions, and a guard on the DataStore tables of credit publications.

Loading, withdrawing, expiring one dataset and reading its audit copy need ``package_update`` on the dataset (its
organisation's editors and admins; sysadmins). Expiring every publication is for sysadmins.

The public table of a credit publication must only ever hold validated, masked rows, so the DataStore's own write
actions (``datastore_create`` / ``_upsert`` / ``_delete`` / ``_records_delete``) are refused on any resource of a
credit-publication dataset for everyone but sysadmins: rows go in through ``hlj_credit_rows_upsert``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = [
    "datastore_create",
    "datastore_delete",
    "datastore_records_delete",
    "datastore_upsert",
    "hlj_credit_audit_search",
    "hlj_credit_expire",
    "hlj_credit_fields",
    "hlj_credit_publication_create",
    "hlj_credit_republish",
    "hlj_credit_restore",
    "hlj_credit_rows_upsert",
    "hlj_credit_withdraw",
]

DATASET_TYPE = "credit-publication"


def _can_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    package_id = data_dict.get("id") or data_dict.get("package_id")
    if not package_id:
        return {"success": False, "msg": tk._("Missing value")}
    try:
        tk.check_access("package_update", context, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {
            "success": False,
            "msg": tk._("User {user} not authorized to edit {id}").format(
                user=context.get("user"), id=package_id
            ),
        }
    return {"success": True}


def hlj_credit_rows_upsert(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _can_update(context, data_dict)


def hlj_credit_withdraw(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _can_update(context, data_dict)


def hlj_credit_restore(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _can_update(context, data_dict)


def hlj_credit_republish(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _can_update(context, data_dict)


def hlj_credit_audit_search(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # The audit copy holds full ID numbers: the dataset's editors only (plain members of the organisation, who may
    # read private datasets, may not read it).
    return _can_update(context, data_dict)


def hlj_credit_expire(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    if data_dict.get("id"):
        return _can_update(context, data_dict)
    return {
        "success": False,
        "msg": tk._("Only sysadmins may expire every publication"),
    }  # sysadmins skip this


def hlj_credit_publication_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        tk.check_access("package_create", context, {**data_dict, "type": DATASET_TYPE})
    except tk.NotAuthorized as error:
        return {"success": False, "msg": str(error)}
    return {"success": True}


@tk.auth_allow_anonymous_access
def hlj_credit_fields(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


# ----------------------------------------------------------------------------------------------------------------
# DataStore guard


def _credit_dataset_of_resource(resource_id: str | None) -> bool:
    from ckan import model  # noqa: PLC0415

    if not resource_id:
        return False
    resource = model.Resource.get(resource_id)
    if resource is None:
        return False
    package = model.Package.get(resource.package_id)
    return package is not None and package.type == DATASET_TYPE


def _credit_dataset(package_id: str | None) -> bool:
    from ckan import model  # noqa: PLC0415

    package = model.Package.get(package_id) if package_id else None
    return package is not None and package.type == DATASET_TYPE


def _refused() -> dict[str, Any]:
    return {
        "success": False,
        "msg": "双公示数据表只能通过 hlj_credit_rows_upsert 载入 / credit publication tables are loaded through "
        "hlj_credit_rows_upsert only",
    }


@tk.chained_auth_function
def datastore_create(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    resource = data_dict.get("resource") or {}
    if _credit_dataset_of_resource(data_dict.get("resource_id")) or _credit_dataset(
        resource.get("package_id") if isinstance(resource, dict) else None
    ):
        return _refused()
    return next_auth(context, data_dict)


@tk.chained_auth_function
def datastore_upsert(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    if _credit_dataset_of_resource(data_dict.get("resource_id") or data_dict.get("id")):
        return _refused()
    return next_auth(context, data_dict)


@tk.chained_auth_function
def datastore_delete(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    if _credit_dataset_of_resource(data_dict.get("resource_id") or data_dict.get("id")):
        return _refused()
    return next_auth(context, data_dict)


@tk.chained_auth_function
def datastore_records_delete(
    next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]
) -> dict[str, Any]:
    if _credit_dataset_of_resource(data_dict.get("resource_id") or data_dict.get("id")):
        return _refused()
    return next_auth(context, data_dict)
