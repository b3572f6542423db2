"""The four measures of the openness scoreboard, per organisation and per month, each with the items behind it.

- ``timeliness`` (发布及时): obligations met on time / obligations due, over every deadline rule (proactive
  disclosure of documents, 双公示 decisions, consultations …), from the deadline reports (:mod:`ckanext.hlj.deadline`).
- ``reprint`` (转载到位): watched State Council and provincial items the organisation's site reprinted / items it had
  to reprint and that are due, from the latest reprint check (:mod:`ckanext.hlj.reprint`). Only organisations that
  run a site harvested by the platform are measured.
- ``interpretation`` (解读同步): the organisation's own policy documents whose interpretation (政策解读) was published
  within ``ckanext.hlj.scoreboard.interpretation_days`` of the document / its documents. The 2017 opinions require
  解读材料 to appear with the document (文件公布时…同步发布); reprints are not the organisation's to interpret.
- ``directory`` (目录完整): the 五公开 categories (决策、执行、管理、服务、结果) its 主动公开基本目录 covers / five. The
  seed named 18 departments that had to publish theirs first (by June 2018); they are marked and listed first.

Every measure is ``{"value": rate or None, "numerator": n, "denominator": d}``; None when nothing is measurable
(no obligation due, no site, no document), so the score does not punish an organisation for what it does not do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hlj.catalogue.codelists import codelist
from ckanext.hlj.catalogue.dates import SHANGHAI, parse_date_or_datetime

MEASURES = ("timeliness", "reprint", "interpretation", "directory")
PAGE = 1000


def measure(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "value": round(numerator / denominator, 4) if denominator else None,
        "numerator": numerator,
        "denominator": denominator,
    }


def organizations() -> list[dict[str, Any]]:
    """Every active organisation with what the board groups and sorts by."""
    out = []
    query = model.Session.query(model.Group).filter(
        model.Group.state == "active", model.Group.is_organization.is_(True)
    )
    for group in query.order_by(model.Group.name):
        extras = group.extras or {}
        out.append(
            {
                "id": group.id,
                "name": group.name,
                "title": group.title or group.name,
                "region_code": extras.get("region_code") or "",
                "admin_level": extras.get("admin_level") or "",
                "kind": extras.get("org_kind") or "",
                "seed_department": bool(str(extras.get("seed_names") or "").strip("[] \"'")),
            }
        )
    return out


def region_of(region_code: str) -> str:
    """The 市(地) a GB/T 2260 code belongs to (230102 → 230100); the province itself and bodies outside it as they
    are (230000, 100000)."""
    if len(region_code) == 6 and region_code.isdigit() and region_code[2:4] != "00":
        return region_code[:4] + "00"
    return region_code or "?"


# --- timeliness ----------------------------------------------------------------------------------------------------


def timeliness(
    context: dict[str, Any],
    since: dt.date | None,
    until: dt.date | None,
    organization: str | None = None,
    exclude: tuple[str, ...] = (),
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """({organisation id: measure}, {YYYY-MM: measure}) pooled over every rule of the deadline report;
    ``exclude``: organisation ids left out."""
    from ckanext.hlj.deadline import report as deadline_report  # noqa: PLC0415

    found = deadline_report.report(
        {**context},
        organization=organization,
        start_from=since.isoformat() if since else None,
        start_to=until.isoformat() if until else None,
        exclude=exclude,
    )
    by_org: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for rule in found["rules"]:
        for org in rule["organizations"]:
            by_org[org["id"]][0] += org["on_time"]
            by_org[org["id"]][1] += org["on_time"] + org["late"] + org["overdue"]
        for month in rule["months"]:
            by_month[month["month"]][0] += month["on_time"]
            by_month[month["month"]][1] += month["on_time"] + month["late"] + month["overdue"]
    return (
        {org_id: measure(*counts) for org_id, counts in by_org.items()},
        {month: measure(*counts) for month, counts in by_month.items()},
    )


# --- reprint -------------------------------------------------------------------------------------------------------


def reprint(
    since: dt.date | None, until: dt.date | None, organization_name: str | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """({organisation name: measure}, {YYYY-MM: measure}, {organisation name: missing items}); items not yet due
    (pending) are left out of both counts."""
    from ckanext.hlj.reprint import report as reprint_report  # noqa: PLC0415

    by_site = reprint_report.report(by="site", site=organization_name, since=since, until=until)
    by_period = reprint_report.report(by="period", site=organization_name, since=since, until=until)
    sites = {
        row["site"]: measure(row["on_time"] + row["late"], row["on_time"] + row["late"] + row["missing"])
        for row in by_site["rows"]
    }
    months = {
        row["period"]: measure(row["on_time"] + row["late"], row["on_time"] + row["late"] + row["missing"])
        for row in by_period["rows"]
    }
    missing = {row["site"]: row["missing_items"] for row in by_site["rows"]}
    return sites, months, missing


# --- interpretation ------------------------------------------------------------------------------------------------


def _policies(context: dict[str, Any], fq: str) -> list[dict[str, Any]]:
    """Policy records with only the fields this measure reads (stored Solr fields: no dataset dicts are built)."""
    # `owner_org` is not a stored field of CKAN's schema; `organization` (the name) is.
    fields = ["id", "name", "title", "organization", "metadata_created"] + [
        f"extras_{f}"
        for f in ("policy_role", "interprets", "is_reprint", "source_published_at", "first_seen_at")
    ]
    org_ids = dict(
        model.Session.query(model.Group.name, model.Group.id)
        .filter(model.Group.is_organization.is_(True))
        .all()
    )
    found, start = [], 0
    while True:
        result = tk.get_action("package_search")(
            {**context},
            {
                "fq": fq,
                "fl": fields,
                "rows": PAGE,
                "start": start,
                "sort": "id asc",
                "include_private": False,
            },
        )
        for r in result["results"]:
            record = {k.removeprefix("extras_"): v for k, v in r.items()}
            record["owner_org"] = org_ids.get(record.get("organization") or "")
            found.append(record)
        start += PAGE
        if len(result["results"]) < PAGE:
            return found


def _published(record: dict[str, Any]) -> dt.datetime | None:
    for key in ("source_published_at", "first_seen_at", "metadata_created"):
        value = record.get(key)
        if not value:
            continue
        try:
            moment = parse_date_or_datetime(str(value))
        except ValueError:
            continue
        if isinstance(moment, dt.datetime):
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # CKAN's own times are UTC
        return dt.datetime.combine(moment, dt.time(), SHANGHAI)
    return None


def _note_interpretations(records: list[dict[str, Any]], first: dict[str, dt.datetime]) -> None:
    """Record, per interpreted document's name, when its first interpretation was published."""
    for record in records:
        if record.get("policy_role") != "interpretation" or not record.get("interprets"):
            continue
        moment = _published(record)
        target = record["interprets"]
        if moment and (target not in first or moment < first[target]):
            first[target] = moment


