"""List pages → entries and the next page, on the sample columns and on layouts they do not cover."""

from __future__ import annotations

from datetime import date

import pytest

from ckanext.hlj.harvesters.site.listing import ListEntry, ListSelectors, parse_list_page

from .conftest import BASE, page_text

FGW_PAGES = ["fgw/xxgk/index.html", "fgw/xxgk/index_1.html", "fgw/xxgk/index_2.html"]
SFT_PAGES = ["sft/zwgk/list.html", "sft/zwgk/list_2.html", "sft/zwgk/list_3.html"]


def parse(rel: str, selectors: ListSelectors | None = None):
    return parse_list_page(page_text(rel), BASE + rel, selectors)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# -- the TRS-style GBK column ---------------------------------------------------------------------------------------


def test_fgw_entries_counts_urls_dates_and_full_titles():
    pages = [parse(rel) for rel in FGW_PAGES]
    assert [len(p.entries) for p in pages] == [8, 8, 6]
    first = pages[0].entries[0]
    assert first == ListEntry(
        BASE + "fgw/xxgk/201706/t20170628_245310.html",
        "关于印发《黑龙江省发展和改革委员会2017年政务公开工作要点》的通知",  # the title attribute, not "…要…"
        date(2017, 6, 28),
    )
    assert all(e.date is not None and "…" not in e.title for p in pages for e in p.entries)
    assert pages[1].entries[5] == ListEntry(
        BASE + "fgw/xxgk/201703/t20170320_123456.html",
        "关于贯彻落实《关于全面推进政务公开工作的实施意见》的通知",
        date(2017, 3, 20),
    )


def test_fgw_gbk_only_characters_reach_the_title():
    titles = [e.title for e in parse(FGW_PAGES[0]).entries]
    assert "关于表彰王喆、李堃等政务公开工作先进个人的通报" in titles


def test_fgw_last_chunk_of_a_split_list_is_kept():
    # index_2 prints five items, a rule, then a one-item <ul>.
    assert parse(FGW_PAGES[2]).entries[-1].url == BASE + "fgw/xxgk/201701/t20170105_230120.html"


def test_fgw_sidebar_header_and_script_links_are_not_entries():
    urls = {e.url for rel in FGW_PAGES for e in parse(rel).entries}
    assert not any("t20170101_000000" in u for u in urls)  # written by document.write in a script
    assert not any(u.endswith(("index.html", "zwdt/index.html")) for u in urls)  # navigation
    # 热点关注 lists t20170320 on every page; only page 2's list has it.
    assert [any("t20170320_123456" in e.url for e in parse(rel).entries) for rel in FGW_PAGES] == [
        False,
        True,
        False,
    ]


def test_fgw_off_site_and_repeated_entries_are_reported_as_listed():
    second = parse(FGW_PAGES[1]).entries
    assert (
        second[0].url == parse(FGW_PAGES[0]).entries[-1].url
    )  # repeated across pages; the harvester dedupes
    assert second[3].url == "http://www.gov.cn.invalid/zhengce/content/2017-04/12/content_0412001.htm"


def test_fgw_pagination_from_create_page_html():
    expected = [BASE + rel for rel in FGW_PAGES]
    results = [parse(rel) for rel in FGW_PAGES]
    assert [r.next_url for r in results] == [expected[1], expected[2], None]
    assert all(r.page_urls == expected for r in results)


# -- the UTF-8 column with 下一页 links -------------------------------------------------------------------------------


def test_sft_entries():
    pages = [parse(rel) for rel in SFT_PAGES]
    assert [len(p.entries) for p in pages] == [6, 6, 4]
    assert pages[0].entries[0] == ListEntry(
        BASE + "sft/zwgk/art/2017/6/26/art_3201_57310.html",
        "关于做好2017年全省高校毕业生就业信息公开工作的通知",
        date(2017, 6, 26),
    )
    # The row dated 二〇一七年三月二十日.
    assert pages[1].entries[2].date == date(2017, 3, 20)
    assert pages[1].entries[2].url.endswith("art/2017/3/20/art_3201_55801.html")


def test_sft_pagination_from_next_links_and_none_on_the_last_page():
    results = [parse(rel) for rel in SFT_PAGES]
    assert [r.next_url for r in results] == [BASE + SFT_PAGES[1], BASE + SFT_PAGES[2], None]
    assert all(r.page_urls == [] for r in results)  # no page count announced


# -- detection on other layouts ---------------------------------------------------------------------------------------

ITEMS = [
    ("a1.html", "关于开展政务公开培训的通知"),
    ("a2.html", "关于公布权责清单的公告"),
    ("a3.html", "年度报告"),
]


