"""Loading the labelled corpus into CKAN, searching it, scoring it: shared by the relevance benchmark and its test.

Everything goes through CKAN's own code in process: organisations and records through ``organization_create`` /
``package_create`` (our schemas validate them), the index through ``ckan.lib.search.rebuild`` (the code of
``ckan search-index rebuild``), searches through ``package_search``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "tests" / "data" / "relevance" / "queries.yaml"
# CKAN 2.12's own query fields (ckan/lib/search/query.py QUERY_FIELDS): what a plain query searches without us.
CKAN_DEFAULT_QF = "name^4 title^4 tags^2 groups^2 text"
QF_OPTION = "ckanext.hlj.search.query_fields"
K = 10
COMMIT_EVERY = 100


# ------------------------------------------------------------------------------------------------- queries


@dataclass
class Query:
    q: str
    cls: str
    relevant: dict[str, int]  # record name -> grade (3 what was asked for, 2 clearly about it, 1 related)
    note: str = ""
    known_gap: bool = False  # the records never write what is asked (an abbreviation, a former name)

    @property
    def top(self) -> list[str]:
        """The records of the highest grade."""
        best = max(self.relevant.values())
        return sorted(n for n, g in self.relevant.items() if g == best)


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Query(
            str(item["q"]),
            item["class"],
            {str(k): int(v) for k, v in item["relevant"].items()},
            item.get("note", ""),
            bool(item.get("known_gap")),
        )
        for item in data["queries"]
    ]


# ------------------------------------------------------------------------------------------------- metrics


def precision_at(ranked: list[str], query: Query, k: int = K) -> float:
    return sum(1 for name in ranked[:k] if query.relevant.get(name, 0) > 0) / k


def ideal_precision_at(query: Query, k: int = K) -> float:
    return min(len(query.relevant), k) / k


def ndcg_at(ranked: list[str], query: Query, k: int = K) -> float:
    """nDCG@k with linear gains (the grade) and log2 discounts; the ideal ranking is every labelled record by
    grade."""
    dcg = sum(query.relevant.get(name, 0) / math.log2(i + 2) for i, name in enumerate(ranked[:k]))
    ideal = sorted(query.relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def top_found(ranked: list[str], query: Query, k: int = K) -> bool:
    """Some record of the highest grade is among the first k."""
    return any(name in ranked[:k] for name in query.top)


@dataclass
class Scores:
    per_query: list[dict[str, Any]] = field(default_factory=list)

    def add(self, query: Query, ranked: list[str], count: int) -> dict[str, Any]:
        row = {
            "q": query.q,
            "class": query.cls,
            "count": count,
            "p10": precision_at(ranked, query),
            "ideal_p10": ideal_precision_at(query),
            "ndcg10": ndcg_at(ranked, query),
            "top_found": top_found(ranked, query),
            "ranked": ranked[:K],
            "missed_top": [n for n in query.top if n not in ranked[:K]],
            "wrong_in_top10": [n for n in ranked[:K] if n not in query.relevant],
        }
        self.per_query.append(row)
        return row

    def by_class(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for cls in dict.fromkeys(r["class"] for r in self.per_query):
            out[cls] = summary([r for r in self.per_query if r["class"] == cls])
        out["all"] = summary(self.per_query)
        return out


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    n = len(rows)
    return {
        "queries": n,
        "p10": sum(r["p10"] for r in rows) / n,
        "ideal_p10": sum(r["ideal_p10"] for r in rows) / n,
        "ndcg10": sum(r["ndcg10"] for r in rows) / n,
        "top_found": sum(r["top_found"] for r in rows),
        "no_result": sum(1 for r in rows if r["count"] == 0),
    }


# --------------------------------------------------------------------------------------------------- CKAN


def site_user() -> str:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def ensure_organizations(orgs: list[dict[str, Any]], user: str) -> dict[str, str]:
    """Create the organisations that are missing (parents come first in the list); return {name: id}."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    have = dict(
        model.Session.query(model.Group.name, model.Group.id).filter(
            model.Group.name.in_([o["name"] for o in orgs]), model.Group.state == "active"
        )
    )
    for org in orgs:
        if org["name"] not in have:
            # One commit at the end: a parent is flushed before its children are validated against it.
            context = {"user": user, "ignore_auth": True, "defer_commit": True}
            have[org["name"]] = tk.get_action("organization_create")(context, dict(org))["id"]
    model.repo.commit()
    return {o["name"]: have[o["name"]] for o in orgs}


def existing_packages(names: list[str]) -> dict[str, str]:
    from ckan import model  # noqa: PLC0415

    rows = model.Session.query(model.Package.name, model.Package.id).filter(
        model.Package.name.in_(names), model.Package.state == "active"
    )
    return dict(rows.all())


def create_records(records: list[dict[str, Any]], user: str) -> dict[str, str]:
    """package_create every record not already in the database, committing in batches and indexing nothing
    (``defer_commit``); return {name: id} of all of them. Records are created in list order: an interpretation
    names a document created before it, so each batch is committed before the next starts."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan import model  # noqa: PLC0415

    have = existing_packages([r["name"] for r in records])
    create = tk.get_action("package_create")
    pending = 0
    for record in records:
        if record["name"] in have:
            continue
        context = {"user": user, "ignore_auth": True, "defer_commit": True, "return_id_only": True}
        try:
            have[record["name"]] = create(context, dict(record))
        except tk.ValidationError as error:
            raise RuntimeError(f"{record['name']}: {error.error_dict}") from error
        pending += 1
        if pending % COMMIT_EVERY == 0:
            model.repo.commit()
    model.repo.commit()
    return {r["name"]: have[r["name"]] for r in records}


def index_packages(ids: list[str]) -> None:
    """Index with CKAN's rebuild code, one Solr commit at the end."""
    from ckan.lib import search  # noqa: PLC0415

    search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
    search.commit()


def wait_for_count(expected: int, timeout_s: float = 60) -> None:
    """Solr's commit opens the new searcher asynchronously (waitSearcher=false): wait until it shows them all."""
    import time  # noqa: PLC0415

    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    started = time.monotonic()
    while True:
        count = tk.get_action("package_search")({"ignore_auth": True}, {"q": "*:*", "rows": 0})["count"]
        if count >= expected:
            return
        if time.monotonic() - started > timeout_s:
            raise RuntimeError(f"the index shows {count} datasets, expected {expected}")
        time.sleep(0.2)


def search(q: str, rows: int = K) -> tuple[list[str], int]:
    """An anonymous package_search, as a citizen's search through the API (no folding): ranked names, count."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    result = tk.get_action("package_search")({"user": "", "ignore_auth": False}, {"q": q, "rows": rows})
    return [d["name"] for d in result["results"]], result["count"]


def evaluate(queries: list[Query], rows: int = K) -> Scores:
    scores = Scores()
    for query in queries:
        ranked, count = search(query.q, rows)
        scores.add(query, ranked, count)
    return scores