def _is_own_document(record: dict[str, Any]) -> bool:
    reprint = str(record.get("is_reprint")).lower() in ("true", "1")
    return (record.get("policy_role") or "document") == "document" and not reprint


def interpretation(
    context: dict[str, Any],
    since: dt.date | None,
    until: dt.date | None,
    window_days: float,
    *,
    organization: str | None = None,
    exclude: tuple[str, ...] = (),
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """({organisation id: measure}, {YYYY-MM: measure}, {organisation id: documents without an interpretation in
    step, each with its status ``late`` or ``missing``}); documents of ``exclude`` organisations are left out."""
    owner = f' +owner_org:"{organization}"' if organization else ""
    records = _policies(context, f'+dataset_type:"policy"{owner}')
    first_interpretation: dict[str, dt.datetime] = {}
    _note_interpretations(records, first_interpretation)
    if organization:
        # Interpretations by another organisation (a joint document's lead department) count too.
        names = [r["name"] for r in records if r.get("policy_role") != "interpretation"]
        for chunk in range(0, len(names), 200):
            quoted = " OR ".join(f'"{n}"' for n in names[chunk : chunk + 200])
            found = _policies(context, f'+dataset_type:"policy" +interprets:({quoted})')
            _note_interpretations(found, first_interpretation)
    window = dt.timedelta(days=window_days)
    by_org: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if not _is_own_document(record) or record["owner_org"] in exclude:
            continue
        published = _published(record)
        if published is None:
            continue
        day = published.astimezone(SHANGHAI).date()
        if (since and day < since) or (until and day > until):
            continue
        interpreted = first_interpretation.get(record["name"])
        in_step = interpreted is not None and interpreted - published <= window
        month = day.strftime("%Y-%m")
        for counts in (by_org[record["owner_org"]], by_month[month]):
            counts[0] += int(in_step)
            counts[1] += 1
        if not in_step:
            misses[record["owner_org"]].append(
                {
                    "name": record["name"],
                    "title": record.get("title"),
                    "published_at": published.isoformat(),
                    "status": "late" if interpreted else "missing",
                    "interpreted_at": interpreted.isoformat() if interpreted else None,
                }
            )
    return (
        {org_id: measure(*c) for org_id, c in by_org.items()},
        {month: measure(*c) for month, c in by_month.items()},
        dict(misses),
    )


# --- directory -----------------------------------------------------------------------------------------------------


def directory(
    context: dict[str, Any], organization: str | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """({organisation id: measure}, {organisation id: codes of the 五公开 categories its directory lacks}) for
    every organisation with a directory item; one faceted query per category."""
    categories = [c.code for c in codelist("disclosure_category")]
    covered: dict[str, set[str]] = defaultdict(set)
    owner = f' +owner_org:"{organization}"' if organization else ""
    for code in categories:
        result = tk.get_action("package_search")(
            {**context},
            {
                "fq": f'+dataset_type:"disclosure" +disclosure_category:"{code}"{owner}',
                "rows": 0,
                "facet": "true",
                "facet.field": '["owner_org"]',
                "facet.limit": -1,
                "facet.mincount": 1,
            },
        )
        for org_id in result.get("facets", {}).get("owner_org") or {}:
            covered[org_id].add(code)
    return (
        {org_id: measure(len(codes), len(categories)) for org_id, codes in covered.items()},
        {org_id: [c for c in categories if c not in codes] for org_id, codes in covered.items()},
    )