def test_dates_without_a_year_are_not_enough():
    rows = "".join(f'<li><a href="{u}">{t}</a><span>[03-2{i}]</span></li>' for i, (u, t) in enumerate(ITEMS))
    assert parse_list_page(page(f"<ul>{rows}</ul>"), BASE).entries == []


@pytest.mark.parametrize(
    "written", ["2017-03-20", "2017/3/20", "2017.03.20", "2017年3月20日", "［2017-03-20］"]
)
def test_div_items_with_each_date_form(written):
    rows = "".join(
        f'<div class="item"><a href="/xxgk/{u}">{t}</a><span class="time">{written}</span></div>'
        for u, t in ITEMS
    )
    result = parse_list_page(page(f'<div class="list">{rows}</div>'), "http://x.example/a/b/list.html")
    assert [e.url for e in result.entries] == [f"http://x.example/xxgk/{u}" for u, _ in ITEMS]
    assert {e.date for e in result.entries} == {date(2017, 3, 20)}


def test_one_ul_per_item_and_dates_inside_the_link():
    rows = "".join(
        f'<ul><li><a href="{u}"><span class="t">{t}</span><span class="d">2017-03-2{i}</span></a></li></ul>'
        for i, (u, t) in enumerate(ITEMS)
    )
    result = parse_list_page(page(f'<div class="news">{rows}</div>'), BASE)
    assert [(e.title, e.date) for e in result.entries] == [
        (t, date(2017, 3, 20 + i)) for i, (_, t) in enumerate(ITEMS)
    ]


def test_a_category_link_beside_the_title_link():
    rows = "".join(
        f'<li><a href="../tzgg/">[通知公告]</a> <a href="{u}">{t}</a> <em>2017-03-20</em></li>'
        for u, t in ITEMS
    )
    result = parse_list_page(page(f"<ul>{rows}</ul>"), BASE + "x/list.html")
    assert [e.url for e in result.entries] == [BASE + "x/" + u for u, _ in ITEMS]


def test_the_longest_dated_list_wins_and_navigation_is_ignored_however_long():
    nav = "".join(f'<li><a href="n{i}.html">栏目{i}导航链接</a> 2017-01-0{i}</li>' for i in range(1, 10))
    side = "".join(f'<li><a href="s{i}.html">侧栏热点文章{i}</a>[2016-12-0{i}]</li>' for i in range(1, 3))
    main = "".join(f'<li><a href="{u}">{t}</a><span>2017-03-20</span></li>' for u, t in ITEMS)
    html = page(
        f'<div class="nav"><ul>{nav}</ul></div><ul class="side">{side}</ul><ul class="main">{main}</ul>'
    )
    assert [e.url for e in parse_list_page(html, BASE).entries] == [BASE + u for u, _ in ITEMS]


def test_undated_rows_of_the_list_are_kept_but_pager_links_are_not():
    rows = "".join(f'<li><a href="{u}">{t}</a><span>2017-03-20</span></li>' for u, t in ITEMS)
    rows += '<li><a href="a4.html">关于一件没有日期的事项的说明</a></li>'
    rows += '<li class="pager"><a href="list_2.html">2</a> <a href="list_9.html">尾页</a></li>'
    result = parse_list_page(page(f"<ul>{rows}</ul>"), BASE)
    assert [e.url for e in result.entries][-1] == BASE + "a4.html"
    assert result.entries[-1].date is None
    assert len(result.entries) == 4


def test_base_href_and_fragments():
    rows = "".join(f'<li><a href="{u}#top">{t}</a> 2017-03-20</li>' for u, t in ITEMS)
    html = page(f"<ul>{rows}</ul>", '<base href="http://cdn.example/zwgk/">')
    assert [e.url for e in parse_list_page(html, BASE).entries] == [
        f"http://cdn.example/zwgk/{u}" for u, _ in ITEMS
    ]


def test_script_and_style_text_never_becomes_a_title_or_date():
    rows = "".join(
        f'<li><a href="{u}">{t}<script>document.write("2099-01-01")</script></a><span>2017-03-20</span></li>'
        for u, t in ITEMS
    )
    result = parse_list_page(page(f"<ul>{rows}</ul><style>li:after{{content:'2017-01-01'}}</style>"), BASE)
    assert [(e.title, e.date) for e in result.entries] == [(t, date(2017, 3, 20)) for _, t in ITEMS]


# -- pagination -------------------------------------------------------------------------------------------------------

LIST = "".join(f'<li><a href="{u}">{t}</a> 2017-03-20</li>' for u, t in ITEMS)


