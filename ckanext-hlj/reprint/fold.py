"""Folding reprints under their original in search.

Twenty sites reprinting one State Council document should not push twenty copies of it onto a citizen's first
page. Each reprint check records which harvested site item reprints which watched item (``hlj_reprint_fold``);
every dataset is indexed with a fold key (``hlj_fold``: the original's id for a recognised reprint, its own id
otherwise) and a rank (``hlj_fold_rank``: 0 for the original, 1 for a reprint). Search pages then collapse each
fold to one result — the original when it matches the query, else the best-scoring reprint — and show
"reprinted by N sites" with a link to all of them (``?hlj_fold=<id>&ext_hlj_fold=off``).

Folding applies to the dataset search pages by default and to API searches that ask for it
(``ext_hlj_fold=on`` in ``extras``); other API calls and the platform's own searches see every record.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, Table, UnicodeText, delete, func, insert, select

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

log = logging.getLogger(__name__)

FOLD_FIELD = "hlj_fold"
RANK_FIELD = "hlj_fold_rank"
SWITCH = "ext_hlj_fold"
ON = ("on", "true", "1", "yes")
OFF = ("off", "false", "0", "no")
# Solr's collapsing post-filter: one document per fold, the original (rank 0) first, then the best score.
# Documents indexed before folding existed have no fold key and are kept as they are (nullPolicy=expand).
COLLAPSE = "{!collapse field=hlj_fold sort='hlj_fold_rank asc,score desc' nullPolicy=expand}"

fold_table = Table(
    "hlj_reprint_fold",
    metadata,
    Column("package_id", UnicodeText, primary_key=True),  # the reprint (a site item)
    Column("original_id", UnicodeText, nullable=False, index=True),  # the watched item it reprints
)


def stored() -> dict[str, str]:
    tables.create_all()
    return {r.package_id: r.original_id for r in model.Session.execute(select(fold_table)).all()}


def replace(mapping: dict[str, str]) -> set[str]:
    """Store the reprint → original mapping of the latest check; return the packages whose fold changed (they
    must be re-indexed)."""
    before = stored()
    with model.meta.engine.begin() as conn:
        conn.execute(delete(fold_table))
        if mapping:
            conn.execute(
                insert(fold_table), [{"package_id": k, "original_id": v} for k, v in sorted(mapping.items())]
            )
    return {pid for pid in before.keys() | mapping.keys() if before.get(pid) != mapping.get(pid)}


def reindex(package_ids: set[str]) -> int:
    """Re-index the packages whose fold changed, so search collapses them the new way. Returns how many."""
    from ckan.lib.search import rebuild  # noqa: PLC0415

    done = 0
    for package_id in sorted(package_ids):
        if model.Package.get(package_id) is None:
            continue  # purged since the check matched it
        rebuild(package_id)
        done += 1
    return done


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the fold key and rank to a dataset being indexed (every type, so collapsing never drops anything)."""
    package_id = pkg_dict.get("id")
    if not package_id:
        return pkg_dict
    original = original_of(package_id) if pkg_dict.get("type") == "policy" else None
    pkg_dict[FOLD_FIELD] = original or package_id
    pkg_dict[RANK_FIELD] = 1 if original else 0
    return pkg_dict


def _on_search_page() -> bool:
    """A dataset search page (``/dataset``, ``/policy`` …) rather than the API or a page's own listing."""
    try:
        endpoint = tk.request.endpoint or ""
    except (RuntimeError, AttributeError, TypeError):
        return False  # no request: a CLI command or a background job
    return endpoint.endswith(".search") and endpoint != "api.action"


def wanted(search_params: dict[str, Any]) -> bool:
    switch = str((search_params.get("extras") or {}).get(SWITCH, "")).strip().lower()
    if switch in OFF:
        return False
    if switch in ON:
        return True
    return _on_search_page()


def apply(search_params: dict[str, Any]) -> dict[str, Any]:
    """Collapse folds when wanted; a search already filtering on one fold shows all its members."""
    if not wanted(search_params) or f"{FOLD_FIELD}:" in (search_params.get("fq") or ""):
        return search_params
    search_params["fq_list"] = [*search_params.get("fq_list", []), COLLAPSE]
    return search_params


def reprint_counts(original_ids: list[str]) -> dict[str, int]:
    """{original id: number of sites whose reprint of it the latest check recognised}."""
    if not original_ids or not tables.create_all():
        return {}
    rows = model.Session.execute(
        select(fold_table.c.original_id, func.count())
        .where(fold_table.c.original_id.in_(original_ids))
        .group_by(fold_table.c.original_id)
    ).all()
    return {original: count for original, count in rows}


def annotate(search_results: dict[str, Any]) -> dict[str, Any]:
    """Give each policy result ``hlj_reprinted_by`` (how many sites reprinted it) — one query per page."""
    results = search_results.get("results") or []
    policies = [r for r in results if isinstance(r, dict) and r.get("type") == "policy" and r.get("id")]
    counts = reprint_counts([r["id"] for r in policies])
    for result in policies:
        result["hlj_reprinted_by"] = counts.get(result["id"], 0)
    return search_results


def original_of(package_id: str) -> str | None:
    """The watched item a record was recognised to reprint by the latest check, if any."""
    if not tables.create_all():
        return None
    return model.Session.execute(
        select(fold_table.c.original_id).where(fold_table.c.package_id == package_id)
    ).scalar()
