"""RSS, Atom and JSON list APIs → entries; hostile XML is refused without being expanded."""

from __future__ import annotations

import json
import time
import tracemalloc
from datetime import date, datetime

import pytest

from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.harvesters.site.feeds import JsonPaths, parse_feed, parse_feed_date, parse_json_list
from ckanext.hlj.harvesters.site.listing import ListEntry

from .conftest import BASE, page_bytes

# -- RSS and Atom ---------------------------------------------------------------------------------------------------


def test_sample_rss():
    entries = parse_feed(page_bytes("sft/zwgk/rss.xml"), BASE + "sft/zwgk/rss.xml")
    assert len(entries) == 8
    first = entries[0]
    assert (
        first.url == "http://localhost:8765/sft/zwgk/art/2017/6/26/art_3201_57310.html"
    )  # absolute in the feed
    assert first.title == "关于做好2017年全省高校毕业生就业信息公开工作的通知"
    assert first.guid == "rst-art_3201_57310"
    assert first.published_at == datetime(2017, 6, 26, 10, 0, tzinfo=SHANGHAI)
    assert first.summary.startswith("各地要通过政府网站") and "<p>" not in first.summary
    # The item whose pubDate is "2017-06-02 09:00:00" rather than RFC 822.
    assert entries[2].published_at == datetime(2017, 6, 2, 9, 0, tzinfo=SHANGHAI)


