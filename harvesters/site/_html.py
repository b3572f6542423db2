"""HTML plumbing shared by the list and detail parsers (private to the package).

Everything here works on an lxml tree that :func:`parse_html` has cleaned: scripts, styles, comments and the like
are gone before any text is read, so no JavaScript or CSS can leak into a title, a date or a body, however a page
hides it. Script text is handed back separately because list pages announce their pagination in JavaScript.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

from ckanext.hlj.catalogue.dates import parse_date, parse_datetime
from ckanext.hlj.catalogue.errors import InvalidValue

# Elements whose content is never page text. Dropped (with their content) right after parsing.
DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "select", "textarea", "button"}
)
# Elements that start a new line of text; everything else (span, font, a, b …) flows inline.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "title",
    }
)  # fmt: skip
CELL_TAGS = frozenset({"td", "th"})

# Page chrome: site navigation, headers, footers, breadcrumbs. HTML5 sites mark it with tags; the TRS/WCM sites
# most departments run mark it with class or id names, matched here by prefix so nav-list, navbar and menu_top
# all count but article-header (inside the article) does not.
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_PREFIXES = (
    "nav",
    "menu",
    "header",
    "footer",
    "breadcrumb",
    "crumb",
    "copyright",
    "sitemap",
    "topbar",
)
_CHROME_NAMES = frozenset({"foot", "dqwz", "position", "location", "weizhi", "daohang"})

_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def collapse(text: str | None) -> str:
    """Runs of whitespace (including the ideographic space and &nbsp;) → one blank; ends stripped."""
    return _WS.sub(" ", text or "").strip()


def compact(text: str) -> str:
    """Text with every blank removed and full-width forms folded: how labels such as "索 引 号：" are compared."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class Page:
    """A parsed page: the cleaned tree, its base URL and the text of the scripts that were removed."""

    root: html.HtmlElement
    base_url: str
    scripts: str


def parse_html(text: str, page_url: str) -> Page:
    """Parse ``text`` leniently and clean it (see the module docstring). Never raises on bad markup."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text or "", count=1))
    try:
        root = html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError):
        root = html.document_fromstring("<html></html>")
    scripts = []
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction, *DROPPED_TAGS)):
        if isinstance(node.tag, str) and node.tag == "script":
            scripts.append(node.text or "")
        if node.getparent() is not None:
            node.drop_tree()  # keeps the node's tail text in place
    return Page(root, _base_url(root, page_url), "\n".join(scripts))


def _base_url(root: html.HtmlElement, page_url: str) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


def absolute_url(href: str | None, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` without its fragment, or None unless it is an http(s) URL."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urldefrag(urljoin(base_url, href)).url
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def tag_of(node: etree._Element) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def _is_chrome(node: etree._Element) -> bool:
    tag = tag_of(node)
    if tag in _CHROME_TAGS:
        # An HTML5 <header> or <footer> inside the article belongs to the article.
        return not any(tag_of(a) in ("article", "main") for a in node.iterancestors())
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
    return any(name in _CHROME_NAMES or name.startswith(_CHROME_PREFIXES) for name in names)


def in_chrome(node: etree._Element) -> bool:
    """Whether ``node`` sits in the page's navigation, header or footer."""
    return any(_is_chrome(n) for n in (node, *node.iterancestors()))


def chrome_elements(root: etree._Element) -> set[etree._Element]:
    """The outermost chrome elements of the page (their subtrees are chrome too)."""
    found: set[etree._Element] = set()
    for node in root.iter():
        if (
            isinstance(node.tag, str)
            and _is_chrome(node)
            and not any(a in found for a in node.iterancestors())
        ):
            found.add(node)
    return found


def text_of(node: etree._Element | str | None) -> str:
    """Collapsed text of an element or an XPath string result."""
    if node is None:
        return ""
    if isinstance(node, str):
        return collapse(node)
    # Lines, not itertext(): inline fragments join without a blank (黑龙江<span>省</span> is one word), blocks
    # with one.
    return " ".join(line.text for line in lines(node, cells_inline=True))


@dataclass
class Line:
    """One line of text as a reader sees it, and the block element it ends in."""

    text: str
    owner: etree._Element


def lines(
    root: etree._Element,
    *,
    skip: Iterable[etree._Element] = (),
    cells_inline: bool = False,
) -> list[Line]:
    """The text of ``root`` cut into lines at block elements and ``<br>``, in document order.

    ``skip`` elements (and their subtrees) are left out. Table cells are lines of their own (how label–value
    tables are read) unless ``cells_inline``, which joins a row's cells with `` | `` (how body tables read).
    """
    skipped = set(skip)
    out: list[Line] = []
    buf: list[str] = []
    owners: list[etree._Element] = [root]

    def flush() -> None:
        text = collapse("".join(buf))
        buf.clear()
        if text:
            out.append(Line(text, owners[-1]))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = tag_of(node)
        is_block = tag in BLOCK_TAGS and not (cells_inline and tag in CELL_TAGS)
        if event == "start":
            if node in skipped:
                walker.skip_subtree()
                continue
            if is_block or tag == "br":
                flush()
            if is_block:
                owners.append(node)
            if cells_inline and tag in CELL_TAGS and buf and collapse("".join(buf)):
                buf.append(" | ")
            buf.append(node.text or "")
        else:
            if node not in skipped and is_block:
                flush()
                owners.pop()
            if node is not root:
                buf.append(node.tail or "")
    flush()
    return out


