"""Template helpers of ckanext-hlj (registered by tk.blanket.helpers: every name in __all__)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import codelists, divisions

__all__ = [
    "hlj_codelist_choices",
    "hlj_deadline_status",
    "hlj_home",
    "hlj_interpretations",
    "hlj_interpreted_document",
    "hlj_region_choices",
    "hlj_reprint_links",
    "hlj_review_info",
    "hlj_review_status_label",
    "hlj_sort_options",
    "humanize_entity_type",
]


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


def hlj_interpretations(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The interpretations (政策解读) the current user may see of a policy document."""
    if pkg.get("policy_role") != "document":
        return []
    result = tk.get_action("package_search")(
        {},
        {
            "fq": f'+dataset_type:policy +interprets:"{pkg["name"]}"',
            "rows": 100,
            "sort": "metadata_created asc",
        },
    )
    return result["results"]


def hlj_reprint_links(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the latest reprint check knows of a policy record: the original it reprints (if the user may see it)
    and how many sites reprinted it."""
    from ckanext.hlj.reprint import fold  # noqa: PLC0415

    if pkg.get("type") != "policy" or not pkg.get("id"):
        return {"original": None, "count": 0}
    original = None
    original_id = fold.original_of(pkg["id"])
    if original_id:
        try:
            original = tk.get_action("package_show")({}, {"id": original_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            original = None
    return {"original": original, "count": fold.reprint_counts([pkg["id"]]).get(pkg["id"], 0)}


def hlj_interpreted_document(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The document an interpretation explains, if the current user may see it."""
    name = pkg.get("interprets")
    if not name:
        return None
    try:
        return tk.get_action("package_show")({}, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def hlj_review_info(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The record's review status and decisions for members of its organisation; None for everyone else."""
    if not pkg.get("review_status"):
        return None
    try:
        info = tk.get_action("hlj_review_list")({}, {"id": pkg["id"]})
    except tk.NotAuthorized:
        return None
    info["can_decide"] = _can_decide(pkg)
    return info


def _can_decide(pkg: dict[str, Any]) -> bool:
    try:
        return tk.check_access("hlj_review_decide", {}, {"id": pkg["id"]})
    except tk.NotAuthorized:
        return False


REVIEW_LABELS = {
    "pending": {"zh_Hans_CN": "待审查", "en": "Awaiting review"},
    "approved": {"zh_Hans_CN": "已通过", "en": "Approved"},
    "rejected": {"zh_Hans_CN": "已退回", "en": "Returned"},
}


def hlj_review_status_label(status: str) -> str:
    from ckanext.hlj.logic.validators import request_language  # noqa: PLC0415

    labels = REVIEW_LABELS.get(status)
    if not labels:
        return status
    return labels["en"] if request_language().startswith("en") else labels["zh_Hans_CN"]


def hlj_deadline_status(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The record's deadline status for its page: every obligation with its label, due date and lateness."""
    from ckanext.hlj.catalogue import deadlines  # noqa: PLC0415
    from ckanext.hlj.deadline import status  # noqa: PLC0415
    from ckanext.hlj.logic.validators import request_language  # noqa: PLC0415

    found = status.dataset_status(pkg)
    if not found or not found.get("rule"):
        return None
    lang = request_language()
    obligations = found.get("obligations") or [found]
    shown = []
    for item in obligations:
        if not item.get("state"):
            continue
        shown.append(
            {
                **item,
                "label": status.state_label(item["state"], lang),
                "title": deadlines.rule(item["rule"]).title(lang),
            }
        )
    return {"obligations": shown, "state": found.get("state")} if shown else None


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str, purpose: str) -> str | None:
    """CKAN names a dataset type in titles, breadcrumbs, buttons and placeholders by its machine name ("Add
    Service-item"); ours go by their names in the reader's language (添加政务服务事项). ``dataset`` stays CKAN's."""
    from ckanext.hlj import facets  # noqa: PLC0415

    label = facets.type_label(object_type) if entity_type == "package" and object_type != "dataset" else None
    return next_helper(entity_type, label or object_type, purpose)


def hlj_home() -> dict[str, Any]:
    """The home page's categories with counts and its latest publications (ckanext.hlj.home)."""
    from ckanext.hlj import home  # noqa: PLC0415

    return home.home_page()


def hlj_sort_options() -> list[tuple[str, str]]:
    """The search page's orders: relevance and newest published first."""
    from ckanext.hlj import facets  # noqa: PLC0415

    return facets.sort_options()
