"""A document's detail page → its metadata, its body (as text and as safe HTML) and its attachments.

**Metadata.** Above the body, government pages print the block the 政府信息公开目录 standard asks for — 索引号,
主题分类, 发文机关, 成文日期, 文号, 发布日期, 主题词, 有效性 — as a table (label cell, value cell, often two pairs a
row), as ``<li><span>label：</span>value</li>``, or as ``label：value`` text; labels carry full-width colons
and blanks (``索 引 号：``) and differ between sites (发布机构, 发文单位; 发文字号; 时效性 …). Rather than one parser
per layout, the page is read as a reader sees it — lines cut at block elements and ``<br>`` (each table cell a
line) — and labels are found in the lines: ``label：value`` (several per line allowed), or a line that is only a
label followed by its value on the next line. The first occurrence of a label wins; the metadata block comes
before the body.

**Body.** The article container: the one with the most text among the names CMSs use (``div.TRS_Editor``,
``#zoom``, ``.article-content`` …), else the block holding the most paragraph text outside the chrome. Its text
becomes ``body_text`` (paragraphs separated by blank lines) and its markup ``body_html``, cleaned by nh3 down to
a small allow-list: no scripts, styles, event handlers, ``javascript:`` URLs, images, iframes or forms survive.

**Values.** Dates go through ``catalogue.dates`` (so 二〇一七年三月二十日 works); 文号 through
``catalogue.doc_number``; a value that does not parse is kept raw where the field allows and reported in
``warnings``. Placeholders such as 无 or / mean "no value".

:class:`DetailSelectors` overrides detection with XPath (``cssselect`` is not installed, so no CSS).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime
from posixpath import basename
from urllib.parse import unquote, urlsplit

import nh3
from lxml import etree
from lxml import html as lxml_html

from ckanext.hlj.catalogue.dates import parse_date, parse_datetime
from ckanext.hlj.catalogue.doc_number import normalise_doc_number
from ckanext.hlj.catalogue.errors import InvalidValue

from . import _html
from ._html import Line, Page, absolute_url, collapse, compact, parse_html, select, text_of

# Field → the labels sites print for it, strongest first. Only the first occurrence of a field counts.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "名称", "文件名称", "信息名称"),
    "index_no": ("索引号", "信息索引号"),
    "topic": ("主题分类", "信息分类", "主题类别", "分类"),
    "issuer": ("发文机关", "发布机构", "发文单位", "发布机关", "发文机构", "发布单位", "制发机关"),
    "written_date": ("成文日期", "发文日期", "成文时间", "印发日期"),
    "doc_number": ("文号", "发文字号", "发文文号", "文件编号"),
    "published_at": ("发布日期", "发布时间", "信息发布日期", "公开日期", "日期", "时间"),
    "keywords": ("主题词", "关键词", "关键字"),
    "validity": ("有效性", "时效性", "效力状态", "是否有效"),
}
# Labels recognised (so they end the previous value and land in ``meta``) without a field of their own.
OTHER_LABELS = (
    "公开方式", "公开属性", "公开形式", "公开范围", "公开时限", "信息来源", "来源", "生成日期", "体裁分类", "组配分类",
    "服务对象分类", "机构分类", "实施日期", "生效日期", "废止日期", "责任部门", "浏览次数", "访问量", "字体", "作者",
)  # fmt: skip
# Labels too common in running text to trust outside the metadata block.
_WEAK_LABELS = frozenset({"日期", "时间", "名称", "标题", "来源", "作者", "分类", "字体"})
_LABEL_TO_FIELD = {label: name for name, labels in FIELD_LABELS.items() for label in labels}
_ALL_LABELS = sorted({*_LABEL_TO_FIELD, *OTHER_LABELS}, key=len, reverse=True)
# A label may have blanks between its characters (索 引 号) and must start the line or follow a blank, a bar or
# an opening bracket ([发布时间：…]).
_LABEL_RE = re.compile(
    r"(?<![^\s|｜\[【(（])(?P<label>"
    + "|".join(r"\s*".join(map(re.escape, label)) for label in _ALL_LABELS)
    + r")\s*[：:]"
)
# An unknown "标签：" after a blank also ends a value (发布时间：2017-03-20 10:30　浏览：12).
_GENERIC_LABEL_RE = re.compile(r"(?<=\s)(?P<label>[\u4e00-\u9fff]{2,6})\s*[：:]")
_EMPTY_VALUES = frozenset({"无", "暂无", "空", "/", "-", "--", "—", "——", "―", "null", "none", "n/a"})


def _class_is(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Where CMSs put the article: specific names first; the generic ones only when none of those is on the page, since
# a ``.content`` is as often the whole page column as the article.
BODY_CANDIDATES = (
    (
        f"//*[{_class_is('TRS_Editor')} or {_class_is('TRS_UEDITOR')} or {_class_is('article-content')}"
        f" or {_class_is('pages_content')} or {_class_is('article_content')} or {_class_is('zoom')}]",
        "//*[@id='zoom' or @id='Zoom' or @id='UCAP-CONTENT' or @id='article-content']",
    ),
    (
        f"//*[{_class_is('content')} or {_class_is('zw')} or {_class_is('view')} or {_class_is('article')}]",
        "//*[@id='content' or @id='article' or @id='main-content']",
        "//article",
    ),
)
_TITLE_CANDIDATES = (
    f"//*[{_class_is('article-title')} or {_class_is('title')} or {_class_is('tit')} or {_class_is('bt')}"
    " or @id='title' or @id='ivs_title']",
    "//h1",
    "//h2",
)
_PARAGRAPH_TAGS = frozenset(
    {"p", "span", "font", "strong", "b", "em", "i", "u", "a", "br", "center", "blockquote"}
)
MIN_BODY_CHARS = 20

ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "txt", "ppt", "pptx", "csv"}
)

# The sanitiser's allow-list: paragraphs, emphasis, lists, tables, headings and links. Everything else (span,
# div, font, b …) is unwrapped to its text, and the content of the tags in _DROP_WITH_CONTENT is removed with
# them. thead/tbody/caption are there because the HTML parser inserts tbody into every table.
ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "table", "thead", "tbody", "caption", "tr", "td", "th", "ul", "ol", "li", "a",
     "h1", "h2", "h3", "h4", "h5", "h6"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "noscript", "template", "object", "embed", "form", "textarea", "select",
     "button", "svg", "math", "title", "head"}
)  # fmt: skip


@dataclass(frozen=True)
class DetailSelectors:
    """XPath expressions overriding detection; each one left None is detected as usual.

    ``title``, ``body`` and ``meta_table`` select elements (or, for ``title``, a string); ``fields`` maps a
    :class:`Document` field name (``index_no``, ``topic``, ``issuer``, ``written_date``, ``doc_number``,
    ``published_at``, ``keywords``, ``validity``) to an XPath whose text is that field's raw value, used instead
    of the labelled one.
    """

    title: str | None = None
    body: str | None = None
    meta_table: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Document:
    url: str
    title: str = ""
    index_no: str | None = None
    topic: str | None = None  # 主题分类 as printed, e.g. 综合政务\政务公开
    issuer: str | None = None
    written_date: date | None = None
    doc_number: str | None = None  # normalised (黑政办规〔2017〕12号), or as printed when it does not parse
    published_at: datetime | None = None  # Asia/Shanghai
    keywords: list[str] = field(default_factory=list)
    validity: str | None = None  # as printed, e.g. 有效
    body_text: str = ""
    body_html: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (title, absolute URL)
    meta: dict[str, str] = field(default_factory=dict)  # label (blanks and colon removed) → value as printed
    warnings: list[str] = field(default_factory=list)


# -- metadata -------------------------------------------------------------------------------------------------------


@dataclass
class _Pair:
    label: str  # compacted
    value: str
    owner: etree._Element

    @property
    def field(self) -> str | None:
        return _LABEL_TO_FIELD.get(self.label)


def _pairs(found_lines: list[Line], *, generic: bool) -> list[_Pair]:
    """Label–value pairs in ``found_lines``; with ``generic``, unknown ``标签：`` lines count too."""
    pairs: list[_Pair] = []
    i = 0
    while i < len(found_lines):
        line = found_lines[i]
        text = line.text
        matches = list(_LABEL_RE.finditer(text))
        stops = sorted(
            {m.start() for m in matches} | {m.start() for m in _GENERIC_LABEL_RE.finditer(text)} | {len(text)}
        )
        if generic and not matches and (m := re.match(r"^(?P<label>[\u4e00-\u9fff\s]{2,10})[：:]", text)):
            matches = [m]
        if not matches:
            # A line that is only a known label, value on the next line (table cells without a colon).
            if compact(text) in _LABEL_TO_FIELD and i + 1 < len(found_lines):
                following = found_lines[i + 1].text
                if not _LABEL_RE.match(following):
                    pairs.append(_Pair(compact(text), following, line.owner))
                    i += 2
                    continue
            i += 1
            continue
        used_next = False
        for m in matches:
            end = next(s for s in stops if s > m.start())
            value = collapse(text[m.end() : end]).rstrip("【[（(")  # a bracket opening the next label's group
            if not value and end == len(text) and m is matches[-1] and i + 1 < len(found_lines):
                following = found_lines[i + 1].text
                if not _LABEL_RE.match(following) and not _GENERIC_LABEL_RE.match(" " + following):
                    value, used_next = following, True
            pairs.append(_Pair(compact(m.group("label")), value, line.owner))
        i += 2 if used_next else 1
    return pairs


def _meta_container(pairs: list[_Pair]) -> etree._Element | None:
    """The element holding the metadata block: the deepest one holding most (60 %) of the strong labels.

    Not simply their common ancestor: a page that prints 发布时间 in an info bar below its metadata table would
    make that the whole article, body included.
    """
    owners = [p.owner for p in pairs if p.field and p.label not in _WEAK_LABELS]
    if len(owners) < 2:
        return None
    counts: Counter = Counter()
    for owner in owners:
        for node in (owner, *owner.iterancestors()):
            counts[node] += 1
    needed = max(2, -(-len(owners) * 3 // 5))
    best, best_depth = None, -1
    for node, count in counts.items():
        if count < needed or _html.tag_of(node) in ("body", "html"):
            continue
        depth = sum(1 for _ in node.iterancestors())
        if depth > best_depth and len(text_of(node)) <= 3000:
            best, best_depth = node, depth
    return best


# -- title and body -------------------------------------------------------------------------------------------------

_TITLE_SEPARATORS = re.compile(r"\s*[_|｜]\s*|\s+[-–—－]\s+|——|--")


def _page_title_parts(root: etree._Element) -> list[str]:
    title = next((collapse(t.text_content()) for t in root.iter("title")), "")
    return [part for part in _TITLE_SEPARATORS.split(title) if part] if title else []


def _title_candidates(page: Page, meta_node: etree._Element | None) -> list[etree._Element]:
    """Heading-like elements outside the chrome and the metadata block; label cells (…：) are not titles."""
    candidates: list[etree._Element] = []
    for expr in _TITLE_CANDIDATES:
        for node in select(expr, page.root):
            if not isinstance(node, etree._Element) or node in candidates or _html.in_chrome(node):
                continue
            if meta_node is not None and _html.contains(meta_node, node):
                continue
            text = text_of(node)
            if 4 <= len(text) <= 300 and not text.endswith(("：", ":")):
                candidates.append(node)
    return candidates


def _title(
    page: Page, selectors: DetailSelectors, meta_title: str | None, meta_node: etree._Element | None
) -> tuple[str, etree._Element | None]:
    """The title and the element it came from (left out of the body). The article's heading that ``<title>``
    repeats wins; then the metadata's 标题, the first heading-like element, the guideline's ArticleTitle meta, and
    last the longest part of ``<title>`` (the site name is usually the shorter part)."""
    if selectors.title:
        for item in select(selectors.title, page.root):
            if text := text_of(item):
                return text, item if isinstance(item, etree._Element) else None
    site = _head_meta(page.root, "SiteName")
    parts = sorted((p for p in _page_title_parts(page.root) if p != site), key=len, reverse=True)
    candidates = [n for n in _title_candidates(page, meta_node) if text_of(n) != site]
    for part in parts:
        for node in candidates:
            text = text_of(node)
            if text == part or (len(part) >= 4 and part in text):
                return text, node
    if meta_title:
        return meta_title, None
    if candidates:
        return text_of(candidates[0]), candidates[0]
    if article_title := _head_meta(page.root, "ArticleTitle"):
        return article_title, None
    return (parts[0] if parts else ""), None


def _paragraph_chars(node: etree._Element) -> int:
    total = len(collapse(node.text))
    for child in node:
        if _html.tag_of(child) in _PARAGRAPH_TAGS:
            total += len(text_of(child))
        total += len(collapse(child.tail))
    return total


def _body(page: Page, selectors: DetailSelectors, skip: list[etree._Element]) -> etree._Element | None:
    def size(node: etree._Element) -> int:
        return sum(len(line.text) for line in _html.lines(node, skip=skip))

    def usable(node: object) -> bool:
        return isinstance(node, etree._Element) and not any(_html.contains(s, node) for s in skip)

    if selectors.body:
        found = [n for n in select(selectors.body, page.root) if usable(n)]
        return found[0] if found else None
    order = _html.document_order(page.root)
    for tier in BODY_CANDIDATES:
        candidates = {
            n for expr in tier for n in select(expr, page.root) if usable(n) and not _html.in_chrome(n)
        }
        sized = [(size(n), order[n], n) for n in candidates]
        sized = [s for s in sized if s[0] >= MIN_BODY_CHARS]
        if sized:
            # Most text wins; between equals (a wrapper and its content) the inner one, later in document order.
            return max(sized, key=lambda s: (s[0], s[1]))[2]
    chrome = _html.chrome_elements(page.root)
    best, best_chars = None, 0
    for node in page.root.iter("div", "td", "article", "section", "main"):
        if not usable(node) or any(_html.contains(c, node) for c in chrome):
            continue
        chars = _paragraph_chars(node)
        if chars > best_chars:
            best, best_chars = node, chars
    return best if best_chars >= MIN_BODY_CHARS else None


def _body_text(body: etree._Element, skip: list[etree._Element]) -> str:
    return "\n\n".join(line.text for line in _html.lines(body, skip=skip, cells_inline=True))


def sanitise_html(fragment: str) -> str:
    """Markup reduced to the allow-list; links keep only absolute http(s) targets and get rel="nofollow"."""
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel="nofollow",
        strip_comments=True,
    )
    return cleaned.strip()


_SKIP_MARK = "data-hlj-skip"


def _body_html(body: etree._Element, skip: list[etree._Element], base_url: str) -> str:
    for node in skip:
        node.set(_SKIP_MARK, "1")
    try:
        copy = deepcopy(body)
    finally:
        for node in skip:
            del node.attrib[_SKIP_MARK]
    for twin in [n for n in copy.iter() if n.get(_SKIP_MARK)]:
        twin.drop_tree()
    for link in copy.iter("a"):
        href = link.get("href")
        if href is not None:
            url = absolute_url(href, base_url)
            if url:
                link.set("href", url)
            else:
                del link.attrib["href"]
    return sanitise_html(lxml_html.tostring(copy, encoding="unicode", with_tail=False))


def _attachments(page: Page) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for link in page.root.iter("a"):
        url = absolute_url(link.get("href"), page.base_url)
        if not url or _html.in_chrome(link):
            continue
        parts = urlsplit(url)
        names = [basename(parts.path), *(v for kv in parts.query.split("&") for v in kv.split("=")[1:2])]
        if not any(unquote(n).rsplit(".", 1)[-1].lower() in ATTACHMENT_EXTENSIONS for n in names if "." in n):
            continue
        title = text_of(link) or collapse(link.get("title")) or unquote(basename(parts.path))
        if url not in found or not found[url]:
            found[url] = title
    return [(title, url) for url, title in found.items()]


# -- values ---------------------------------------------------------------------------------------------------------


def _clean_value(value: str | None) -> str | None:
    value = collapse(value)
    return None if not value or value.lower() in _EMPTY_VALUES else value


def _warn(doc: Document, name: str, raw: str, error: InvalidValue) -> None:
    doc.warnings.append(f"{name}: {raw!r} ({error.zh} / {error.en})")


def _parse_written(doc: Document, raw: str) -> None:
    found = _html.find_date(raw)
    if found is not None:
        doc.written_date = found
        return
    try:
        doc.written_date = parse_date(raw)
    except InvalidValue as error:
        _warn(doc, "written_date", raw, error)


def _parse_published(doc: Document, raw: str) -> None:
    found = _html.find_datetime(raw)
    if found is not None:
        doc.published_at = found
        return
    try:
        doc.published_at = parse_datetime(raw)
    except InvalidValue as error:
        _warn(doc, "published_at", raw, error)


def _parse_doc_number(doc: Document, raw: str) -> None:
    try:
        doc.doc_number = normalise_doc_number(raw)
    except InvalidValue as error:
        doc.doc_number = raw
        _warn(doc, "doc_number", raw, error)


def _set_field(doc: Document, name: str, raw: str | None) -> None:
    value = _clean_value(raw)
    if value is None:
        return
    if name == "written_date":
        _parse_written(doc, value)
    elif name == "published_at":
        _parse_published(doc, value)
    elif name == "doc_number":
        _parse_doc_number(doc, value)
    elif name == "keywords":
        doc.keywords = [k for k in re.split(r"[\s,，、;；]+", value) if k]
    elif name != "title":
        setattr(doc, name, value)


def _head_meta(root: etree._Element, name: str) -> str:
    """A ``<meta name=…>`` value: the 政府网站发展指引 asks sites for PubDate, ArticleTitle, Keywords …"""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == name.lower():
            return collapse(meta.get("content"))
    return ""


def _meta(
    page_pairs: list[_Pair], meta_node: etree._Element | None, body: etree._Element | None
) -> dict[str, str]:
    """Label → value, first occurrence winning: the metadata block's pairs (unknown labels too), then the page's."""
    block_pairs = _pairs(_html.lines(meta_node), generic=True) if meta_node is not None else []
    meta: dict[str, str] = {}
    for pair in [*block_pairs, *page_pairs]:
        if not pair.value or pair.label in meta:
            continue
        in_block = meta_node is not None and _html.contains(meta_node, pair.owner)
        in_body = body is not None and _html.contains(body, pair.owner)
        if pair.label in _WEAK_LABELS and in_body and not in_block:
            continue  # 时间：/ 名称：/ 来源： inside the body text are the document's words, not its metadata
        meta[pair.label] = pair.value
    return meta


def _first_label(meta: dict[str, str], name: str) -> str:
    return next((label for label in FIELD_LABELS[name] if label in meta), "")


def _raw_fields(page: Page, selectors: DetailSelectors, meta: dict[str, str]) -> dict[str, str]:
    """Each field's raw text: from the labels (strongest label first), the per-field selectors, head meta tags."""
    raw = {name: meta[label] for name in FIELD_LABELS if (label := _first_label(meta, name))}
    # 发布日期 in the table often has no time while a 发布时间 line or the PubDate meta has one: prefer a time.
    published = [meta[label] for label in FIELD_LABELS["published_at"] if label in meta]
    published.append(_head_meta(page.root, "PubDate"))
    published = [value for value in published if _html.find_date(value)]
    if published:
        raw["published_at"] = next((value for value in published if _html.has_time(value)), published[0])
    for name, expr in selectors.fields.items():
        if value := _html.first_text(expr, page.root):
            raw[name] = value
    if "keywords" not in raw and (words := _head_meta(page.root, "Keywords")):
        raw["keywords"] = words
    return raw


