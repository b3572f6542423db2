"""What the platform's dataset types mean in DCAT-AP 3: pure look-ups from a dataset dict to DCAT values.

The profile (:mod:`.profiles`) writes the triples; everything a reviewer may want to check or change about the
mapping is here, per type, in one table (:data:`TYPES`):

* ``dct:identifier`` — the record's own code when it has one (实施编码 of a service item, 信息资源代码 of a data
  resource, 索引号 or else 文号 of a policy document, the application number); the other codes of the record become
  ``adms:identifier``. Types without a code keep ckanext-dcat's default, the record's CKAN id.
* ``dct:accessRights`` — 公开属性 (主动公开 / 依申请公开 / 不予公开) and 开放类型 (无条件 / 有条件 / 不予开放) map
  onto the EU access-right table (PUBLIC / RESTRICTED / NON_PUBLIC); a type without either is PUBLIC when the record
  is public and NON_PUBLIC when it is private (under review, or a register the law keeps closed).
* ``dct:issued`` / ``dct:modified`` — the type's own dates (发布日期, 成文日期, 变更日期, 首次发布日期, …) before
  CKAN's metadata dates.
* ``dcat:theme`` — the code-list fields that classify a record (领域 of data resources, 主题分类 of policy
  documents), as concepts ``<theme base><list>/<code>`` of one SKOS scheme per code list.
* ``dct:spatial`` — the record's GB/T 2260 region (service items carry one) or else its organisation's, as
  ``<spatial base><code>``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.utils import catalog_uri

from ckanext.hlj.catalogue import codelists, divisions
from ckanext.hlj.catalogue.errors import InvalidValue

# EU controlled vocabularies that DCAT-AP names for these properties (publications.europa.eu authority tables).
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_ZH = "http://publications.europa.eu/resource/authority/language/ZHO"
# IANA media types as ckanext-dcat itself writes them (dcat:mediaType).
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
# ADMS publisher types: what kind of authority a publisher is.
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPE_SCHEME = "http://purl.org/adms/publishertype/1.0"

PUBLIC, RESTRICTED, NON_PUBLIC = "PUBLIC", "RESTRICTED", "NON_PUBLIC"

# (code-list field, code) → EU access right. 依申请公开 information exists and is given to whoever applies (the
# EU table's "restricted"); 不予公开 / 不予开放 is withheld from the public ("non-public").
ACCESS_RIGHTS: dict[tuple[str, str], str] = {
    ("disclosure_attribute", "proactive"): PUBLIC,
    ("disclosure_attribute", "on_request"): RESTRICTED,
    ("disclosure_attribute", "withheld"): NON_PUBLIC,
    ("open_type", "unconditional"): PUBLIC,
    ("open_type", "conditional"): RESTRICTED,
    ("open_type", "closed"): NON_PUBLIC,
}

# 更新周期 codes → EU frequency table. 实时 data is "continuously updated"; 不定期 is "irregular".
FREQUENCIES = {
    "realtime": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
}

# 行政级别 of the publishing body → ADMS publisher type (a province is a region in the vocabulary's sense).
PUBLISHER_TYPES = {
    "national": ("NationalAuthority", "National authority"),
    "province": ("RegionalAuthority", "Regional authority"),
    "city": ("LocalAuthority", "Local authority"),
    "county": ("LocalAuthority", "Local authority"),
    "township": ("LocalAuthority", "Local authority"),
}

# Resource formats as typed on our forms → codes of the EU file-type table. Formats outside it (OFD, WPS, CEB,
# common in Chinese government files) are written as a described dct:MediaTypeOrExtent instead of a made-up URI.
FILE_TYPES = {
    "CSV": "CSV",
    "TSV": "TSV",
    "PDF": "PDF",
    "XLS": "XLS",
    "XLSX": "XLSX",
    "ODS": "ODS",
    "DOC": "DOC",
    "DOCX": "DOCX",
    "ODT": "ODT",
    "RTF": "RTF",
    "TXT": "TXT",
    "JSON": "JSON",
    "GEOJSON": "GEOJSON",
    "XML": "XML",
    "RDF": "RDF_XML",
    "TTL": "RDF_TURTLE",
    "HTML": "HTML",
    "HTM": "HTML",
    "ZIP": "ZIP",
    "RAR": "RAR",
    "GZ": "GZIP",
    "JPG": "JPEG",
    "JPEG": "JPEG",
    "PNG": "PNG",
    "GIF": "GIF",
    "TIF": "TIFF",
    "TIFF": "TIFF",
    "PPT": "PPT",
    "PPTX": "PPTX",
    "SHP": "SHP",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class TypeMapping:
    """How one dataset type maps onto DCAT-AP. Field names are those of the type's scheming schema."""

    label: str  # what a record of this type is, for the description of a record without one of its own
    identifiers: tuple[str, ...] = ()  # the first non-empty is dct:identifier, the others adms:identifier
    issued: tuple[str, ...] = ()  # first non-empty, else CKAN's metadata_created
    modified: tuple[str, ...] = ()  # first non-empty, else CKAN's metadata_modified
    themes: tuple[str, ...] = ()  # code-list fields whose codes are dcat:theme concepts
    region: str | None = None  # a field holding a GB/T 2260 code; else the organisation's region_code
    frequency: str | None = None  # an update_frequency field
    creator: tuple[str, str | None] | None = None  # (name field, USCC field) of the body that made the record
    contact: tuple[str | None, str | None, str | None] | None = None  # (name, e-mail, phone) fields
    pages: tuple[str, ...] = ()  # URL fields of pages about the record (foaf:page)


