"""Pre-publication confidentiality review (保密审查).

The 2017 implementation opinions require every item to pass a confidentiality review before it is published. A
record of an organisation that requires review starts as ``pending`` and stays private; a reviewer of the
organisation (a role its admins assign) approves it — it is then published, unless the law keeps it private anyway
(see ``ckanext.hlj.visibility``) — or rejects it with reasons, and the editor's next change resubmits it. Every
decision (who, when, what, comment) is kept in ``hlj_review_decision`` and shown to the organisation.

Organisations that do not require review (``review_required`` false on the organisation) approve their records
automatically; harvested records follow the same setting of the source's organisation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ckan import model
from sqlalchemy import Column, DateTime, ForeignKey, Index, Table, UnicodeText, select

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)
DECISIONS = (APPROVED, REJECTED)
# Context key through which the review actions (and only they) set a record's status.
CONTEXT_KEY = "hlj_review_status"

decision_table = Table(
    "hlj_review_decision",
    metadata,
    Column("id", UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4())),
    Column(
        "package_id", UnicodeText, ForeignKey(model.package_table.c.id, ondelete="CASCADE"), nullable=False
    ),
    Column("decision", UnicodeText, nullable=False),
    Column("user_id", UnicodeText, ForeignKey(model.user_table.c.id), nullable=False),
    Column("comment", UnicodeText, nullable=False, default=""),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("hlj_review_decision_package_idx", "package_id", "created"),
)

reviewer_table = Table(
    "hlj_org_reviewer",
    metadata,
    Column("group_id", UnicodeText, ForeignKey(model.group_table.c.id, ondelete="CASCADE"), primary_key=True),
    Column("user_id", UnicodeText, ForeignKey(model.user_table.c.id, ondelete="CASCADE"), primary_key=True),
    Column("assigned_by", UnicodeText, ForeignKey(model.user_table.c.id, ondelete="SET NULL")),
    Column("created", DateTime(timezone=True), nullable=False),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Organisations


def review_required(org_id: str | None) -> bool:
    """Whether the organisation reviews its records before publication (default: yes, as the opinions require)."""
    if not org_id:
        return True
    group = model.Group.get(org_id)
    if group is None:
        return True
    value = group.extras.get("review_required")
    return str(value).lower() not in ("false", "0", "no")


def is_reviewer(user_id: str, org_id: str) -> bool:
    tables.create_all()
    query = select(reviewer_table.c.user_id).where(
        reviewer_table.c.group_id == org_id, reviewer_table.c.user_id == user_id
    )
    return model.Session.execute(query).first() is not None


def reviewers(org_id: str) -> list[dict[str, Any]]:
    tables.create_all()
    query = (
        select(reviewer_table.c.user_id, reviewer_table.c.assigned_by, reviewer_table.c.created)
        .where(reviewer_table.c.group_id == org_id)
        .order_by(reviewer_table.c.created)
    )
    rows = model.Session.execute(query).all()
    return [
        {
            "user": _user_name(r.user_id),
            "assigned_by": _user_name(r.assigned_by),
            "created": r.created.isoformat(),
        }
        for r in rows
    ]


def add_reviewer(org_id: str, user_id: str, assigned_by: str) -> None:
    tables.create_all()
    if not is_reviewer(user_id, org_id):
        model.Session.execute(
            reviewer_table.insert().values(
                group_id=org_id, user_id=user_id, assigned_by=assigned_by, created=now()
            )
        )


def remove_reviewer(org_id: str, user_id: str) -> None:
    tables.create_all()
    model.Session.execute(
        reviewer_table.delete().where(
            reviewer_table.c.group_id == org_id, reviewer_table.c.user_id == user_id
        )
    )


# Records


def current_status(package_id: str | None) -> str | None:
    if not package_id:
        return None
    pkg = model.Package.get(package_id)
    return None if pkg is None else pkg.extras.get("review_status")


def next_status(data: dict[tuple, Any], context: dict[str, Any]) -> str:
    """The review status a record being validated must get.

    Only the review actions set a status explicitly (through the context). Otherwise: a record of an organisation
    that does not review is approved; a new record is pending; a rejected record that its editors change is
    resubmitted (pending); an approved record changed by someone who is neither a reviewer of its organisation
    nor a sysadmin goes back to review (pending) — what is published must be what was reviewed; a reviewer's own
    change keeps the approval, as the reviewer answers for it.
    """
    if context.get(CONTEXT_KEY) in STATUSES:
        return context[CONTEXT_KEY]
    org_id = data.get(("owner_org",))
    if not review_required(org_id):
        return APPROVED
    package = context.get("package")
    existing = current_status(package.id if package is not None else data.get(("id",)))
    if existing in (None, REJECTED):
        return PENDING
    if existing == APPROVED and not _may_keep_approval(context, org_id):
        return PENDING
    return existing


def _may_keep_approval(context: dict[str, Any], org_id: str | None) -> bool:
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    if user is None:
        return False
    if user.sysadmin:
        return True
    group = model.Group.get(org_id) if org_id else None  # the form may still hold the organisation's name
    return group is not None and is_reviewer(user.id, group.id)


def record_decision(package_id: str, decision: str, user_id: str, comment: str) -> dict[str, Any]:
    tables.create_all()
    row = {
        "id": str(uuid.uuid4()),
        "package_id": package_id,
        "decision": decision,
        "user_id": user_id,
        "comment": comment or "",
        "created": now(),
    }
    model.Session.execute(decision_table.insert().values(**row))
    return _decision_dict(row)


def decisions(package_id: str) -> list[dict[str, Any]]:
    tables.create_all()
    query = (
        select(decision_table)
        .where(decision_table.c.package_id == package_id)
        .order_by(decision_table.c.created)
    )
    return [_decision_dict(r._mapping) for r in model.Session.execute(query).all()]


def pending_package_ids(org_id: str) -> list[str]:
    query = (
        select(model.Package.id)
        .where(model.Package.owner_org == org_id, model.Package.state == "active")
        .where(model.Package.extras["review_status"].astext == PENDING)
        .order_by(model.Package.metadata_modified)
    )
    return [r.id for r in model.Session.execute(query).all()]


def _user_name(user_id: str) -> str:
    user = model.User.get(user_id)
    return user.name if user else user_id


def _decision_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "package_id": row["package_id"],
        "decision": row["decision"],
        "user": _user_name(row["user_id"]),
        "comment": row["comment"],
        "created": row["created"].isoformat(),
    }
