"""A column's list page (信息公开目录, 政策文件 …) → its entries and the way to the next page.

**Entries.** Government CMSs render a column as a repeated block — ``<ul><li>``, table rows or ``<div>`` items —
each holding one link to a detail page and its date. Detection works from the links outward:

* every link outside the page chrome (nav, header, footer, breadcrumbs) gets a *row*: the largest ancestor that
  holds no link to another URL (the ``<li>``, the ``<tr>``);
* a row is *dated* when its text outside the links carries a full date (2017-03-20, 2017年3月20日, 2017/3/20,
  2017.03.20, 二〇一七年三月二十日); ``[03-20]`` is not enough: without a year the harvester cannot order
  entries across pages or years;
* rows are grouped by their *container*, the nearest ancestor holding two or more rows (so a site that wraps each
  item in its own ``<ul>`` still forms one list), and the container with the most dated rows is the list. Sibling
  containers of the same tag and class join it: TRS splits long lists into chunks of five with a rule between.

Undated rows of the same kind in that container are kept with ``date=None``; short links there (pager numbers,
首页, 尾页) are not entries.

**Pagination.** Either an ``<a>`` reading 下一页 / 下页 / 后一页 / > (or titled so), or the TRS/WCM convention of
``index.html, index_1.html, index_2.html …`` announced in script — ``createPageHTML(5, 0, "index", "html")`` or
``var countPage = 5`` — which gives every page's URL in advance (:attr:`ListPage.page_urls`). A 下一页 link
without a usable target (``javascript:``, ``#``, the page itself) marks the last page.

**Overrides.** :class:`ListSelectors` replaces detection with XPath expressions. The ``cssselect`` package is not
installed here, so CSS selectors are not accepted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from posixpath import basename
from urllib.parse import urljoin, urlsplit

from lxml import etree

from . import _html
from ._html import Page, absolute_url, collapse, compact, in_chrome, parse_html, select, text_of

NEXT_TEXTS = frozenset(
    {"下一页", "下页", "后一页", ">", "›", "下一页>", "下一页›", "下一页»", "next", "next>", "nextpage"}
)
NOT_ENTRIES = frozenset(
    {"首页", "尾页", "末页", "上一页", "上页", "前一页", "更多", "more", "更多>>", "返回"}
)
MIN_TITLE_CHARS = 4
# A script announcing a thousand pages is either broken or hostile; the harvester stops at max_pages anyway.
MAX_PAGE_URLS = 1000


@dataclass(frozen=True)
class ListSelectors:
    """XPath expressions overriding detection; each one left None is detected as usual.

    * ``item``: the entry rows, evaluated on the document (``//ul[@class='list']/li``);
    * ``link``: within an item, the link to the detail page — elements (``.//a``) or ``@href`` strings;
      default: the item's link with the longest text;
    * ``date``: within an item, the element or string holding its date; default: the first full date in the
      item's text outside its links;
    * ``next``: on the document, the next-page link (element or ``@href``).
    """

    item: str | None = None
    link: str | None = None
    date: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class ListEntry:
    url: str  # absolute, fragment dropped
    title: str
    date: date | None


@dataclass(frozen=True)
class ListPage:
    entries: list[ListEntry]
    next_url: str | None  # None on the last page
    # Every page of the column, first to last, when the page announces the count (TRS scripts); else empty.
    page_urls: list[str] = field(default_factory=list)


# -- entries --------------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    node: etree._Element
    links: list[etree._Element]
    date: date | None


def _link_title(link: etree._Element, skip: set[etree._Element] = frozenset()) -> str:
    # Lists shorten long titles ("关于印发…的通…"); the title attribute usually holds the whole one.
    title = collapse(link.get("title"))
    if title:
        return title
    return " ".join(line.text for line in _html.lines(link, skip=skip, cells_inline=True))


def _text_outside(node: etree._Element, links: list[etree._Element]) -> str:
    return " ".join(line.text for line in _html.lines(node, skip=links, cells_inline=True))


def _row_date(node: etree._Element, links: list[etree._Element]) -> tuple[date | None, set[etree._Element]]:
    """The row's date, written outside its links; failing that, a date-only element inside a link (some lists
    wrap the whole row in the ``<a>``), returned so the title can leave it out."""
    found = _html.find_date(_text_outside(node, links))
    if found is not None:
        return found, set()
    for link in links:
        for inner in link.iterdescendants():
            text = text_of(inner)
            if text and _html.DATE_IN_TEXT.fullmatch(compact(text).strip("[]()【】（）")):
                return _html.find_date(text), {inner}
    return None, set()


def _link_rows(page: Page) -> list[tuple[etree._Element, str, etree._Element]]:
    """(link, absolute URL, row) for every usable link outside the chrome."""
    links = []
    for link in page.root.iter("a"):
        url = absolute_url(link.get("href"), page.base_url)
        if url is not None and not in_chrome(link):
            links.append((link, url))
    urls_below: dict[etree._Element, set[str]] = {}
    for link, url in links:
        for node in (link, *link.iterancestors()):
            urls_below.setdefault(node, set()).add(url)
    out = []
    for link, url in links:
        row = link
        for parent in link.iterancestors():
            if _html.tag_of(parent) in ("body", "html") or len(urls_below[parent]) > 1:
                break
            row = parent
        out.append((link, url, row))
    return out


def _rows(page: Page) -> tuple[list[_Row], dict[etree._Element, str]]:
    grouped: dict[etree._Element, list[etree._Element]] = {}
    url_of: dict[etree._Element, str] = {}
    for link, url, row in _link_rows(page):
        grouped.setdefault(row, []).append(link)
        url_of[link] = url
    merged: dict[etree._Element, tuple[list[etree._Element], date | None]] = {}
    for node, links in grouped.items():
        found, _ = _row_date(node, links)
        parent = node.getparent()
        if found is None and parent is not None and _html.tag_of(parent) not in ("body", "html"):
            # A row with a second link (a category tag, a 解读 link) stops one level short: look one level up,
            # where a handful of links still means one item rather than a list.
            siblings = [a for a in parent.iter("a") if a in url_of]
            if 1 < len({url_of[a] for a in siblings}) <= 3:
                up, _ = _row_date(parent, siblings)
                if up is not None:
                    merged[parent] = (siblings, up)
                    continue
        merged.setdefault(node, (links, found))
    return [_Row(node, links, found) for node, (links, found) in merged.items()], url_of


def _container_key(rows: list[_Row]) -> dict[int, etree._Element]:
    """For each row (by index), the nearest ancestor holding two or more rows."""
    count: Counter = Counter()
    for row in rows:
        for ancestor in row.node.iterancestors():
            count[ancestor] += 1
    keys = {}
    for i, row in enumerate(rows):
        parent = row.node.getparent()
        keys[i] = next((a for a in row.node.iterancestors() if count[a] >= 2), parent)
    return keys


def _best_link(row: _Row, rows_per_url: Counter, url_of: dict[etree._Element, str]) -> etree._Element:
    """The row's link to its document: a URL no other row shares (category and "more" links repeat), then the
    longest title."""
    return max(row.links, key=lambda a: (rows_per_url[url_of[a]] == 1, len(_link_title(a))))


def _auto_entries(page: Page) -> list[ListEntry]:
    rows, url_of = _rows(page)
    if not rows:
        return []
    keys = _container_key(rows)
    rows_per_url = Counter(url for row in rows for url in {url_of[a] for a in row.links})
    dated_per_key: Counter = Counter()
    title_chars: Counter = Counter()
    for i, row in enumerate(rows):
        if row.date is not None:
            dated_per_key[keys[i]] += 1
            title_chars[keys[i]] += len(_link_title(_best_link(row, rows_per_url, url_of)))
    if not dated_per_key:
        return []
    order = _html.document_order(page.root)
    winner = max(dated_per_key, key=lambda k: (dated_per_key[k], title_chars[k], -order.get(k, 0)))
    # The list, plus its siblings of the same tag and class (a TRS list cut into chunks; a last chunk of one item
    # has no container of its own, so membership is by being inside one of these areas).
    areas = {winner}
    parent = winner.getparent()
    if parent is not None:
        areas |= {sib for sib in parent if sib.tag == winner.tag and sib.get("class") == winner.get("class")}
    inside = {
        i for i, row in enumerate(rows) if any(a in areas for a in (row.node, *row.node.iterancestors()))
    }
    row_tags = Counter(rows[i].node.tag for i in inside if rows[i].date is not None)
    main_tag = row_tags.most_common(1)[0][0]

    entries: list[ListEntry] = []
    seen: set[str] = set()
    for i, row in sorted(enumerate(rows), key=lambda item: order.get(item[1].node, 0)):
        if i not in inside:
            continue
        link = _best_link(row, rows_per_url, url_of)
        _, date_nodes = _row_date(row.node, row.links)
        title = _link_title(link, date_nodes)
        if row.date is None and (
            row.node.tag != main_tag or len(title) < MIN_TITLE_CHARS or compact(title).lower() in NOT_ENTRIES
        ):
            continue
        url = url_of[link]
        if url not in seen and title:
            seen.add(url)
            entries.append(ListEntry(url, title, row.date))
    return entries


def _selected_entries(page: Page, selectors: ListSelectors) -> list[ListEntry]:
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for item in select(selectors.item, page.root):
        if not isinstance(item, etree._Element):
            continue
        anchors = [a for a in item.iter("a") if absolute_url(a.get("href"), page.base_url)]
        if selectors.link:
            picked = select(selectors.link, item)
        else:
            picked = sorted(anchors, key=lambda a: -len(_link_title(a)))[:1]
        if not picked:
            continue
        target = picked[0]
        if isinstance(target, str):
            url = absolute_url(target, page.base_url)
            match = [a for a in anchors if absolute_url(a.get("href"), page.base_url) == url]
            title = _link_title(match[0]) if match else _text_outside(item, [])
        else:
            url = absolute_url(target.get("href"), page.base_url)
            title = _link_title(target)
        if selectors.date:
            found = next(
                (d for d in map(_html.find_date, map(text_of, select(selectors.date, item))) if d), None
            )
        else:
            found = _html.find_date(_text_outside(item, anchors)) or _html.find_date(text_of(item))
        if url and url not in seen:
            seen.add(url)
            entries.append(ListEntry(url, title, found))
    return entries


# -- pagination -----------------------------------------------------------------------------------------------------

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_ASSIGNED_NUMBER = re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*([0-9]+)\s*(?=;|,|//|\n|$)", re.MULTILINE)
_PAGED_NAME = re.compile(r"^(?P<prefix>[\w-]+?)(?:_(?P<n>[0-9]+))?\.(?P<ext>s?html?|jsp|php|aspx?)$", re.I)


@dataclass(frozen=True)
class _Paging:
    count: int
    current: int
    prefix: str
    ext: str

    def url(self, page_url: str, k: int) -> str:
        name = f"{self.prefix}.{self.ext}" if k == 0 else f"{self.prefix}_{k}.{self.ext}"
        return urljoin(page_url, name)


def _script_paging(scripts: str, page_url: str) -> _Paging | None:
    """The TRS page count, current page and file names announced by the page's scripts."""
    variables: dict[str, int] = {}
    for name, value in _ASSIGNED_NUMBER.findall(scripts):
        variables.setdefault(name, int(value))

    def number(arg: str) -> int | None:
        arg = arg.strip()
        return int(arg) if arg.isdigit() else variables.get(arg)

    count = current = None
    prefix, ext = "", ""
    if match := _CREATE_PAGE.search(scripts):
        args = [a.strip() for a in match.group(1).split(",")]
        if args and args[0][:1] in "'\"":
            args = args[1:]  # createPageHTML('page_div', 5, 0, 'index', 'html', 80): an element id first
        if len(args) >= 2:
            count, current = number(args[0]), number(args[1])
        strings = [a.strip("'\" ") for a in args[2:4]]
        if strings and strings[0]:
            prefix = strings[0]
        if len(strings) > 1 and strings[1]:
            ext = strings[1]
    if count is None:
        count = variables.get("countPage")
    if count is None:
        return None
    if current is None:
        current = variables.get("currentPage")

    # File names (and, when the script does not say, the current page) from the page's own URL.
    name_match = _PAGED_NAME.match(basename(urlsplit(page_url).path))
    if name_match and (not prefix or name_match["prefix"] == prefix):
        prefix = prefix or name_match["prefix"]
        ext = ext or name_match["ext"]
        if current is None:
            current = int(name_match["n"] or 0)
    return _Paging(count, current or 0, prefix or "index", ext or "html")


def _is_next_link(link: etree._Element) -> bool:
    label = compact(text_of(link)).lower() or compact(link.get("title") or "").lower()
    if label in NEXT_TEXTS:
        return True
    names = f"{link.get('class') or ''} {link.get('id') or ''}".lower().split()
    return not label and any(n in ("next", "next-page", "nextpage", "page-next") for n in names)


def _next_from_links(page: Page, page_url: str) -> tuple[bool, str | None]:
    """(whether the page has a next-page control at all, the URL it leads to)."""
    here = absolute_url(page_url, page_url)
    seen_control = False
    for link in page.root.iter("a"):
        if not _is_next_link(link):
            continue
        seen_control = True
        url = absolute_url(link.get("href"), page.base_url)
        if url and url != here:
            return True, url
    return seen_control, None


def _next_from_selector(page: Page, expr: str, page_url: str) -> str | None:
    here = absolute_url(page_url, page_url)
    for item in select(expr, page.root):
        href = item if isinstance(item, str) else item.get("href")
        url = absolute_url(href, page.base_url)
        if url and url != here:
            return url
    return None


def parse_list_page(html: str, page_url: str, selectors: ListSelectors | None = None) -> ListPage:
    """Entries and pagination of one list page; ``page_url`` is where it was fetched from (for relative links)."""
    selectors = selectors or ListSelectors()
    page = parse_html(html, page_url)
    entries = _selected_entries(page, selectors) if selectors.item else _auto_entries(page)

    paging = _script_paging(page.scripts, page_url)
    page_urls: list[str] = []
    script_next = None
    if paging and paging.count > 0:
        page_urls = [paging.url(page_url, k) for k in range(min(paging.count, MAX_PAGE_URLS))]
        if paging.current + 1 < paging.count:
            script_next = paging.url(page_url, paging.current + 1)

    if selectors.next:
        next_url = _next_from_selector(page, selectors.next, page_url)
    else:
        _, link_next = _next_from_links(page, page_url)
        next_url = link_next or script_next
    return ListPage(entries, next_url, page_urls)
