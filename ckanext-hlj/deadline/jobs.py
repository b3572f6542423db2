"""The daily deadline job, run by CKAN's jobs worker (queued by ``ckan hlj deadline refresh --enqueue`` from the
scheduler): keep the calendar tables current and re-index the datasets whose status time alone has changed —
pending ones whose due date has passed become overdue without anyone editing them."""

from __future__ import annotations

import datetime as dt
import logging

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import workdays
from ckanext.hlj.deadline import calendar_table
from ckanext.hlj.deadline.status import INDEX_PENDING_DUE

log = logging.getLogger(__name__)

JOB_TITLE = "hlj: 公开时限状态每日刷新 (daily deadline status refresh)"
PAGE = 500


def refresh(today: str | None = None) -> dict[str, int]:
    """Re-index every dataset with an obligation still pending whose due date is before ``today`` (default: today in
    Shanghai)."""
    from ckan.lib.search import rebuild  # noqa: PLC0415

    day = dt.date.fromisoformat(today) if today else workdays.today()
    tables = calendar_table.ensure_everywhere(day)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    yesterday = (day - dt.timedelta(days=1)).isoformat()
    ids: list[str] = []
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"user": site_user, "ignore_auth": True},
            {
                # Any obligation still pending past its due day, not only the record's worst one.
                "fq": f'+{INDEX_PENDING_DUE}:[* TO "{yesterday}"]',
                "fl": "id",
                "rows": PAGE,
                "start": start,
                "include_private": True,
            },
        )
        batch = [r["id"] for r in result["results"]]
        ids += batch
        start += PAGE
        if len(batch) < PAGE:
            break
    for package_id in ids:
        rebuild(package_id)
    log.info("deadline refresh: %d datasets re-indexed; calendar tables rewritten: %s", len(ids), tables)
    return {"reindexed": len(ids), **{f"calendar_{k}": int(v) for k, v in tables.items()}}


def enqueue_refresh(today: str | None = None):
    return tk.enqueue_job(refresh, kwargs={"today": today}, title=JOB_TITLE, rq_kwargs={"timeout": 3600})
