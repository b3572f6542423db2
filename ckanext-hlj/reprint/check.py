"""Reprint checks over the portal's own data: which obligated sites reprinted which watched items, how fast.

Watched items: active ``policy`` documents that are not themselves reprints and match the watch rule — issued at a
watched level (``ckanext.hlj.reprint.watch_levels``: the State Council and the provincial government by default) or
by an organisation marked ``reprint_issuer``, and, when ``ckanext.hlj.reprint.watch_topics`` names 主题分类 codes,
in one of those topics — plus any document a supervisor flagged ``reprint_required`` by hand (harvests never change
the flag). Supervisors adjust the rule on the reprint page (sysadmins) or with ``config_option_update``; the value
stored there wins over the ini file, and is read afresh by every check.

Obligated sites: the organisations that run an active ``hlj_site`` harvest source; their harvested policy records
are the site items. Every site must reprint every watched item unless the item carries scope tags
(``转载范围-<value>``): then only the sites whose organisation matches one value — a GB/T 2260 code covering the
organisation's region (``转载范围-230100`` for 哈尔滨市 and its districts), the organisation's level
(``转载范围-city_county``) or its name.

Each check runs the matcher (:mod:`.matcher`) over all of them, replaces the stored verdicts
(``hlj_reprint_result``), one per (watched item, site) with the reason and score of the match, records which site
item reprints which watched item for search folding (:mod:`.fold`) and re-indexes the records whose fold changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, DateTime, Float, Table, UnicodeText, delete, insert, inspect, select

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

from . import SCOPE_TAG, fold
from .matcher import ReprintMatcher, SiteItem, SourceItem

log = logging.getLogger(__name__)

PAGE = 1000
STATE_SOURCE = "hlj-reprint-check"  # our row in hlj_harvest_state: when the last check ran
STATE_KEY = "last_check"
QUEUED_KEY = "last_queued"
RULE_OPTIONS = ("ckanext.hlj.reprint.watch_levels", "ckanext.hlj.reprint.watch_topics")

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
    Column("published_at", DateTime(timezone=True)),  # the watched item's, for reports by period
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


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(v) for v in value or []]


def rule() -> dict[str, list[str]]:
    """The watch rule in force: the runtime value a supervisor stored (CKAN's system_info) over the ini file's."""
    out = {}
    for key in RULE_OPTIONS:
        stored = model.get_system_info(key)
        out[key.rsplit(".", 1)[-1]] = _words(stored if stored is not None else tk.config.get(key))
    return out


def _marked_issuers() -> list[str]:
    """Ids of the active organisations marked reprint_issuer: whatever they publish is watched."""
    orgs = model.Session.query(model.Group.id, model.Group.extras).filter(
        model.Group.state == "active", model.Group.is_organization.is_(True)
    )
    return [org_id for org_id, extras in orgs if _truthy((extras or {}).get("reprint_issuer"))]


def _in_topics(pkg: dict[str, Any], topics: list[str]) -> bool:
    if not topics:
        return True
    topic = str(pkg.get("policy_topic") or "")
    return any(topic == t or topic.startswith(t + ".") for t in topics)


def watched_items() -> list[dict[str, Any]]:
    current = rule()
    clauses = ["reprint_required:true"]
    if current["watch_levels"]:
        clauses.append("issuer_level:(" + " OR ".join(f'"{lv}"' for lv in current["watch_levels"]) + ")")
    issuers = _marked_issuers()
    if issuers:
        clauses.append("owner_org:(" + " OR ".join(f'"{i}"' for i in issuers) + ")")
    packages = _search(f'+dataset_type:"policy" +({" OR ".join(clauses)})')
    watched = []
    for p in packages:
        if (p.get("policy_role") or "document") != "document" or p.get("private"):
            continue
        if _truthy(p.get("reprint_required")):
            watched.append(p)  # a supervisor's flag overrides the rule
        elif not _truthy(p.get("is_reprint")) and _in_topics(p, current["watch_topics"]):
            watched.append(p)
    return watched


def obligated_sites() -> dict[str, dict[str, Any]]:
    """{organisation name: {id, region_code, admin_level}} of the organisations running an active hlj_site
    source."""
    from ckanext.harvest.model import HarvestSource  # noqa: PLC0415

    sites = {}
    for source in model.Session.query(HarvestSource).filter_by(type="hlj_site", active=True):
        package = model.Package.get(source.id)
        group = model.Group.get(package.owner_org) if package is not None and package.owner_org else None
        if group is not None and group.state == "active":
            extras = group.extras or {}
            sites[group.name] = {
                "id": group.id,
                "region_code": extras.get("region_code") or "",
                "admin_level": extras.get("admin_level") or "",
            }
    return sites


def _region_covers(scope: str, region: str) -> bool:
    """A GB/T 2260 code covers itself and the divisions under it: 230000 the province, 230100 哈尔滨市 …"""
    if not (scope.isdigit() and len(scope) == 6 and region.isdigit()):
        return False
    prefix = scope.rstrip("0")
    prefix = prefix + "0" * (len(prefix) % 2)  # keep whole province/city pairs: 230100 → 2301, 230000 → 23
    return region.startswith(prefix)


def scope_of(pkg: dict[str, Any], sites: dict[str, dict[str, Any]]) -> frozenset[str] | None:
    """The sites obliged to reprint a watched item: all (None) unless it carries scope tags."""
    values = [t["name"][len(SCOPE_TAG) :] for t in pkg.get("tags", []) if t["name"].startswith(SCOPE_TAG)]
    if not values:
        return None
    return frozenset(
        name
        for name, site in sites.items()
        if any(
            v == name or v == site["admin_level"] or _region_covers(v, site["region_code"]) for v in values
        )
    )


def _moment(value: str) -> dt.datetime | None:
    from .matcher import as_moment  # noqa: PLC0415

    try:
        return as_moment(value)
    except (TypeError, ValueError):
        return None


_layout_checked = False  # per process: the table's layout is looked at once


def _ensure_result_table() -> None:
    """The results are derived data, rebuilt by every check: a table of an older layout is dropped and made anew
    rather than migrated."""
    global _layout_checked  # noqa: PLW0603
    if not tables.create_all() or _layout_checked:
        return
    columns = {c["name"] for c in inspect(model.meta.engine).get_columns(result_table.name)}
    if columns != {c.name for c in result_table.columns}:
        result_table.drop(model.meta.engine)
        result_table.create(model.meta.engine)
    _layout_checked = True


def run(now: dt.datetime | None = None) -> dict[str, Any]:
    """Match, store every verdict (replacing the previous check's) and the fold of reprints; return counts."""
    _ensure_result_table()
    sla = tk.config.get("ckanext.hlj.reprint.sla_hours")
    watched = watched_items()
    watched_ids = {p["id"] for p in watched}
    sites = obligated_sites()
    items: list[SiteItem] = []
    package_of: dict[tuple[str, str], str] = {}  # (site, url) → the site item's package id
    if sites:
        orgs = " OR ".join(f'"{site["id"]}"' for site in sites.values())
        names = {site["id"]: name for name, site in sites.items()}
        for pkg in _search(f'+dataset_type:"policy" +owner_org:({orgs})'):
            if pkg["id"] in watched_ids or pkg.get("private"):
                continue  # a watched item does not reprint itself; a record under review is not published
            url = pkg.get("source_url") or pkg["name"]
            site = names[pkg["owner_org"]]
            package_of[(site, url)] = pkg["id"]
            items.append(
                SiteItem(site, pkg["title"], pkg.get("doc_number"), _published(pkg), url, pkg.get("notes"))
            )
    sources = [
        SourceItem(
            p["id"], p["title"], p.get("doc_number"), _published(p), p.get("source_url") or "", p.get("notes"),
            sites=scope_of(p, sites),
        )
        for p in watched
    ]  # fmt: skip
    published = {s.id: s.published_at for s in sources}
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
                        "published_at": published.get(v.source_id),
                    }
                    for v in verdicts
                ],
            )
    folds = {
        package_of[(v.site, v.matched_url)]: v.source_id
        for v in verdicts
        if v.status in ("on_time", "late") and (v.site, v.matched_url) in package_of
    }
    reindexed = fold.reindex(fold.replace(folds))
    _remember(STATE_KEY, moment)
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    log.info(
        "reprint check: %d watched items, %d sites, %s, %d records re-indexed",
        len(sources), len(sites), counts, reindexed,
    )  # fmt: skip
    return {
        "watched": len(sources),
        "sites": len(sites),
        "site_items": len(items),
        "verdicts": counts,
        "folded": len(folds),
        "reindexed": reindexed,
    }


