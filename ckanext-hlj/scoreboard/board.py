"""The openness scoreboard: the four measures (:mod:`.measures`) weighted into one score per organisation, pooled per
region, traced by month, with the items behind every number.

Score = 100 × Σ wᵢ·mᵢ / Σ wᵢ over the measures that apply to the organisation (``ckanext.hlj.scoreboard.weights``,
default 发布及时 40, 转载到位 20, 解读同步 20, 目录完整 20). A measure with nothing to measure (no obligation due yet,
no site, no document of its own) is left out and the remaining weights are rescaled, so an organisation is neither
rewarded nor punished for work it does not have. National bodies (the State Council) are issuers, not assessed.
A region's figures pool its organisations' counts (sums of numerators over sums of denominators); the monthly trend
pools every organisation, and leaves out the directory, which is a state rather than a flow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import divisions
from ckanext.hlj.catalogue.errors import InvalidValue

from . import measures as m

DIRECTORY_KINDS = ("department", "government")


def categories() -> list[str]:
    """The 五公开 categories a complete directory covers."""
    from ckanext.hlj.catalogue.codelists import codelist  # noqa: PLC0415

    return [c.code for c in codelist("disclosure_category")]


NOT_ASSESSED_LEVELS = ("national",)


def weights() -> dict[str, float]:
    """The configured weights, ``measure:weight`` pairs; unknown measures or bad numbers are a configuration error."""
    raw = tk.config.get("ckanext.hlj.scoreboard.weights")
    pairs = raw.split() if isinstance(raw, str) else list(raw or [])
    out: dict[str, float] = {}
    for pair in pairs:
        key, _, value = str(pair).partition(":")
        if key not in m.MEASURES:
            raise ValueError(
                f"ckanext.hlj.scoreboard.weights: unknown measure {key!r} (use {', '.join(m.MEASURES)})"
            )
        try:
            out[key] = float(value)
        except ValueError as error:
            raise ValueError(
                f"ckanext.hlj.scoreboard.weights: {pair!r} needs a number after the colon"
            ) from error
        if out[key] < 0:
            raise ValueError(f"ckanext.hlj.scoreboard.weights: {pair!r} is negative")
    return out


def score(values: dict[str, dict[str, Any]], weighting: dict[str, float]) -> float | None:
    used = {k: w for k, w in weighting.items() if w > 0 and values.get(k, {}).get("value") is not None}
    total = sum(used.values())
    if not total:
        return None
    return round(100 * sum(w * values[k]["value"] for k, w in used.items()) / total, 1)


def _region_name(code: str) -> str:
    try:
        return divisions.name(code)
    except InvalidValue:
        return code


def _pool(rows: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    out = {}
    for key in m.MEASURES:
        numerator = sum(r[key]["numerator"] for r in rows if key in r)
        denominator = sum(r[key]["denominator"] for r in rows if key in r)
        out[key] = m.measure(numerator, denominator)
    return out


def _months(weighting: dict[str, float], *by_measure: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The monthly trend from the flows (timeliness, reprint, interpretation, in that order); the directory is a
    state, not a flow, and has no month."""
    keys = ("timeliness", "reprint", "interpretation")
    out = []
    for month in sorted(set().union(*by_measure)):
        values = {k: found.get(month, m.measure(0, 0)) for k, found in zip(keys, by_measure, strict=True)}
        out.append({"month": month, "measures": values, "score": score(values, weighting)})
    return out


def _window() -> float:
    return float(tk.config.get("ckanext.hlj.scoreboard.interpretation_days"))


def board(
    context: dict[str, Any],
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    with_items: bool = False,
) -> dict[str, Any]:
    """Every assessed organisation and region; ``with_items`` adds each organisation's items behind the numbers
    (what the inspection export lists)."""
    weighting = weights()
    everyone = m.organizations()
    orgs = [o for o in everyone if o["admin_level"] not in NOT_ASSESSED_LEVELS]
    # The monthly trend pools only the assessed: the State Council's own documents are not the province's work.
    skip = tuple(o["id"] for o in everyone if o["admin_level"] in NOT_ASSESSED_LEVELS)
    timely, timely_months = m.timeliness(context, since, until, exclude=skip)
    reprinted, reprint_months, missing = m.reprint(since, until)
    interpreted, interpretation_months, misses = m.interpretation(
        context, since, until, _window(), exclude=skip
    )
    directory, gaps = m.directory(context)
    rows = []
    for org in orgs:
        values = {
            "timeliness": timely.get(org["id"], m.measure(0, 0)),
            "reprint": reprinted.get(org["name"], m.measure(0, 0)),
            "interpretation": interpreted.get(org["id"], m.measure(0, 0)),
            "directory": directory.get(
                org["id"], m.measure(0, 5) if org.get("kind") in DIRECTORY_KINDS else m.measure(0, 0)
            ),
        }
        row = {
            **org,
            "region": m.region_of(org["region_code"]),
            "measures": values,
            "score": score(values, weighting),
        }
        if with_items:
            row["items"] = {
                "reprint_missing": missing.get(org["name"], []),
                "interpretation": misses.get(org["id"], []),
                "directory_missing": gaps.get(
                    org["id"], categories() if org.get("kind") in DIRECTORY_KINDS else []
                ),
            }
        rows.append(row)
    # The 18 departments of the seed first, then by score (unscored last), then by name.
    rows.sort(key=lambda r: (not r["seed_department"], r["score"] is None, -(r["score"] or 0), r["name"]))
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: -r["score"])
    for position, row in enumerate(ranked, 1):
        row["rank"] = position
    regions = []
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["region"]].append(row)
    for code, members in sorted(grouped.items()):
        pooled = _pool([r["measures"] for r in members])
        regions.append(
            {
                "code": code,
                "name": _region_name(code),
                "organizations": len(members),
                "measures": pooled,
                "score": score(pooled, weighting),
            }
        )
    months = _months(weighting, timely_months, reprint_months, interpretation_months)
    return {
        "weights": weighting,
        "interpretation_days": _window(),
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "organizations": rows,
        "regions": regions,
        "months": months,
    }


def organization_board(
    context: dict[str, Any], org: dict[str, Any], since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, Any]:
    """One organisation's scores with the items behind each number and its monthly trend."""
    weighting = weights()
    timely, timely_months = m.timeliness(context, since, until, organization=org["id"])
    reprinted, reprint_months, missing = m.reprint(since, until, organization_name=org["name"])
    interpreted, interpretation_months, misses = m.interpretation(
        context, since, until, _window(), organization=org["id"]
    )
    directory, gaps = m.directory(context, organization=org["id"])
    expects_directory = org.get("kind") in DIRECTORY_KINDS
    values = {
        "timeliness": timely.get(org["id"], m.measure(0, 0)),
        "reprint": reprinted.get(org["name"], m.measure(0, 0)),
        "interpretation": interpreted.get(org["id"], m.measure(0, 0)),
        "directory": directory.get(org["id"], m.measure(0, 5) if expects_directory else m.measure(0, 0)),
    }
    all_categories = categories()
    months = _months(weighting, timely_months, reprint_months, interpretation_months)
    return {
        **org,
        "weights": weighting,
        "interpretation_days": _window(),
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "measures": values,
        "score": score(values, weighting),
        "months": months,
        "items": {
            "reprint_missing": missing.get(org["name"], []),
            "interpretation": misses.get(org["id"], []),
            "directory_missing": gaps.get(org["id"], all_categories if expects_directory else []),
        },
    }
