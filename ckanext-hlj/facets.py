"""Search facets of the platform's dataset types, with code-list values shown as labels in the reader's language.

Multi-select code-list fields (公开渠道, 公开层级, 行使层级 …) are stored as JSON lists; CKAN would index each as one
opaque string, so ``index_fields`` adds them as ``hlj_<field>`` lists (a multi-valued string field of our Solr
schema) and the facets use those. It also indexes, for every type, the region a record belongs to (``hlj_region``:
its own 行政区划 if it has one, else its organisation's, counted per 市(地)) and when it was published
(``published_date``, the "newest first" order of the search page and of the home page's latest publications).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_dataset_schemas

from ckanext.hlj.catalogue import codelists, dates, divisions
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.deadline import status as deadline_status
from ckanext.hlj.logic.validators import request_language

MULTI_PREFIX = "hlj_"
REGION = "hlj_region"
# A `*_date` field of CKAN's Solr schema (single-valued, sortable); not `hlj_*`, which is multi-valued.
PUBLISHED = "published_date"
NEWEST_FIRST = f"{PUBLISHED} desc, metadata_modified desc"

# What the dataset types are called in facets, titles, buttons and breadcrumbs (English: singular, CKAN adds "s").
TYPE_LABELS: dict[str, dict[str, str]] = {
    "policy": {"zh_Hans_CN": "政策文件", "en": "Policy document"},
    "disclosure": {"zh_Hans_CN": "主动公开事项", "en": "Disclosure item"},
    "service-item": {"zh_Hans_CN": "政务服务事项", "en": "Government service"},
    "open-data": {"zh_Hans_CN": "开放数据", "en": "Open data resource"},
    "credit-publication": {"zh_Hans_CN": "双公示", "en": "Credit publication"},
    "consultation": {"zh_Hans_CN": "征求意见", "en": "Public consultation"},
    "response": {"zh_Hans_CN": "舆情回应", "en": "Public-opinion response"},
    "disclosure-application": {"zh_Hans_CN": "依申请公开", "en": "Disclosure application"},
    "dataset": {"zh_Hans_CN": "数据集", "en": "Dataset"},
}
REGION_LABELS = {
    divisions.PROVINCE_CODE: {"zh_Hans_CN": "省本级", "en": "Province level"},
    divisions.NATIONAL_CODE: {"zh_Hans_CN": "国家", "en": "National"},
}

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
# The all-types search (/dataset, organisation pages) shows type and region, then these fields of single types.
ALL_TYPES_FIELDS = ("disclosure_category", "data_domain", "open_type")
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


def _in(labels: dict[str, str], lang: str) -> str:
    return labels["en"] if lang.startswith("en") else labels["zh_Hans_CN"]


def _label(field: dict[str, Any], lang: str) -> str:
    label = field.get("label", field["field_name"])
    if isinstance(label, dict):
        return label.get("en" if lang.startswith("en") else "zh_Hans_CN") or next(iter(label.values()))
    return str(label)


def type_label(dataset_type: str, lang: str | None = None) -> str | None:
    """The type's name in the reader's language (政策文件, Policy document); None for a type that is not ours."""
    labels = TYPE_LABELS.get(dataset_type)
    return _in(labels, lang or request_language()) if labels else None


def region_label(code: str, lang: str | None = None) -> str:
    """省本级, 国家, or the division's name below the province (哈尔滨市, 哈尔滨市道里区)."""
    if code in REGION_LABELS:
        return _in(REGION_LABELS[code], lang or request_language())
    try:
        return divisions.full_name(code).removeprefix(divisions.name(divisions.PROVINCE_CODE))
    except InvalidValue:
        return code


def region_of(code: object) -> str | None:
    """The ``hlj_region`` value of a division: its 市(地) (a county counts under its city), the province, or the
    conventional national code; None for a code that is neither."""
    if not code or code == divisions.NATIONAL_CODE:
        return code or None
    try:
        division = divisions.division(code)
    except InvalidValue:
        return None
    if not divisions.is_heilongjiang(division.code):
        return None
    return division.parent if division.level == divisions.COUNTY else division.code


def published_at(pkg_dict: dict[str, Any]) -> dt.datetime | None:
    """When a record was published: on its source site (原网站发布时间) or as first published (首次发布日期) when it
    says so, else when it was created on the platform. Aware, in UTC."""
    for key in ("source_published_at", "first_published"):
        value = pkg_dict.get(key)
        if value:
            try:
                return dates.parse_datetime(value).astimezone(dt.UTC)
            except InvalidValue:
                continue
    created = pkg_dict.get("metadata_created")
    if not created:
        return None
    return dt.datetime.fromisoformat(str(created).removesuffix("Z")).replace(tzinfo=dt.UTC)


def sort_options() -> list[tuple[str, str]]:
    """The search page's orders, labelled: relevance (CKAN's default order) and newest published first."""
    return [
        (tk._("Relevance"), tk.config.get("ckan.search.default_package_sort")),
        (tk._("Newest first"), NEWEST_FIRST),
    ]


def add_facets(facets: dict[str, Any], package_type: str | None) -> dict[str, Any]:
    """Put the type's key fields first (the organisation facet stays), labelled in the reader's language. The
    all-types search (``dataset``, and organisation pages, which pass no type) gets type, region, the 五公开 category,
    领域, 开放类型 and the deadline status."""
    all_types = package_type in (None, "dataset")
    names = ALL_TYPES_FIELDS if all_types else FACETS_BY_TYPE.get(package_type or "", ())
    if not names:
        return facets
    en = request_language().startswith("en")
    ours: dict[str, Any] = {}
    if "organization" in facets:
        ours["organization"] = facets["organization"]
    if all_types:
        ours["dataset_type"] = "Type" if en else "类型"
        ours[REGION] = "Region" if en else "地区"
    for name in names:
        field = _fields().get(name)
        if field:
            ours[solr_field(name)] = _label(field, "en" if en else "zh_Hans_CN")
    if all_types or package_type in DEADLINE_TYPES:
        ours[deadline_status.INDEX_STATE] = "Timeliness" if en else "公开时效"
    for key, value in facets.items():
        ours.setdefault(key, value)
    facets.clear()
    facets.update(ours)
    return facets


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index multi-select code lists as lists of codes under ``hlj_<field>``, the record's region and its
    publication time."""
    region = region_of(pkg_dict.get("region_code") or _organization_region(pkg_dict.get("owner_org")))
    if region:
        pkg_dict[REGION] = [region]
    published = published_at(pkg_dict)
    if published:
        pkg_dict[PUBLISHED] = published.strftime("%Y-%m-%dT%H:%M:%SZ")
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


def _organization_region(org_id: str | None) -> str | None:
    if not org_id:
        return None
    from ckan import model  # noqa: PLC0415

    extras = model.Session.query(model.Group.extras).filter(model.Group.id == org_id).scalar()
    return (extras or {}).get("region_code")


# Facets whose values are labelled by a function of (value, language) rather than by a field's code list.
_LABELLERS = {
    deadline_status.INDEX_STATE: deadline_status.state_label,
    "dataset_type": lambda value, lang: type_label(value, lang) or value,
    REGION: region_label,
    "region_code": region_label,
}


def label_items(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show code-list facet values by their label (CKAN would show the stored code)."""
    lang = request_language()
    for facet_name, facet in (search_results.get("search_facets") or {}).items():
        if facet_name in _LABELLERS:
            for item in facet.get("items", []):
                item["display_name"] = _LABELLERS[facet_name](item["name"], lang)
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
