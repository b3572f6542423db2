"""Timeliness reports: per organisation and rule, how many obligations were met on time, late, or are pending or
overdue, and the on-time rate.

Datasets (policy documents) are counted from their indexed statuses (Solr facets: one query per state), so the
report costs the same for 10 or 10⁵ records. 双公示 rows are counted in SQL inside the DataStore database: each
publication's audit table (every record ever loaded, expired and withdrawn ones included) joined twice to the
working-day calendar table — the decision day's ordinal plus 7 gives the due day — so a report over 10⁶ rows is
one statement per publication, not a Python loop.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.hlj.catalogue import credit, deadlines
from ckanext.hlj.deadline import calendar_table
from ckanext.hlj.deadline.status import INDEX_RULE, INDEX_START, INDEX_STATE, POLICY_RULE, STATES

CREDIT_RULE = "decision_publication_7wd"


def _empty() -> dict[str, int]:
    return dict.fromkeys(STATES, 0)


def _finish(counts: dict[str, int]) -> dict[str, Any]:
    done = counts["on_time"] + counts["late"]
    total = done + counts["pending"] + counts["overdue"]
    due = done + counts["overdue"]  # obligations whose due date has come
    return {
        **counts,
        "total": total,
        "on_time_rate": round(counts["on_time"] / due, 4) if due else None,
    }


def dataset_counts(  # noqa: PLR0917 - the report's filters, passed through
    context: dict[str, Any],
    rule: str,
    organization: str | None,
    start_from: str | None,
    start_to: str | None,
    exclude: tuple[str, ...] = (),
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """({organisation id: {state: count}}, {YYYY-MM: {state: count}}) from the search index, as the caller may
    see the datasets; months are those the clock started in. ``exclude``: organisation ids left out."""
    by_org: dict[str, dict[str, int]] = defaultdict(_empty)
    by_month: dict[str, dict[str, int]] = defaultdict(_empty)
    fq = [f'+{INDEX_RULE}:"{rule}"']
    if organization:
        fq.append(f'+owner_org:"{organization}"')
    if exclude:
        fq.append("-owner_org:(" + " OR ".join(f'"{org_id}"' for org_id in exclude) + ")")
    if start_from or start_to:
        fq.append(f"+{INDEX_START}:[{start_from or '*'} TO {start_to or '*'}]")
    for state in STATES:
        result = tk.get_action("package_search")(
            {**context},
            {
                "fq": " ".join([*fq, f'+{INDEX_STATE}:"{state}"']),
                "rows": 0,
                "facet": "true",
                "facet.field": f'["owner_org", "{INDEX_START}"]',
                "facet.limit": -1,
                "include_private": True,
            },
        )
        facets = result.get("facets", {})
        for org_id, count in (facets.get("owner_org") or {}).items():
            by_org[org_id][state] += count
        for day, count in (facets.get(INDEX_START) or {}).items():
            by_month[day[:7]][state] += count
    return by_org, by_month


def indexed_rules(context: dict[str, Any]) -> list[str]:
    """The rules binding at least one dataset the caller may see (the policy rule always listed)."""
    result = tk.get_action("package_search")(
        {**context},
        {
            "rows": 0,
            "facet": "true",
            "facet.field": f'["{INDEX_RULE}"]',
            "facet.limit": -1,
            "include_private": True,
        },
    )
    found = set((result.get("facets", {}).get(INDEX_RULE) or {}).keys())
    return sorted(found | {POLICY_RULE})


def credit_counts(
    organization: str | None,
    start_from: str | None,
    start_to: str | None,
    today: dt.date | None = None,
    exclude: tuple[str, ...] = (),
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """({organisation id: {state: count}}, {YYYY-MM: {state: count}}) of 双公示 records: decided → first public,
    7 working days; months are the decisions'."""
    from ckan import model  # noqa: PLC0415
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

    from ckanext.hlj.credit import tables  # noqa: PLC0415

    engine = get_write_engine()
    calendar_table.ensure(engine, today)
    amount = deadlines.rule(CREDIT_RULE).amount
    by_org: dict[str, dict[str, int]] = defaultdict(_empty)
    by_month: dict[str, dict[str, int]] = defaultdict(_empty)
    for pub in tables.all_publications():
        package = model.Package.get(pub.package_id)
        if package is None or package.state != "active":
            continue
        if (organization and package.owner_org != organization) or package.owner_org in exclude:
            continue
        decided = tables.quote(credit.kind_info(pub.kind).decision_date)
        where = ["TRUE"]
        params: dict[str, Any] = {"n": amount}
        if start_from:
            where.append(f"r.{decided} >= :start_from")
            params["start_from"] = start_from
        if start_to:
            where.append(f"r.{decided} <= :start_to")
            params["start_to"] = start_to
        # Published on the source, else when first seen; a later content update does not move it.
        published = "(LEAST(COALESCE(r.source_updated_at, r.first_seen_at), r.first_seen_at) AT TIME ZONE 'Asia/Shanghai')::date"
        sql = f"""
            SELECT to_char(r.{decided}, 'YYYY-MM') AS month,
                   count(*) FILTER (WHERE {published} <= due.day) AS on_time,
                   count(*) FILTER (WHERE {published} > due.day) AS late
            FROM {pub.audit_table} r
            JOIN {calendar_table.TABLE} s ON s.day = r.{decided}
            JOIN {calendar_table.TABLE} due ON due.is_workday AND due.ordinal = s.ordinal + :n
            WHERE {" AND ".join(where)}
            GROUP BY 1
        """
        with engine.connect() as conn:
            rows = conn.execute(sa.text(sql), params).all()
        counts = by_org[package.owner_org]
        for row in rows:
            for state in ("on_time", "late"):
                counts[state] += getattr(row, state) or 0
                by_month[row.month][state] += getattr(row, state) or 0
    return by_org, by_month