@pytest.mark.parametrize(
    "control",
    [
        '<a href="list_2.html">下一页</a>',
        '<a href="list_2.html">下页</a>',
        '<a href="list_2.html">后一页</a>',
        '<a href="list_2.html">&gt;</a>',
        '<a href="list_2.html">＞</a>',
        '<a href="list_2.html"> 下一页 &gt; </a>',
        '<a href="list_2.html" title="下一页"><img src="next.gif"></a>',
    ],
)
def test_next_link_forms(control):
    html = page(f'<ul>{LIST}</ul><div class="page"><a href="list.html">首页</a> {control}</div>')
    assert parse_list_page(html, BASE + "zwgk/list.html").next_url == BASE + "zwgk/list_2.html"


@pytest.mark.parametrize(
    "control",
    [
        '<a href="javascript:void(0)">下一页</a>',
        '<a href="#">下一页</a>',
        '<a href="list_3.html">下一页</a>',  # the page itself
        "<span>下一页</span>",
        '<a href="list_9.html">尾页</a> <a href="list_4.html">&gt;&gt;</a>',
    ],
)
def test_no_next_page(control):
    html = page(f"<ul>{LIST}</ul><div>{control}</div>")
    assert parse_list_page(html, BASE + "zwgk/list_3.html").next_url is None


def test_create_page_html_with_an_element_id_and_variables():
    script = """<script>var currentPage = 1;//所在页从0开始
var countPage = 5//共多少页
createPageHTML('page_div', countPage, currentPage, 'index', 'shtml', 86);</script>"""
    result = parse_list_page(page(f"<ul>{LIST}</ul>{script}"), "http://x.example/col/index_1.shtml")
    assert result.next_url == "http://x.example/col/index_2.shtml"
    assert result.page_urls == ["http://x.example/col/index.shtml"] + [
        f"http://x.example/col/index_{k}.shtml" for k in range(1, 5)
    ]


@pytest.mark.parametrize(
    ("url", "expected_next"),
    [
        ("http://x.example/col/", "http://x.example/col/index_1.html"),
        ("http://x.example/col/index.html", "http://x.example/col/index_1.html"),
        ("http://x.example/col/index_2.html", "http://x.example/col/index_3.html"),
        ("http://x.example/col/index_3.html", None),
    ],
)
def test_count_page_alone_takes_the_current_page_from_the_url(url, expected_next):
    result = parse_list_page(page(f"<ul>{LIST}</ul><script>var countPage = 4//共多少页</script>"), url)
    assert result.next_url == expected_next
    assert len(result.page_urls) == 4 and result.page_urls[0] == "http://x.example/col/index.html"


def test_a_single_page_column_has_no_next():
    result = parse_list_page(
        page(f'<ul>{LIST}</ul><script>createPageHTML(1, 0, "index", "html");</script>'), BASE
    )
    assert result.next_url is None and result.page_urls == [BASE + "index.html"]


# -- selectors (XPath; cssselect is not installed) ------------------------------------------------------------------


def test_selectors_override_detection():
    body = """
    <div id="hot"><p class="row"><a href="h1.html">热点一二三四</a> 2017-05-01</p>
                  <p class="row"><a href="h2.html">热点五六七八</a> 2017-05-02</p>
                  <p class="row"><a href="h3.html">热点九十十一</a> 2017-05-03</p></div>
    <table id="docs">
      <tr><td><a href="cat.html">分类</a></td><td><a href="d1.html">文件一</a></td><td>成文 2017-01-01</td>
          <td class="pub">2017-03-20</td></tr>
      <tr><td><a href="cat.html">分类</a></td><td><a href="d2.html">文件二</a></td><td>成文 2017-01-02</td>
          <td class="pub">2017-03-21</td></tr>
    </table>
    <p><a class="more" href="page2.html">more</a></p>"""
    selectors = ListSelectors(
        item="//table[@id='docs']//tr",
        link="./td[2]/a/@href",
        date="./td[@class='pub']",
        next="//a[@class='more']",
    )
    result = parse_list_page(page(body), BASE, selectors)
    assert result.entries == [
        ListEntry(BASE + "d1.html", "文件一", date(2017, 3, 20)),
        ListEntry(BASE + "d2.html", "文件二", date(2017, 3, 21)),
    ]
    assert result.next_url == BASE + "page2.html"


def test_item_selector_alone_picks_the_longest_link_and_first_date():
    body = '<div class="x"><a href="c.html">类</a><a href="d.html">一份文件的完整标题</a> 2017年3月20日</div>'
    result = parse_list_page(page(body), BASE, ListSelectors(item="//div[@class='x']"))
    assert result.entries == [ListEntry(BASE + "d.html", "一份文件的完整标题", date(2017, 3, 20))]


def test_empty_and_broken_markup_does_not_raise():
    assert parse_list_page("", BASE).entries == []
    assert parse_list_page('<?xml version="1.0" encoding="gbk"?><html><body><ul><li><a href="a.html">x', BASE)
    assert parse_list_page("\x00\x01<a href='a.html'>测试</a>", BASE).next_url is None
