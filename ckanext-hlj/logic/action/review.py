"""Actions of the confidentiality review (保密审查): decide, list decisions, the queue, the reviewers."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hlj import review
from ckanext.hlj.logic.validators import request_language

__all__ = [
    "hlj_review_decide",
    "hlj_review_list",
    "hlj_review_queue_list",
    "hlj_reviewer_create",
    "hlj_reviewer_delete",
    "hlj_reviewer_list",
]


def _msg(zh: str, en: str) -> str:
    return en if request_language().startswith("en") else zh


def _package(data_dict: dict[str, Any]) -> model.Package:
    pkg = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(_msg("找不到该数据集", "Dataset not found"))
    return pkg


def _organization(data_dict: dict[str, Any]) -> model.Group:
    group = model.Group.get(tk.get_or_bust(data_dict, "id"))
    if group is None or not group.is_organization:
        raise tk.ObjectNotFound(_msg("找不到该机构", "Organization not found"))
    return group


def _user(name_or_id: str) -> model.User:
    user = model.User.get(name_or_id)
    if user is None:
        raise tk.ObjectNotFound(_msg(f"找不到用户“{name_or_id}”", f"User {name_or_id!r} not found"))
    return user


def hlj_review_decide(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Approve or reject a record after its confidentiality review.

    :param id: the dataset's id or name
    :param decision: ``approved`` or ``rejected``
    :param comment: the reviewer's comment; required for a rejection (the editor needs the reasons)
    :returns: the decision as recorded, and the dataset's new status and visibility
    """
    pkg = _package(data_dict)
    tk.check_access("hlj_review_decide", context, {"id": pkg.id})
    decision = data_dict.get("decision")
    comment = (data_dict.get("comment") or "").strip()
    errors = {}
    if decision not in review.DECISIONS:
        errors["decision"] = [
            _msg("审查结论须为 approved（通过）或 rejected（退回）", "Must be approved or rejected")
        ]
    if decision == review.REJECTED and not comment:
        errors["comment"] = [_msg("退回时必须说明理由", "A rejection needs the reasons")]
    if errors:
        raise tk.ValidationError(errors)

    user = _user(context["user"])
    patch_context = {"user": context["user"], "ignore_auth": True, review.CONTEXT_KEY: decision}
    # Approval publishes the record (unless the law keeps it private); a rejection keeps it private.
    # review_status is sent too, so that CKAN does not skip the update as "unchanged"; the value that counts
    # comes from the context (clients cannot set it).
    updated = tk.get_action("package_patch")(
        patch_context, {"id": pkg.id, "private": decision == review.REJECTED, "review_status": decision}
    )
    recorded = review.record_decision(pkg.id, decision, user.id, comment)
    model.repo.commit()
    return {**recorded, "review_status": updated["review_status"], "private": updated["private"]}


@tk.side_effect_free
def hlj_review_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """A record's review status and every decision on it, oldest first (for members of its organisation).

    :param id: the dataset's id or name
    :returns: ``id``, ``review_status`` (``pending``, ``approved`` or ``rejected``) and ``decisions`` (each with
        ``decision``, ``user``, ``comment`` and ``created``)
    """
    pkg = _package(data_dict)
    tk.check_access("hlj_review_list", context, {"id": pkg.id})
    return {
        "id": pkg.id,
        "review_status": pkg.extras.get("review_status"),
        "decisions": review.decisions(pkg.id),
    }


@tk.side_effect_free
def hlj_review_queue_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The organisation's records awaiting review, oldest change first (for members of the organisation).

    :param id: the organisation's id or name
    :returns: a list of ``{id, name, title, type}``
    """
    group = _organization(data_dict)
    tk.check_access("hlj_review_queue_list", context, {"id": group.id})
    out = []
    for package_id in review.pending_package_ids(group.id):
        pkg = model.Package.get(package_id)
        out.append({"id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type})
    return out


def hlj_reviewer_create(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Make a member of the organisation one of its reviewers (organisation admins and sysadmins).

    :param id: the organisation's id or name
    :param username: the user's name or id; must be a member of the organisation
    :returns: the organisation's reviewers, as ``hlj_reviewer_list``
    """
    group = _organization(data_dict)
    tk.check_access("hlj_reviewer_create", context, {"id": group.id})
    user = _user(tk.get_or_bust(data_dict, "username"))
    if user.sysadmin is False and not _is_member(group.id, user.id):
        raise tk.ValidationError(
            {"username": [_msg("审核人必须是本机构成员", "A reviewer must be a member")]}
        )
    review.add_reviewer(group.id, user.id, _user(context["user"]).id)
    model.repo.commit()
    return review.reviewers(group.id)


def hlj_reviewer_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Withdraw a user's reviewer role in the organisation (organisation admins and sysadmins).

    :param id: the organisation's id or name
    :param username: the user's name or id
    :returns: the organisation's remaining reviewers, as ``hlj_reviewer_list``
    """
    group = _organization(data_dict)
    tk.check_access("hlj_reviewer_delete", context, {"id": group.id})
    user = _user(tk.get_or_bust(data_dict, "username"))
    review.remove_reviewer(group.id, user.id)
    model.repo.commit()
    return review.reviewers(group.id)


@tk.side_effect_free
def hlj_reviewer_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The organisation's reviewers (for members of the organisation).

    :param id: the organisation's id or name
    :returns: a list of ``{user, assigned_by, created}``
    """
    group = _organization(data_dict)
    tk.check_access("hlj_reviewer_list", context, {"id": group.id})
    return review.reviewers(group.id)


def _is_member(group_id: str, user_id: str) -> bool:
    return (
        model.Session.query(model.Member)
        .filter(
            model.Member.group_id == group_id,
            model.Member.table_id == user_id,
            model.Member.table_name == "user",
            model.Member.state == "active",
        )
        .first()
        is not None
    )