def report(
    context: dict[str, Any],
    *,
    rule: str | None = None,
    organization: str | None = None,
    start_from: str | None = None,
    start_to: str | None = None,
    lang: str | None = None,
    exclude: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Per rule: counts by organisation and by month. ``exclude``: organisation ids left out (the scoreboard
    leaves out the national issuers it does not assess)."""
    from ckan import model  # noqa: PLC0415

    wanted = [rule] if rule else [*indexed_rules(context), CREDIT_RULE]
    out = []
    for rule_id in wanted:
        item = deadlines.rule(rule_id)
        if rule_id == CREDIT_RULE:
            by_org, by_month = credit_counts(organization, start_from, start_to, exclude=exclude)
        else:
            by_org, by_month = dataset_counts(context, rule_id, organization, start_from, start_to, exclude)
        organizations = []
        totals = _empty()
        for org_id, counts in by_org.items():
            group = model.Group.get(org_id)
            for state in STATES:
                totals[state] += counts[state]
            organizations.append(
                {
                    "id": org_id,
                    "name": group.name if group else org_id,
                    "title": group.title if group else org_id,
                    **_finish(counts),
                }
            )
        organizations.sort(key=lambda o: (o["on_time_rate"] is None, o["on_time_rate"] or 0, o["name"]))
        out.append(
            {
                "rule": rule_id,
                "title": item.title(lang),
                "basis": item.basis_text(lang),
                "unit": item.unit,
                "amount": item.amount,
                "organizations": organizations,
                "months": [{"month": m, **_finish(by_month[m])} for m in sorted(by_month)],
                "totals": _finish(totals),
            }
        )
    return {"rules": out, "start_from": start_from, "start_to": start_to}


def credit_late_rows(
    organization: str, start_from: str | None = None, start_to: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """The organisation's 双公示 records published after their due day, latest decisions first — read from the
    public tables, so only what the public may see (natural persons' ID numbers are already masked there)."""
    from ckan import model  # noqa: PLC0415
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415

    from ckanext.hlj.credit import tables  # noqa: PLC0415

    engine = get_write_engine()
    calendar_table.ensure(engine)
    amount = deadlines.rule(CREDIT_RULE).amount
    found: list[dict[str, Any]] = []
    for pub in tables.all_publications():
        package = model.Package.get(pub.package_id)
        if (
            package is None
            or package.state != "active"
            or package.private
            or package.owner_org != organization
        ):
            continue
        if not tables.public_table_exists(pub.resource_id):
            continue
        info = credit.kind_info(pub.kind)
        decided, number = tables.quote(info.decision_date), tables.quote(info.decision_number)
        party = tables.quote(info.fields[0].code)
        where, params = ["TRUE"], {"n": amount, "limit": limit}
        if start_from:
            where.append(f"r.{decided} >= :start_from")
            params["start_from"] = start_from
        if start_to:
            where.append(f"r.{decided} <= :start_to")
            params["start_to"] = start_to
        published = "(LEAST(COALESCE(r.source_updated_at, r.first_seen_at), r.first_seen_at) AT TIME ZONE 'Asia/Shanghai')::date"
        sql = f"""
            SELECT r.{number} AS decision_number, r.{party} AS party, r.{decided} AS decided, due.day AS due,
                   {published} AS published, p.ordinal - due.ordinal AS late_by
            FROM {pub.public_table} r
            JOIN {calendar_table.TABLE} s ON s.day = r.{decided}
            JOIN {calendar_table.TABLE} due ON due.is_workday AND due.ordinal = s.ordinal + :n
            JOIN {calendar_table.TABLE} p ON p.day = {published}
            WHERE {published} > due.day AND {" AND ".join(where)}
            ORDER BY r.{decided} DESC LIMIT :limit
        """
        with engine.connect() as conn:
            for row in conn.execute(sa.text(sql), params):
                found.append(
                    {
                        "dataset": package.name,
                        "kind": pub.kind,
                        "decision_number": row.decision_number,
                        "party": row.party,
                        "decided": row.decided.isoformat(),
                        "due": row.due.isoformat(),
                        "published": row.published.isoformat(),
                        "late_by": max(
                            1, row.late_by or 0
                        ),  # working days; 1 when published on a rest day after
                    }
                )
    found.sort(key=lambda r: r["decided"], reverse=True)
    return found[:limit]
