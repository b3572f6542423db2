"""A parsed :class:`~.detail.Document` → the fields of a ``policy`` dataset (schemas/policy.yaml).

Only what the page says is mapped, in the form the schema stores: ISO dates, code-list codes, a normalised 文号.
Code-list values are matched against ``catalogue/data/codelists.yaml`` by label; a value that matches nothing is
left out (the field stays empty rather than wrong) and reported as a warning with the text the site printed.
The source's ``policy_defaults`` fill fields the page does not provide — issuer_level, disclosure_attribute —
and never override what it does.

Not set here: ``owner_org``, ``name``, ``first_seen_at`` and ``is_reprint``, which depend on the harvest source and
on what the platform has already seen; the harvester sets them.
"""

from __future__ import annotations

import re
import unicodedata
from posixpath import basename
from typing import Any
from urllib.parse import unquote, urlsplit

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.doc_number import parse_doc_number
from ckanext.hlj.catalogue.errors import InvalidValue

from .config import SiteConfig, policy_schema_fields
from .detail import ATTACHMENT_EXTENSIONS, Document

# Where a site's metadata says whether the document is 主动公开 (no field of its own in Document).
_DISCLOSURE_LABELS = ("公开属性", "公开方式", "公开形式")
_TOPIC_LEVELS = re.compile(r"\s*[\\/>›»|]\s*")
_SEVERAL = re.compile(r"[;；,，]")
# CKAN's tag rules: 2–100 characters, word characters, blanks, - _ and . only.
_TAG_FORBIDDEN = re.compile(r"[^\w \-.]")


def _topic_candidates(text: str) -> list[str]:
    """The printed topic(s) in the code list's spelling: levels joined by a backslash, no blanks."""
    candidates = []
    for part in _SEVERAL.split(unicodedata.normalize("NFKC", text)):
        levels = [re.sub(r"\s+", "", level) for level in _TOPIC_LEVELS.split(part)]
        if any(levels):
            candidates.append("\\".join(level for level in levels if level))
    return candidates


def _unique_leaf(leaf: str) -> str | None:
    """A second-level topic printed alone (政务公开) → its code, when exactly one first level has it."""
    codes = [
        c.code for c in codelists.codelist("policy_topic") if c.zh.rsplit("\\", 1)[-1] == leaf and c.parent
    ]
    return codes[0] if len(codes) == 1 else None


def map_topic(raw: str) -> tuple[str | None, str | None]:
    """``(code, warning)`` for a printed 主题分类 such as ``综合政务\\政务公开``, ``综合政务/政务公开`` or
    ``综合政务 ＼ 政务公开``. A second level that is not in the list falls back to its first level (with a warning);
    nothing recognisable gives ``(None, warning)``."""
    fallback = None
    for candidate in _topic_candidates(raw):
        try:
            return codelists.validate_choice("policy_topic", candidate), None
        except InvalidValue:
            pass
        first, _, second = candidate.partition("\\")
        if not second and (code := _unique_leaf(first)):
            return code, None
        if second and fallback is None:
            try:
                fallback = codelists.validate_choice("policy_topic", first)
            except InvalidValue:
                fallback = None
    if fallback is not None:
        return fallback, f"policy_topic: {raw!r} 的二级分类不在主题分类表中，只取一级分类 {fallback}"
    return None, f"policy_topic: {raw!r} 不在主题分类表中，未设置 (not a known topic; left empty)"


def map_choice(list_name: str, field_name: str, raw: str) -> tuple[str | None, str | None]:
    """``(code, warning)`` for a printed code-list value; brackets and blanks around it are tolerated."""
    attempts = [raw, re.sub(r"[（(【\[].*?[）)】\]]", "", raw), re.sub(r"\s+", "", raw)]
    for attempt in attempts:
        try:
            return codelists.validate_choice(list_name, attempt.strip()), None
        except InvalidValue:
            continue
    return None, f"{field_name}: {raw!r} 不在代码表 {list_name} 中，未设置 (not in the code list; left empty)"


def _tag_string(keywords: list[str]) -> str:
    tags = []
    for keyword in keywords:
        tag = _TAG_FORBIDDEN.sub("", keyword).strip()
        if 2 <= len(tag) <= 100 and tag not in tags:
            tags.append(tag)
    return ",".join(tags)


def _plain_fields(doc: Document) -> dict[str, Any]:
    """The fields copied or merely reformatted from the document."""
    values = {
        "policy_role": "document",
        "source_url": doc.url,
        "title": doc.title,
        "issuer": doc.issuer,
        "index_no": doc.index_no,
        "written_date": doc.written_date.isoformat() if doc.written_date else None,
        "source_published_at": doc.published_at.astimezone(SHANGHAI).isoformat()
        if doc.published_at
        else None,
        "tag_string": _tag_string(doc.keywords),
        "notes": doc.body_text,  # plain text, never the HTML: CKAN renders notes as Markdown
    }
    return {name: value for name, value in values.items() if value}


def _coded_fields(doc: Document) -> tuple[dict[str, Any], list[str]]:
    """The fields whose printed value must become a code (or a canonical spelling) first."""
    fields: dict[str, Any] = {}
    results: list[tuple[str, str | None, str | None]] = []
    if doc.doc_number:
        try:
            results.append(("doc_number", str(parse_doc_number(doc.doc_number)), None))
        except InvalidValue as error:
            results.append(
                ("doc_number", None, f"doc_number: {doc.doc_number!r} 无法识别，未设置 ({error.en})")
            )
    if doc.topic:
        results.append(("policy_topic", *map_topic(doc.topic)))
    if doc.validity:
        results.append(("validity", *map_choice("validity", "validity", doc.validity)))
    if disclosure := next((doc.meta[label] for label in _DISCLOSURE_LABELS if doc.meta.get(label)), None):
        results.append(
            ("disclosure_attribute", *map_choice("disclosure_attribute", "disclosure_attribute", disclosure))
        )
    warnings = []
    for name, code, warning in results:
        if code:
            fields[name] = code
        if warning:
            warnings.append(warning)
    return fields, warnings


def policy_fields(doc: Document, config: SiteConfig) -> tuple[dict[str, Any], list[str]]:
    """``(fields, warnings)``: the policy dataset fields the document fills, plus the source's defaults.

    Warnings cover what this mapping could not use (an unknown topic or validity, an invalid 文号) and required
    fields still missing; the parse's own problems are in ``doc.warnings``.
    """
    coded, warnings = _coded_fields(doc)
    fields = {**_plain_fields(doc), **coded}
    for name, value in config.policy_defaults.items():
        fields.setdefault(name, value)
    for name, spec in policy_schema_fields().items():
        if spec.get("required") and name not in fields:
            warnings.append(f"{name}: 必填字段缺失 (required field missing)")
    return fields, warnings


def attachment_resources(doc: Document) -> list[dict[str, str]]:
    """The document's attachments as policy resources (``url``, ``name``, ``format``), in page order."""
    resources = []
    for title, url in doc.attachments:
        name = unquote(basename(urlsplit(url).path))
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        resources.append(
            {
                "url": url,
                "name": title or name,
                "format": extension.upper() if extension in ATTACHMENT_EXTENSIONS else "",
            }
        )
    return resources
