"""Background jobs of the credit publications, run by CKAN's ``ckan jobs worker``.

:func:`expire_all` is the daily expiry: enqueue it with :func:`enqueue_expiry` (``ckan hlj credit expire
--enqueue``, e.g. from cron or the deadline scheduler) or run it in place (``ckan hlj credit expire``).
:func:`prepare_publication` gives a newly created publication its tables (queued by the plugin on create).
"""

from __future__ import annotations

import logging
from datetime import date

from ckanext.hlj.credit import store, tables

log = logging.getLogger(__name__)

JOB_TITLE = "hlj: 双公示公示期届满记录退出公开表 (credit publication expiry)"


def expire_all(as_of: str | None = None) -> dict[str, int]:
    """Expire every penalty publication's records past their 公示截止期; {dataset id: records moved}."""
    today = date.fromisoformat(as_of) if as_of else None
    moved = {}
    for pub in tables.all_publications():
        if not tables.public_table_exists(pub.resource_id):  # the dataset or its table is gone
            continue
        try:
            count = store.expire(pub, today=today)
        except Exception:  # one broken table must not stop the others
            log.exception("credit expiry failed for dataset %s", pub.package_id)
            continue
        if count:
            log.info("credit expiry: %d records of dataset %s left public view", count, pub.package_id)
        moved[pub.package_id] = count
    return moved


def enqueue_expiry(as_of: str | None = None):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return tk.enqueue_job(expire_all, kwargs={"as_of": as_of}, title=JOB_TITLE, rq_kwargs={"timeout": 3600})


def prepare_publication(package_id: str) -> str | None:
    """Create a new publication's audit table and public DataStore table, so its page offers the (empty) table
    and its data dictionary before the first rows arrive; returns the public resource's id.

    Run by the worker, not inside package_create: making the resource is itself a package update, which must not
    be nested in the transaction of the create that triggered it. Loading rows makes the tables anyway, so a
    job that never ran loses nothing.
    """
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    try:
        package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except tk.ObjectNotFound:
        return None  # deleted before the worker got to it
    if package.get("type") != "credit-publication" or package.get("state") != "active":
        return None
    from ckanext.hlj.credit import publication  # noqa: PLC0415

    return publication.prepare(package).resource_id


def enqueue_prepare_publication(package_id: str):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return tk.enqueue_job(
        prepare_publication, [package_id], title=f"hlj: 双公示数据表 {package_id}", rq_kwargs={"timeout": 600}
    )