def _remember(key: str, moment: dt.datetime) -> None:
    from ckanext.hlj.harvesters import state  # noqa: PLC0415

    state.put(STATE_SOURCE, key, moment.isoformat())


def _remembered(key: str) -> dt.datetime | None:
    from ckanext.hlj.harvesters import state  # noqa: PLC0415

    found = state.get(STATE_SOURCE, key)
    return dt.datetime.fromisoformat(found[0]) if found and found[0] else None


def last_check() -> dt.datetime | None:
    return _remembered(STATE_KEY)


def last_site_harvest() -> dt.datetime | None:
    """When the latest hlj_site harvest job finished (UTC), if any has."""
    from ckanext.harvest.model import HarvestJob, HarvestSource  # noqa: PLC0415
    from sqlalchemy import func  # noqa: PLC0415

    finished = (
        model.Session.query(func.max(HarvestJob.finished))
        .join(HarvestSource, HarvestSource.id == HarvestJob.source_id)
        .filter(HarvestSource.type == "hlj_site", HarvestJob.status == "Finished")
        .scalar()
    )
    if finished is None:
        return None
    return (
        finished if finished.tzinfo else finished.replace(tzinfo=dt.UTC)
    )  # ckanext-harvest stores naive UTC


def harvested_since_check() -> bool:
    """Whether a site harvest finished after the last check (or no check ran yet while harvests did)."""
    harvested = last_site_harvest()
    if harvested is None:
        return False
    # A check already queued counts: the scheduler asks every minute, the worker may not have run it yet.
    seen = [m for m in (last_check(), _remembered(QUEUED_KEY)) if m is not None]
    return not seen or harvested > max(seen)


def results() -> list[dict[str, Any]]:
    _ensure_result_table()
    rows = model.Session.execute(select(result_table)).all()
    return [dict(r._mapping) for r in rows]


def enqueue():
    _remember(QUEUED_KEY, dt.datetime.now(dt.UTC))
    return tk.enqueue_job(run, title="hlj: 转载检查 (reprint check)", rq_kwargs={"timeout": 3600})
