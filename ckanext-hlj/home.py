"""What the home page shows besides its search box: ways in by category, each with its count and a link to that
faceted search, and the latest public records of every type. One package_search gives both."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj import facets
from ckanext.hlj.catalogue import codelists, dates
from ckanext.hlj.logic.validators import request_language

LATEST = 8
# The categories, in the order shown, and whether every code of the field's code list is shown (五公开 has exactly
# five, shown even when empty) rather than only the values in use, most used first.
CATEGORIES = (("dataset_type", False), ("disclosure_category", True), ("data_domain", False))


def home_page(latest: int = LATEST) -> dict[str, Any]:
    """``{"count", "categories": [{"field", "title", "items": [{"name", "label", "count", "url"}]}], "latest",
    "latest_url"}`` over the public records the reader may see."""
    result = tk.get_action("package_search")(
        {},
        {
            "q": "*:*",
            "rows": latest,
            "sort": facets.NEWEST_FIRST,
            "facet.field": [field for field, _ in CATEGORIES],
            "include_private": False,
        },
    )
    return {
        "count": result["count"],
        "categories": [_category(field, every, result["search_facets"]) for field, every in CATEGORIES],
        "latest": [_latest_item(pkg) for pkg in result["results"]],
        "latest_url": tk.h.url_for("dataset.search", sort=facets.NEWEST_FIRST),
    }


def _category(field: str, every: bool, search_facets: dict[str, Any]) -> dict[str, Any]:
    lang = request_language()
    items = (search_facets.get(field) or {}).get("items", [])
    if every:
        counts = {item["name"]: item["count"] for item in items}
        shown = [
            {"name": c.code, "display_name": c.label(lang), "count": counts.get(c.code, 0)}
            for c in codelists.codelist(field)
        ]
    else:
        shown = sorted(items, key=lambda item: -item["count"])
    if field == "dataset_type":
        title = "Type" if lang.startswith("en") else "类型"
    else:
        title = codelists.codelist_info(field).title(lang)
    return {
        "field": field,
        "title": title,
        "items": [
            {
                "name": item["name"],
                "label": item["display_name"],
                "count": item["count"],
                "url": tk.h.url_for("dataset.search", **{field: item["name"]}),
            }
            for item in shown
        ],
    }


def _latest_item(pkg: dict[str, Any]) -> dict[str, Any]:
    published = facets.published_at(pkg)
    return {
        "title": pkg.get("title") or pkg["name"],
        "url": tk.h.url_for(f"{pkg['type']}.read", id=pkg["name"]),
        "type": pkg["type"],
        "type_label": facets.type_label(pkg["type"]) or pkg["type"],
        "organization": (pkg.get("organization") or {}).get("title"),
        "published": published.astimezone(dates.SHANGHAI).date().isoformat() if published else None,
    }
