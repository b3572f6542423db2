"""Reprint checks over the portal's own data: which obligated sites reprinted which watched items, how fast.

Watched items: active ``policy`` documents flagged ``reprint_required`` by hand, or issued at a watched level
(``ckanext.hlj.reprint.watch_levels``: the State Council and the provincial government by default) and not
themselves reprints. The flag is a supervisor's: harvests never overwrite it. Obligated sites: the organisations
that run an active ``hlj_site`` harvest source; their harvested policy records are the site items. Each check runs
the matcher (:mod:`.matcher`) over all of them and replaces the stored verdicts (``hlj_reprint_result``), one per
(watched item, site), with the reason and score of the match.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, DateTime, Float, Table, UnicodeText, delete, insert, select

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

from .matcher import ReprintMatcher, SiteItem, SourceItem

log = logging.getLogger(__name__)

PAGE = 1000
STATE_KEY = "last_check"

result_table = Table(
    "hlj_reprint_result",
    metadata,
    Column("watched_id", UnicodeText, primary_key=True),
    Column("site", UnicodeText, primary_key=True),  # the obligated organisation's name
    Column("status", UnicodeText, nullable=False),  # on_time | late | missing | pending
    Column("matched_url", UnicodeText),
    Column("lag_hours", Float),
    Column("reason", UnicodeText),
    Column("score", Float),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)


def _search(fq: str) -> list[dict[str, Any]]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    found, start = [], 0
    while True:
        result = tk.get_action("package_search")(
            {"user": site_user, "ignore_auth": True},
            {"fq": fq, "rows": PAGE, "start": start, "sort": "id asc"},
        )
        found += result["results"]
        start += PAGE
        if len(result["results"]) < PAGE:
            return found


def _published(pkg: dict[str, Any]) -> str:
    return pkg.get("source_published_at") or pkg.get("first_seen_at") or pkg["metadata_created"]


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def watched_items() -> list[dict[str, Any]]:
    levels = tk.config.get("ckanext.hlj.reprint.watch_levels") or []
    if isinstance(levels, str):
        levels = levels.split()
    level_query = " OR ".join(f'"{level}"' for level in levels) or '"-"'
    packages = _search(f'+dataset_type:"policy" +(reprint_required:true OR issuer_level:({level_query}))')
    return [
        p
        for p in packages
        if (p.get("policy_role") or "document") == "document"
        and (_truthy(p.get("reprint_required")) or not _truthy(p.get("is_reprint")))
    ]


def obligated_sites() -> dict[str, str]:
    """{organisation name: organisation id} of the organisations running an active hlj_site source."""
    from ckanext.harvest.model import HarvestSource  # noqa: PLC0415

    sites = {}
    for source in model.Session.query(HarvestSource).filter_by(type="hlj_site", active=True):
        package = model.Package.get(source.id)
        group = model.Group.get(package.owner_org) if package is not None and package.owner_org else None
        if group is not None and group.state == "active":
            sites[group.name] = group.id
    return sites


def run(now: dt.datetime | None = None) -> dict[str, Any]:
    """Match, store every verdict (replacing the previous check's), return counts."""
    tables.create_all()
    sla = tk.config.get("ckanext.hlj.reprint.sla_hours")
    watched = watched_items()
    watched_ids = {p["id"] for p in watched}
    sites = obligated_sites()
    items: list[SiteItem] = []
    if sites:
        orgs = " OR ".join(f'"{org_id}"' for org_id in sites.values())
        names = {org_id: name for name, org_id in sites.items()}
        for pkg in _search(f'+dataset_type:"policy" +owner_org:({orgs})'):
            if pkg["id"] in watched_ids:
                continue  # a watched item does not reprint itself
            items.append(
                SiteItem(
                    names[pkg["owner_org"]], pkg["title"], pkg.get("doc_number"), _published(pkg),
                    pkg.get("source_url") or pkg["name"], pkg.get("notes"),
                )
            )  # fmt: skip
    sources = [
        SourceItem(
            p["id"], p["title"], p.get("doc_number"), _published(p), p.get("source_url") or "", p.get("notes")
        )
        for p in watched
    ]
    verdicts = (
        ReprintMatcher(items).verdicts(sources, sorted(sites), sla_hours=sla, now=now) if sources else []
    )
    moment = dt.datetime.now(dt.UTC)
    with model.meta.engine.begin() as conn:
        conn.execute(delete(result_table))
        if verdicts:
            conn.execute(
                insert(result_table),
                [
                    {
                        "watched_id": v.source_id,
                        "site": v.site,
                        "status": v.status,
                        "matched_url": v.matched_url,
                        "lag_hours": v.lag_hours,
                        "reason": v.reason,
                        "score": v.score,
                        "checked_at": moment,
                    }
                    for v in verdicts
                ],
            )
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    log.info("reprint check: %d watched items, %d sites, %s", len(sources), len(sites), counts)
    return {"watched": len(sources), "sites": len(sites), "site_items": len(items), "verdicts": counts}


def results() -> list[dict[str, Any]]:
    tables.create_all()
    rows = model.Session.execute(select(result_table)).all()
    return [dict(r._mapping) for r in rows]


def enqueue():
    return tk.enqueue_job(run, title="hlj: 转载检查 (reprint check)", rq_kwargs={"timeout": 3600})
