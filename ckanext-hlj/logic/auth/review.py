"""Who may take part in the confidentiality review (保密审查)."""

from __future__ import annotations

from typing import Any

from ckan import authz, model

from ckanext.hlj import review

__all__ = [
    "hlj_review_decide",
    "hlj_review_list",
    "hlj_review_queue_list",
    "hlj_reviewer_create",
    "hlj_reviewer_delete",
    "hlj_reviewer_list",
]


def _user(context: dict[str, Any]) -> model.User | None:
    return model.User.get(context.get("user") or "")


def _owner_org(data_dict: dict[str, Any]) -> str | None:
    pkg = model.Package.get(data_dict.get("id") or "")
    return pkg.owner_org if pkg else None


def _denied(zh: str) -> dict[str, Any]:
    return {"success": False, "msg": zh}


def hlj_review_decide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Only a reviewer of the record's organisation (or a sysadmin, who is allowed everything) decides."""
    user, org_id = _user(context), _owner_org(data_dict)
    if user and org_id and review.is_reviewer(user.id, org_id):
        return {"success": True}
    return _denied("只有本机构的保密审查人可以作出审查结论")


def _org_member(context: dict[str, Any], org_id: str | None) -> dict[str, Any]:
    user = _user(context)
    if user and org_id and authz.has_user_permission_for_group_or_org(org_id, user.name, "read"):
        return {"success": True}
    return _denied("只有本机构成员可以查看")


def hlj_review_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _org_member(context, _owner_org(data_dict))


def hlj_review_queue_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _org_member(context, data_dict.get("id"))


def hlj_reviewer_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _org_member(context, data_dict.get("id"))


def _org_admin(context: dict[str, Any], org_id: str | None) -> dict[str, Any]:
    user = _user(context)
    if user and org_id and authz.users_role_for_group_or_org(org_id, user.name) == "admin":
        return {"success": True}
    return _denied("只有本机构管理员可以指定保密审查人")


def hlj_reviewer_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _org_admin(context, data_dict.get("id"))


def hlj_reviewer_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _org_admin(context, data_dict.get("id"))