TYPES: dict[str, TypeMapping] = {
    "disclosure": TypeMapping(
        label="主动公开基本目录事项",
        contact=("responsible_division", "contact_email", "contact_phone"),
    ),
    "service-item": TypeMapping(
        label="政务服务事项",
        # 实施编码 identifies the item as this body implements it; 基本编码 and 业务办理项编码 are its other codes.
        identifiers=("implementation_code", "basic_code", "handle_item_code"),
        region="region_code",
        creator=("implementing_body", "implementing_uscc"),
        contact=(None, "consultation_email", "consultation_phone"),
    ),
    "open-data": TypeMapping(
        label="数据资源",
        identifiers=("resource_code",),
        issued=("first_published",),
        themes=("data_domain",),
        frequency="update_frequency",
    ),
    "policy": TypeMapping(
        label="政策文件",
        # 索引号 is the catalogue identifier of government information; a document harvested without one is still
        # identified by its 文号.
        identifiers=("index_no", "doc_number"),
        # 发布日期 at the source when known, else 成文日期; 变更日期 is when the document itself changed.
        issued=("source_published_at", "written_date"),
        modified=("changed_date",),
        themes=("policy_topic",),
        creator=("issuer", None),
        pages=("source_url",),
    ),
    "credit-publication": TypeMapping(label="双公示"),
    "consultation": TypeMapping(
        label="征求意见", issued=("opens_on",), pages=("decision_url", "feedback_url")
    ),
    "response": TypeMapping(label="政务舆情回应", issued=("first_release_at",), pages=("release_url",)),
    "disclosure-application": TypeMapping(
        label="依申请公开", identifiers=("application_no",), issued=("received_on",)
    ),
}

# Stock CKAN datasets (ckanext-scheming's ckan_dataset.yaml) keep ckanext-dcat's own mapping; the common parts
# (publisher, region, language, access rights) still apply.
DEFAULT = TypeMapping(label="数据集", issued=("issued",), modified=("modified",))


def type_mapping(dataset_type: str | None) -> TypeMapping:
    return TYPES.get(dataset_type or "", DEFAULT)


# ---------------------------------------------------------------------------------------------------------------
# URIs minted by the platform


def _base(option: str, default_path: str) -> str:
    """The configured base URI, or one under the catalogue's own URI (ckanext.dcat.base_uri or ckan.site_url) —
    the namespace the portal already uses for its datasets and organisations."""
    base = (tk.config.get(option) or "").strip() or f"{catalog_uri().rstrip('/')}/{default_path}"
    return base if base.endswith(("/", "#")) else base + "/"


def spatial_base() -> str:
    return _base("ckanext.hlj.dcat.spatial_base_uri", "def/gbt2260/")


def theme_base() -> str:
    return _base("ckanext.hlj.dcat.theme_base_uri", "def/")


def spatial_uri(code: str) -> str:
    return spatial_base() + code


def scheme_uri(codelist: str) -> str:
    return theme_base() + codelist


def theme_uri(codelist: str, code: str) -> str:
    return f"{scheme_uri(codelist)}/{code}"


def landing_page(dataset: Mapping[str, Any]) -> str:
    """The record's page on the portal (/<type>/<name>; ckanext-scheming serves each type under its own path)."""
    site = (tk.config.get("ckan.site_url") or catalog_uri()).rstrip("/")
    return f"{site}/{dataset.get('type') or 'dataset'}/{dataset.get('name') or dataset['id']}"