def lowest_common_ancestor(nodes: list[etree._Element]) -> etree._Element | None:
    if not nodes:
        return None
    common = [nodes[0], *nodes[0].iterancestors()]
    for node in nodes[1:]:
        chain = {node, *node.iterancestors()}
        common = [c for c in common if c in chain]
    return common[0] if common else None


def contains(ancestor: etree._Element, node: etree._Element) -> bool:
    return node is ancestor or any(a is ancestor for a in node.iterancestors())


def document_order(root: etree._Element) -> dict[etree._Element, int]:
    return {node: i for i, node in enumerate(root.iter())}


# -- XPath selectors -----------------------------------------------------------------------------------------------
# The `cssselect` package is not installed in this environment, so sources override detection with XPath
# expressions only (lxml's XPath 1.0 with the EXSLT regular-expression functions under the prefix `re`).

_XPATH_NS = {"re": "http://exslt.org/regular-expressions"}


@functools.lru_cache(maxsize=256)
def compile_xpath(expr: str) -> etree.XPath:
    """A compiled XPath; raises ``etree.XPathError`` for a malformed one (syntax, unknown prefix or function)."""
    compiled = etree.XPath(expr, namespaces=_XPATH_NS)
    compiled(etree.fromstring("<html><body/></html>"))  # some errors (unknown prefixes) appear only on use
    return compiled


def xpath_result_kind(expr: str) -> str:
    """What a (valid) XPath yields: "nodes", "string", or "scalar" (true/false or a number). A CSS selector
    typed by mistake is often valid XPath of the last kind: ``ul.list > li`` compares two node-sets."""
    result = compile_xpath(expr)(etree.fromstring("<html><body/></html>"))
    if isinstance(result, list):
        return "nodes"
    return "string" if isinstance(result, str) else "scalar"


def select(expr: str, node: etree._Element) -> list:
    """The XPath's results as a list: elements and/or strings (a scalar result becomes a one-item list)."""
    result = compile_xpath(expr)(node)
    if isinstance(result, list):
        return [r for r in result if isinstance(r, etree._Element | str)]
    if isinstance(result, bool | float):
        return []
    return [str(result)] if result else []


def first_text(expr: str, node: etree._Element) -> str:
    for item in select(expr, node):
        text = text_of(item)
        if text:
            return text
    return ""


# -- Dates in running text ----------------------------------------------------------------------------------------

_CN_DIGIT = "〇○零O一二三四五六七八九"
_CN_SMALL = "〇○零一二三四五六七八九十"
DATE_IN_TEXT = re.compile(
    r"(?<![0-9])(?:"
    r"(?:19|20)[0-9]{2}\s*(?P<sep>[-/.])\s*[0-9]{1,2}\s*(?P=sep)\s*[0-9]{1,2}"
    r"|(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]?"
    rf"|[{_CN_DIGIT}]{{4}}\s*年\s*[{_CN_SMALL}]{{1,3}}\s*月\s*[{_CN_SMALL}]{{1,3}}\s*[日号]?"
    r")(?![0-9])"
)
_TIME_AFTER = re.compile(
    r"\s*(?:T\s*)?(?:[0-9]{1,2}\s*[:：]\s*[0-9]{2}(?:\s*[:：]\s*[0-9]{2})?(?![0-9])"
    r"|(?:上午|下午|晚上|早上|中午)?\s*[0-9]{1,2}\s*[时点](?:\s*[0-9]{1,2}\s*分(?:\s*[0-9]{1,2}\s*秒)?)?)"
)


def has_time(text: str) -> bool:
    """Whether a date in ``text`` is followed by a time of day."""
    text = unicodedata.normalize("NFKC", text)
    return any(_TIME_AFTER.match(text, match.end()) for match, _ in iter_dates(text))


def iter_dates(text: str) -> Iterator[tuple[re.Match, date]]:
    """Every valid calendar date written in ``text`` (with its match), in order; impossible ones are skipped."""
    text = unicodedata.normalize("NFKC", text)
    for match in DATE_IN_TEXT.finditer(text):
        try:
            yield match, parse_date(match.group(0))
        except InvalidValue:
            continue


def find_date(text: str) -> date | None:
    return next((d for _, d in iter_dates(text)), None)


def find_datetime(text: str) -> datetime | None:
    """The first date in ``text`` with the time of day written after it, if any (midnight otherwise)."""
    text = unicodedata.normalize("NFKC", text)
    for match, _ in iter_dates(text):
        clock = _TIME_AFTER.match(text, match.end())
        written = match.group(0) + (clock.group(0).replace("：", ":") if clock else "")
        try:
            return parse_datetime(written)
        except InvalidValue:
            try:
                return parse_datetime(match.group(0))
            except InvalidValue:
                continue
    return None
