"""Template helpers of ckanext-hlj (registered by tk.blanket.helpers: every name in __all__)."""

from __future__ import annotations

from typing import Any

from ckanext.hlj.catalogue import codelists, divisions

__all__ = ["hlj_codelist_choices", "hlj_region_choices"]


def hlj_codelist_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices for a field that names a ``codelist``."""
    return codelists.scheming_choices(field["codelist"])


def hlj_region_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices for Heilongjiang's divisions: the province, its 13 市(地) and each one's counties."""
    choices = [{"value": divisions.province().code, "label": divisions.province().name}]
    for city in divisions.cities():
        choices.append({"value": city.code, "label": city.name})
        choices += [
            {"value": county.code, "label": f"{city.name} {county.name}"}
            for county in divisions.counties(city.code)
        ]
    return choices