# ---------------------------------------------------------------------------------------------------------------
# Values


def _empty(value: Any) -> bool:
    return value is None or value in ("", [])


def first_value(dataset: Mapping[str, Any], fields: tuple[str, ...]) -> Any:
    for field in fields:
        value = dataset.get(field)
        if not _empty(value):
            return value
    return None


def ckan_timestamp(value: Any) -> Any:
    """CKAN's metadata_created / metadata_modified with their time zone: CKAN stores them in UTC without saying
    so, and a reader would otherwise take them for local (Beijing) time."""
    if not isinstance(value, str) or not value:
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def codes(value: Any) -> list[str]:
    """The codes of a code-list field: one code, a list, or a JSON list as CKAN stores multiple choices."""
    if _empty(value):
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if not _empty(v)]
    return [str(value)]


def identifiers(dataset: Mapping[str, Any]) -> list[str]:
    """The record's codes, the one that identifies it first (empty: keep CKAN's id)."""
    fields = type_mapping(dataset.get("type")).identifiers
    return [str(dataset[f]).strip() for f in fields if not _empty(dataset.get(f)) and str(dataset[f]).strip()]


def access_right(dataset: Mapping[str, Any]) -> str:
    """The EU access-right URI of a record (see the module docstring)."""
    for (field, code), right in ACCESS_RIGHTS.items():
        if dataset.get(field) in (None, ""):
            continue
        try:
            if codelists.validate_choice(field, dataset[field]) == code:
                return ACCESS_RIGHT + right
        except InvalidValue:
            continue
    return ACCESS_RIGHT + (NON_PUBLIC if tk.asbool(dataset.get("private")) else PUBLIC)


def themes(dataset: Mapping[str, Any]) -> list[tuple[str, codelists.Choice]]:
    """(code list, choice) of every theme of the record, unknown codes left out."""
    found = []
    for field in type_mapping(dataset.get("type")).themes:
        for code in codes(dataset.get(field)):
            try:
                found.append((field, codelists.choice(field, code)))
            except InvalidValue:
                continue
    return found


def frequency(dataset: Mapping[str, Any]) -> str | None:
    field = type_mapping(dataset.get("type")).frequency
    code = dataset.get(field) if field else None
    return FREQUENCY + FREQUENCIES[code] if code in FREQUENCIES else None


def region_code(dataset: Mapping[str, Any], organization: Mapping[str, Any] | None) -> str | None:
    field = type_mapping(dataset.get("type")).region
    code = dataset.get(field) if field else None
    if _empty(code) and organization:
        code = organization.get("region_code")
    return str(code).strip() if not _empty(code) else None


def region_label(code: str) -> str | None:
    """黑龙江省哈尔滨市 for 230100; 全国 for the conventional national code; None for a code we do not know."""
    if code == divisions.NATIONAL_CODE:
        return "全国"
    try:
        return divisions.full_name(code)
    except InvalidValue:
        return None


def publisher_type(organization: Mapping[str, Any]) -> tuple[str, str] | None:
    """(URI, English label) of the ADMS publisher type for the organisation's 行政级别."""
    found = PUBLISHER_TYPES.get(organization.get("admin_level") or "")
    return (PUBLISHER_TYPE + found[0], found[1]) if found else None


def file_type_uri(fmt: str | None) -> str | None:
    """The EU file-type URI of a resource format (``csv``, ``.XLSX``, an IANA type's subtype …), or None."""
    key = (fmt or "").strip().lstrip(".").upper()
    return FILE_TYPE + FILE_TYPES[key] if key in FILE_TYPES else None


def media_type_uri(mimetype: str | None) -> str | None:
    text = (mimetype or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", text):
        return None
    return MEDIA_TYPE + text


def text(value: Any) -> Any:
    """A literal in Chinese is tagged ``zh`` (ckanext-dcat writes a dict as language-tagged literals)."""
    if isinstance(value, str) and _CJK.search(value):
        return {"zh": value}
    return value


def description(dataset: Mapping[str, Any]) -> str:
    """The record's description; DCAT-AP requires one, so a record without notes is described by its type and
    title (e.g. ``政务服务事项：企业投资项目核准``) rather than left invalid."""
    notes = (dataset.get("notes") or "").strip()
    if notes:
        return notes
    return f"{type_mapping(dataset.get('type')).label}：{dataset.get('title') or dataset.get('name')}"