def test_sample_atom_in_gbk_with_relative_links():
    entries = parse_feed(page_bytes("fgw/xxgk/atom.xml"), BASE + "fgw/xxgk/atom.xml")
    assert [e.url for e in entries][:2] == [
        BASE + "fgw/xxgk/201706/t20170628_245310.html",
        BASE + "fgw/xxgk/201706/t20170620_244876.html",
    ]
    assert len(entries) == 6
    assert entries[5].title == "关于表彰王喆、李堃等政务公开工作先进个人的通报"  # GBK-only characters
    assert entries[0].published_at == datetime(2017, 6, 28, 10, 30, tzinfo=SHANGHAI)
    assert entries[0].guid == "tag:fgw.example,2017:t20170628_245310"
    assert "<" not in entries[0].summary


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://cms.example/col/">
<entry><title type="html">&lt;b&gt;通知&lt;/b&gt; &amp;amp; 公告</title>
<link rel="enclosure" href="a.pdf"/><link rel="alternate" href="art/1.html#c"/>
<id>urn:1</id><updated>2017-03-20T02:30:00Z</updated>
<content type="html">&lt;p&gt;正文&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</content></entry>
<entry><title>无链接</title><id>urn:2</id></entry>
</feed>"""


def test_atom_xml_base_alternate_link_and_html_text():
    entries = parse_feed(ATOM.encode(), "http://elsewhere.example/feed.xml")
    assert len(entries) == 1  # the entry without a link is left out
    entry = entries[0]
    assert entry.url == "http://cms.example/col/art/1.html"
    assert entry.title == "通知 & 公告"
    assert entry.summary == "正文"
    assert entry.published_at == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)  # 02:30 UTC


def test_rss_guid_permalink_stands_in_for_a_missing_link():
    rss = """<rss version="2.0"><channel>
    <item><title>a</title><guid>http://x.example/a.html</guid></item>
    <item><title>b</title><guid isPermaLink="false">id-b</guid></item>
    <item><title>c</title><link> /c.html </link><pubDate>Mon, 20 Mar 2017 10:30:00 GMT</pubDate></item>
    </channel></rss>"""
    entries = parse_feed(rss.encode(), "http://x.example/rss.xml")
    assert [(e.url, e.guid) for e in entries] == [
        ("http://x.example/a.html", "http://x.example/a.html"),
        ("http://x.example/c.html", "http://x.example/c.html"),
    ]
    assert entries[1].published_at == datetime(2017, 3, 20, 18, 30, tzinfo=SHANGHAI)


def test_an_empty_atom_link_in_an_rss_item_does_not_hide_its_link_and_text_input_works():
    rss = """<?xml version="1.0" encoding="GBK"?><rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>
    <item><title>甲</title><atom:link rel="self"/><link>http://x.example/a.html</link></item></channel></rss>"""
    [entry] = parse_feed(rss, "http://x.example/")  # text, as if already decoded
    assert (entry.url, entry.title) == ("http://x.example/a.html", "甲")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Mon, 20 Mar 2017 10:30:00 +0800", datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)),
        ("2017-03-20T10:30:00+08:00", datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)),
        ("2017-03-20 10:30:00", datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)),
        ("2017年3月20日", datetime(2017, 3, 20, tzinfo=SHANGHAI)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_feed_dates(written, expected):
    assert parse_feed_date(written) == expected


def test_rdf_rss_1_0():
    rdf = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>t</title></channel>
    <item rdf:about="http://x.example/1"><title>一</title><link>http://x.example/1</link>
    <dc:date>2017-03-20T10:30:00+08:00</dc:date></item></rdf:RDF>"""
    [entry] = parse_feed(rdf.encode(), "http://x.example/")
    assert entry.published_at == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + "]>"
        f'<rss version="2.0"><channel><item><title>&lol{levels - 1};</title>'
        "<link>http://x.example/a</link></item></channel></rss>"
    ).encode()


def test_billion_laughs_is_refused_without_expanding():
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(InvalidValue) as refused:
            parse_feed(billion_laughs(), "http://x.example/")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.code == "feed_entities"
    assert time.monotonic() - started < 2
    assert peak < 5_000_000  # fully expanded, &lol9; would be 10^9 characters


def test_external_entities_are_refused():
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <rss><channel><item><title>&x;</title><link>http://x.example/a</link></item></channel></rss>"""
    with pytest.raises(InvalidValue) as refused:
        parse_feed(xxe, "http://x.example/")
    assert refused.value.code == "feed_entities"


@pytest.mark.parametrize("body", [b"<html><body>not a feed</body></html>", b"", b"\xff\xfe\x00garbage"])
def test_not_a_feed(body):
    with pytest.raises(InvalidValue) as error:
        parse_feed(body, "http://x.example/")
    assert error.value.code == "feed_invalid"
    assert "订阅源" in error.value.zh and "Feed" in error.value.en


# -- JSON list APIs -------------------------------------------------------------------------------------------------

API = BASE + "fgw/api/list.json"


def sample_json(name: str = "list.json") -> object:
    return json.loads(page_bytes(f"fgw/api/{name}"))


def test_sample_api_with_a_next_url_in_the_response():
    paths = JsonPaths(items="data.list", url="url", title="title", date="pubDate", next="data.nextPage")
    entries, next_url = parse_json_list(sample_json(), paths, API)
    assert len(entries) == 10
    assert entries[0] == ListEntry(
        BASE + "fgw/xxgk/201706/t20170628_245310.html",
        "关于印发《黑龙江省发展和改革委员会2017年政务公开工作要点》的通知",
        date(2017, 6, 28),
    )
    assert next_url == BASE + "fgw/api/list_2.json"
    entries, next_url = parse_json_list(sample_json("list_2.json"), paths, BASE + "fgw/api/list_2.json")
    assert len(entries) == 10 and next_url is None


def test_page_number_scheme_and_epoch_milliseconds():
    paths = JsonPaths(
        items="data.list", date="pubTime", page_param="page", page="data.pageNo", total_pages="data.totalPage"
    )
    entries, next_url = parse_json_list(sample_json(), paths, API + "?size=10&page=1")
    assert entries[0].date == date(2017, 6, 28)  # 10:30 Beijing time, whatever the server's zone
    assert next_url == API + "?size=10&page=2"
    assert parse_json_list(sample_json("list_2.json"), paths, API + "?page=2")[1] is None


def test_next_as_a_page_number_and_url_template_and_root_list():
    data = {"rows": [{"id": 7, "t": "一"}, {"id": None, "t": "无编号"}, {"id": 8, "t": "二"}], "next": 3}
    paths = JsonPaths(
        items="rows", url="id", title="t", url_template="/art/{}.html", next="next", page_param="p"
    )
    entries, next_url = parse_json_list(data, paths, "http://x.example/api?p=2")
    assert [(e.url, e.title, e.date) for e in entries] == [
        ("http://x.example/art/7.html", "一", None),
        ("http://x.example/art/8.html", "二", None),
    ]
    assert next_url == "http://x.example/api?p=3"
    root = [{"url": "a.html", "title": "甲", "d": "2017年3月20日"}, {"url": "a.html", "title": "重复"}]
    entries, next_url = parse_json_list(json.dumps(root), JsonPaths(items="", date="d"), "http://x.example/")
    assert entries == [ListEntry("http://x.example/a.html", "甲", date(2017, 3, 20))] and next_url is None


def test_dotted_paths_index_lists():
    data = {"result": [{"docs": [{"link": {"href": "/d.html"}, "name": "文"}]}]}
    entries, _ = parse_json_list(data, JsonPaths(items="result.0.docs", url="link.href", title="name"), BASE)
    assert entries == [ListEntry(BASE + "d.html", "文", None)]


@pytest.mark.parametrize("data", [{"data": {"list": None}}, {"data": []}, [], "not json {"])
def test_a_missing_list_means_the_api_changed(data):
    with pytest.raises(InvalidValue) as error:
        parse_json_list(data, JsonPaths(items="data.list"), BASE)
    assert error.value.code in ("json_items", "json_invalid")
