"""Reprint reports from the stored verdicts (:mod:`.check`): per site — coverage (reprinted / obligated), on-time
rate within the SLA, lag distribution and the missing items —, per watched item — which sites reprinted it, when,
and which have not — and per period (the month the watched items were published, Asia/Shanghai), optionally
limited to watched items published between two dates."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from ckan import model

from ckanext.hlj.catalogue.dates import SHANGHAI

from .check import results

DONE = ("on_time", "late")
GROUPINGS = ("site", "item", "period")


def _month(moment: dt.datetime | None) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m") if moment else "?"


def _in_period(row: dict[str, Any], since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    if row.get("published_at") is None:
        return False
    day = row["published_at"].astimezone(SHANGHAI).date()
    return (since is None or day >= since) and (until is None or day <= until)


def _lags(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    lags = sorted(r["lag_hours"] for r in rows if r["lag_hours"] is not None)
    if not lags:
        return {"median": None, "p90": None, "max": None}
    p90 = lags[min(len(lags) - 1, round(0.9 * (len(lags) - 1)))]
    return {"median": round(statistics.median(lags), 2), "p90": round(p90, 2), "max": round(lags[-1], 2)}


def _titles(ids: set[str]) -> dict[str, dict[str, str]]:
    if not ids:
        return {}
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids))
    return {p.id: {"name": p.name, "title": p.title} for p in packages}


def report(
    *,
    by: str = "site",
    site: str | None = None,
    watched: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, Any]:
    rows = [r for r in results() if _in_period(r, since, until)]
    if site:
        rows = [r for r in rows if r["site"] == site]
    if watched:
        package = model.Package.get(watched)
        rows = [r for r in rows if package is not None and r["watched_id"] == package.id]
    titles = _titles({r["watched_id"] for r in rows})
    checked = max((r["checked_at"] for r in rows), default=None)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = {"site": row["site"], "item": row["watched_id"], "period": _month(row.get("published_at"))}[by]
        groups[key].append(row)
    out = []
    for key, members in sorted(groups.items()):
        counts = {
            s: sum(1 for r in members if r["status"] == s) for s in ("on_time", "late", "missing", "pending")
        }
        obligated = len(members)
        done = counts["on_time"] + counts["late"]
        due = done + counts["missing"]
        entry: dict[str, Any] = {
            **counts,
            "obligated": obligated,
            "coverage": round(done / obligated, 4) if obligated else None,
            "on_time_rate": round(counts["on_time"] / due, 4) if due else None,
            "lag_hours": _lags(members),
        }
        if by == "site":
            entry["site"] = key
            entry["missing_items"] = [
                {"id": r["watched_id"], **titles.get(r["watched_id"], {})}
                for r in members
                if r["status"] == "missing"
            ]
        elif by == "period":
            entry["period"] = key
            entry["watched"] = len({r["watched_id"] for r in members})
        else:
            entry.update({"id": key, **titles.get(key, {})})
            published = members[0].get("published_at")
            entry["published_at"] = published.isoformat() if published else None
            entry["reprinted_by"] = [
                {"site": r["site"], "status": r["status"], "lag_hours": r["lag_hours"], "url": r["matched_url"],
                 "reason": r["reason"], "score": r["score"]}
                for r in members if r["status"] in DONE
            ]  # fmt: skip
            entry["missing_sites"] = sorted(r["site"] for r in members if r["status"] == "missing")
        out.append(entry)
    return {
        "by": by,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "checked_at": checked.isoformat() if checked else None,
        "rows": out,
    }
