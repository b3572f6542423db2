"""Columns published as feeds (RSS 2.0, RSS 1.0, Atom) or through a JSON list API.

**XML safety.** Feeds are parsed by lxml with entity substitution, network access and DTD loading switched off
and libxml2's size limits on (``huge_tree=False``); on top of that a document whose internal DTD declares
entities is refused outright. Feeds have no use for entity declarations, and the refusal makes a
"billion laughs" document fail fast instead of merely not expanding.

**JSON.** Sites built on newer CMSs fill their lists from an API (``{"data": {"list": [...], "totalPage": 5}}``).
:class:`JsonPaths` says where things are with dotted paths (``data.list``; a number indexes a list:
``data.0.items``). The next page is either a value in the response (``next``: a URL, or a page number used with
``page_param``) or computed: ``page_param`` with ``page`` and ``total_pages`` paths, e.g. ``?page=2`` of
``data.totalPage`` pages.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from lxml import etree

from ckanext.hlj.catalogue.dates import SHANGHAI, parse_datetime
from ckanext.hlj.catalogue.errors import InvalidValue

from ._html import absolute_url, collapse, find_date, find_datetime
from .listing import ListEntry

_ATOM = "http://www.w3.org/2005/Atom"
MAX_FEED_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute, fragment dropped
    title: str
    published_at: datetime | None  # Asia/Shanghai
    summary: str  # plain text
    guid: str  # the feed's own id for the entry (RSS guid, Atom id); the URL when it has none


def _invalid_feed(detail_zh: str, detail_en: str) -> InvalidValue:
    return InvalidValue(
        "feed_invalid", f"订阅源无法解析：{detail_zh}", f"Feed: cannot be parsed ({detail_en})"
    )


def _parse_xml(body: bytes | str, feed_url: str) -> etree._Element:
    if isinstance(body, str):  # already decoded: its declaration no longer applies
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", body).encode("utf-8")
    if len(body) > MAX_FEED_BYTES:
        raise _invalid_feed("文件过大", "too large")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
        recover=True,
    )
    try:
        root = etree.fromstring(body, parser, base_url=feed_url)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise _invalid_feed(str(error), str(error)) from None
    if root is None:
        raise _invalid_feed("不是 XML 文档", "not an XML document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InvalidValue(
            "feed_entities",
            "订阅源声明了 XML 实体（DTD ENTITY），出于安全原因拒绝解析",
            "Feed: declares XML entities (DTD ENTITY); refused for safety",
        )
    return root


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _child(node: etree._Element, *names: str) -> etree._Element | None:
    for child in node:
        if _local(child) in names:
            return child
    return None


def _child_text(node: etree._Element, *names: str) -> str:
    """The text of the first child named (local name) ``names[0]`` that has any, else ``names[1]`` …"""
    for name in names:
        for child in node:
            if _local(child) == name and (text := "".join(child.itertext())).strip():
                return text
    return ""


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's description): tags, scripts and styles removed, entities read."""
    return collapse(
        html_lib.unescape(nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"}))
    )


def parse_feed_date(text: str) -> datetime | None:
    """RFC 822 (RSS), RFC 3339 (Atom) or the local forms Chinese CMSs print instead; None when unreadable."""
    text = collapse(text)
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:  # RFC 822's "-0000": UTC, time zone unknown
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(SHANGHAI)
    try:
        return parse_datetime(text)
    except InvalidValue:
        return find_datetime(text)


def _atom_link(entry: etree._Element) -> str:
    links = [c for c in entry if _local(c) == "link"]
    for link in links:
        if (link.get("rel") or "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return next((link.get("href") for link in links if link.get("href")), "")


def _entry(node: etree._Element, feed_url: str) -> FeedEntry | None:
    if _local(node) == "entry":  # Atom
        href = _atom_link(node)
        guid = collapse(_child_text(node, "id"))
        title = _child_text(node, "title")
        published = _child_text(node, "published", "updated", "issued", "modified")
        summary = _child_text(node, "summary", "content")
    else:  # RSS 2.0 / 1.0 item
        href = _child_text(node, "link")
        guid_node = _child(node, "guid")
        guid = collapse("".join(guid_node.itertext())) if guid_node is not None else ""
        if not href and guid and (guid_node.get("isPermaLink") or "true").lower() == "true":
            href = guid
        title = _child_text(node, "title")
        published = _child_text(node, "pubDate", "date", "published", "updated")
        summary = _child_text(node, "description", "encoded", "summary")
    # Relative links resolve against xml:base where the feed sets one (lxml's .base), else the feed's URL.
    url = absolute_url(collapse(href), node.base or feed_url)
    if url is None:
        return None
    return FeedEntry(
        url=url,
        title=html_to_text(title),
        published_at=parse_feed_date(published),
        summary=html_to_text(summary),
        guid=guid or url,
    )


def parse_feed(body: bytes | str, feed_url: str) -> list[FeedEntry]:
    """The entries of an RSS or Atom document, in feed order; entries without a usable http(s) link are left out.

    Raises InvalidValue (``feed_invalid``, ``feed_entities``) for what is not a feed or not safe to read.
    """
    root = _parse_xml(body, feed_url)
    if _local(root) not in ("rss", "feed", "RDF"):
        raise _invalid_feed(
            f"根元素 <{_local(root)}> 不是 rss 或 feed", f"root element <{_local(root)}> is not rss or feed"
        )
    entries = []
    for node in root.iter():
        if _local(node) in ("item", "entry"):
            entry = _entry(node, feed_url)
            if entry is not None:
                entries.append(entry)
    return entries


# -- JSON list APIs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonPaths:
    """Where a JSON list API keeps its entries and paging, as dotted paths.

    ``items`` leads to the list of entries ("" when the response is the list); ``url``, ``title`` and ``date`` are
    paths inside one entry. ``url_template`` builds the URL from the value at ``url`` when the API gives an id
    (``"https://example.gov.cn/art/{}.html"``). Paging, all optional: ``next`` is a path to the next page's URL or
    number (null, "" or false on the last page); ``page_param`` names the query parameter carrying the page
    number; ``page`` and ``total_pages`` are paths to the current page number and the page count.
    """

    items: str
    url: str = "url"
    title: str = "title"
    date: str | None = None
    url_template: str | None = None
    next: str | None = None
    page_param: str | None = None
    page: str | None = None
    total_pages: str | None = None


_MISSING = object()


def dig(data: object, path: str) -> object:
    """The value at a dotted path, or a sentinel (:data:`_MISSING`) when a step is absent."""
    if path == "":
        return data
    current = data
    for step in path.split("."):
        if isinstance(current, dict) and step in current:
            current = current[step]
        elif (
            isinstance(current, list)
            and re.fullmatch(r"-?[0-9]+", step)
            and -len(current) <= int(step) < len(current)
        ):
            current = current[int(step)]
        else:
            return _MISSING
    return current


def _json_date(value: object) -> date | None:
    if isinstance(value, bool) or value is None or value is _MISSING:
        return None
    if isinstance(value, int | float):
        # Java back ends send epoch milliseconds; plain seconds are smaller than 10^11 until the year 5138.
        seconds = value / 1000 if abs(value) >= 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, SHANGHAI).date()
        except (OverflowError, OSError, ValueError):
            return None
    return find_date(str(value)) if isinstance(value, str) else None


def _with_page(url: str, param: str, number: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _json_next(data: object, paths: JsonPaths, base_url: str) -> str | None:
    if paths.next:
        value = dig(data, paths.next)
        if value is _MISSING or value in (None, "", False):
            return None
        number = _as_int(value)
        if number is not None and paths.page_param:
            return _with_page(base_url, paths.page_param, number)
        return absolute_url(str(value), base_url) if isinstance(value, str) else None
    if paths.page_param and paths.total_pages:
        total = _as_int(dig(data, paths.total_pages))
        current = _as_int(dig(data, paths.page)) if paths.page else None
        if current is None:
            current = _as_int(dict(parse_qsl(urlsplit(base_url).query)).get(paths.page_param)) or 1
        if total is not None and current < total:
            return _with_page(base_url, paths.page_param, current + 1)
    return None


def parse_json_list(data: object, paths: JsonPaths, base_url: str) -> tuple[list[ListEntry], str | None]:
    """Entries of one response of a JSON list API fetched from ``base_url``, and the next page's URL (or None).

    ``data`` is the decoded JSON (bytes or text are decoded first). Entries without a usable URL are skipped;
    an ``items`` path that does not lead to a list raises InvalidValue (``json_items``): the API has changed.
    """
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise InvalidValue(
                "json_invalid",
                f"接口返回的不是 JSON：{error}",
                f"JSON list: the response is not JSON ({error})",
            ) from None
    items = dig(data, paths.items)
    if not isinstance(items, list):
        raise InvalidValue(
            "json_items",
            f"接口返回中路径 {paths.items or '（根）'} 处不是列表",
            f"JSON list: no list at path {paths.items or '(root)'!r} of the response",
        )
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for item in items:
        raw_url = dig(item, paths.url)
        if raw_url is _MISSING or raw_url is None or isinstance(raw_url, dict | list | bool):
            continue
        href = paths.url_template.replace("{}", str(raw_url)) if paths.url_template else str(raw_url)
        url = absolute_url(href, base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        title = dig(item, paths.title)
        title_text = html_to_text(str(title)) if isinstance(title, str | int | float) else ""
        found = _json_date(dig(item, paths.date)) if paths.date else None
        entries.append(ListEntry(url, title_text, found))
    return entries, _json_next(data, paths, base_url)