def parse_detail_page(html: str, page_url: str, selectors: DetailSelectors | None = None) -> Document:
    """The document on a detail page fetched from ``page_url``. Never raises on odd markup: what cannot be read is
    left empty and, for a value that was there but did not parse, noted in ``warnings``."""
    selectors = selectors or DetailSelectors()
    page = parse_html(html, page_url)
    doc = Document(url=absolute_url(page_url, page_url) or page_url)
    chrome = _html.chrome_elements(page.root)

    # The metadata block (configured, or where the strong labels are) and the body, which must not include it.
    page_pairs = _pairs(_html.lines(page.root, skip=chrome), generic=False)
    meta_node = None
    if selectors.meta_table:
        meta_node = next(
            (n for n in select(selectors.meta_table, page.root) if isinstance(n, etree._Element)), None
        )
    else:
        meta_node = _meta_container(page_pairs)
    body = _body(page, selectors, [meta_node] if meta_node is not None else [])

    doc.meta = _meta(page_pairs, meta_node, body)
    for name, value in _raw_fields(page, selectors, doc.meta).items():
        _set_field(doc, name, value)

    meta_title = _clean_value(doc.meta.get(_first_label(doc.meta, "title")))
    doc.title, title_node = _title(page, selectors, meta_title, meta_node)
    if not doc.title:
        doc.warnings.append("title: not found")
    doc.attachments = _attachments(page)
    if body is None:
        doc.warnings.append("body: not found")
    else:
        skip = [
            n for n in (meta_node, title_node) if n is not None and n is not body and _html.contains(body, n)
        ]
        doc.body_text = _body_text(body, skip)
        doc.body_html = _body_html(body, skip, page.base_url)
    return doc
