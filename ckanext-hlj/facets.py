"""Search facets of the platform's dataset types, with code-list values shown as labels in the reader's language.

Multi-select code-list fields (公开渠道, 公开层级, 行使层级 …) are stored as JSON lists; CKAN would index each as one
opaque string, so ``index_fields`` adds them as ``hlj_<field>`` lists (a multi-valued string field of our Solr
schema) and the facets use those.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from ckanext.scheming.helpers import scheming_dataset_schemas

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.deadline import status as deadline_status
from ckanext.hlj.logic.validators import request_language

MULTI_PREFIX = "hlj_"

# The key fields a reader narrows each type by, in the order shown.
FACETS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "disclosure": ("disclosure_category", "disclosure_attribute", "item_level1", "disclosure_level"),
    "service-item": ("item_type", "exercise_level", "region_code", "online_depth"),
    "open-data": ("data_domain", "open_type", "update_frequency", "share_type"),
    "policy": ("policy_role", "issuer_level", "policy_topic", "validity"),
    "credit-publication": ("credit_kind",),
    "consultation": ("draft_kind",),
    "response": ("severity",),
    "disclosure-application": ("applicant_kind", "reply_type"),
}
ALL_TYPES_FACETS = ("dataset_type",)
# Types whose records carry a deadline status (ckanext.hlj.deadline.status).
DEADLINE_TYPES = ("policy", "consultation", "response", "disclosure-application")


@functools.cache
def _fields() -> dict[str, dict[str, Any]]:
    """Every field of our dataset types by name (the first definition wins; names mean one thing across types)."""
    fields: dict[str, dict[str, Any]] = {}
    for schema in (scheming_dataset_schemas() or {}).values():
        for field in schema.get("dataset_fields", []):
            fields.setdefault(field["field_name"], field)
    return fields


def _is_multi(field: dict[str, Any]) -> bool:
    return field.get("preset") == "hlj_codelist_multiple"


def solr_field(name: str) -> str:
    field = _fields().get(name)
    return MULTI_PREFIX + name if field and _is_multi(field) else name


def _label(field: dict[str, Any], lang: str) -> str:
    label = field.get("label", field["field_name"])
    if isinstance(label, dict):
        return label.get("en" if lang.startswith("en") else "zh_Hans_CN") or next(iter(label.values()))
    return str(label)


def add_facets(facets: dict[str, Any], package_type: str | None) -> dict[str, Any]:
    """Put the type's key fields first (the organisation facet stays), labelled in the reader's language."""
    names = FACETS_BY_TYPE.get(package_type or "", ())
    if not names and package_type not in (None, "dataset"):
        return facets
    lang = request_language()
    ours: dict[str, Any] = {}
    if "organization" in facets:
        ours["organization"] = facets["organization"]
    if not names:  # the all-types search
        ours["dataset_type"] = "类型" if not lang.startswith("en") else "Type"
    for name in names:
        field = _fields().get(name)
        if field:
            ours[solr_field(name)] = _label(field, lang)
    if package_type in DEADLINE_TYPES:
        ours[deadline_status.INDEX_STATE] = "公开时效" if not lang.startswith("en") else "Timeliness"
    for key, value in facets.items():
        ours.setdefault(key, value)
    facets.clear()
    facets.update(ours)
    return facets


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index multi-select code lists as lists of codes under ``hlj_<field>``."""
    for name, field in _fields().items():
        if not _is_multi(field):
            continue
        value = pkg_dict.get(name) or pkg_dict.get(f"extras_{name}")
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = [value]
        if value:
            pkg_dict[MULTI_PREFIX + name] = [str(v) for v in value]
    return pkg_dict


def label_items(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show code-list facet values by their label (CKAN would show the stored code)."""
    lang = request_language()
    for facet_name, facet in (search_results.get("search_facets") or {}).items():
        if facet_name == deadline_status.INDEX_STATE:
            for item in facet.get("items", []):
                item["display_name"] = deadline_status.state_label(item["name"], lang)
            continue
        name = facet_name.removeprefix(MULTI_PREFIX)
        field = _fields().get(name)
        if not field or "codelist" not in field:
            if field and field.get("choices"):
                labels = {c["value"]: c["label"] for c in field["choices"]}
                for item in facet.get("items", []):
                    label = labels.get(item["name"])
                    if isinstance(label, dict):
                        item["display_name"] = label.get("en" if lang.startswith("en") else "zh_Hans_CN")
            continue
        for item in facet.get("items", []):
            try:
                item["display_name"] = codelists.label(field["codelist"], item["name"], lang)
            except InvalidValue:
                pass
    return search_results
