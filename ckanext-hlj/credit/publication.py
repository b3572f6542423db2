"""A credit publication as its writers need it — the upload action, the hlj_credit harvester and the job run on
create: its tables ready (a lost public table rebuilt from the audit copy), the values empty fields default to,
and the resource's last-modified stamp."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import credit
from ckanext.hlj.credit import store, tables


def prepare(package: dict[str, Any]) -> tables.Publication:
    """The publication's tables, created when missing; InvalidValue when the dataset's kind cannot be used."""
    pub, created = tables.ensure_publication(package)
    if created:
        store.republish(pub)  # a lost public table is rebuilt from the audit copy (a no-op for a new one)
    return pub


def defaults(package: dict[str, Any], kind: str) -> dict[str, Any]:
    """Values for empty fields: the deciding authority is the dataset's department."""
    info = credit.kind_info(kind)
    values: dict[str, Any] = {}
    org_id = package.get("owner_org")
    org: dict[str, Any] = {}
    if org_id:
        org = tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": org_id, "include_datasets": False, "include_users": False}
        )
    if org.get("title"):
        values[info.authority] = org["title"]
    code = package.get("department_uscc") or org.get("uscc")
    if code:
        values[info.authority_code] = code
    return values


def touch(resource_id: str) -> None:
    """Record on the resource when its rows last changed (once per load, not per chunk)."""
    from ckan import model  # noqa: PLC0415

    resource = model.Resource.get(resource_id)
    if resource is not None:
        resource.last_modified = store.now().replace(tzinfo=None)
        model.repo.commit()
