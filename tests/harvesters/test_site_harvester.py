"""The hlj_site harvester end to end: fixture department sites served on loopback, jobs through ckanext-harvest's
real Redis queues, records in PostgreSQL and Solr."""

from __future__ import annotations

import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .runner import purge, report, run_job
from .server import Reply, server_fixture

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

site = server_fixture()

LIST = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府信息公开_黑龙江省发展和改革委员会</title><script>var x = 1;</script></head><body>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
<div class="list"><ul>{items}</ul></div>
<div class="page">{paging}</div>
<div class="footer"><a href="/about.html">关于我们</a> 2017-01-01</div></body></html>"""

DETAIL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_黑龙江省发展和改革委员会</title></head><body>
<table class="xxgk-meta">
<tr><td>索 引 号：</td><td>{index_no}</td><td>主题分类：</td><td>综合政务\\其他</td></tr>
<tr><td>发文机关：</td><td>黑龙江省发展和改革委员会</td><td>成文日期：</td><td>{written}</td></tr>
<tr><td>文　　号：</td><td>{doc_number}</td><td>发布日期：</td><td>{published}</td></tr>
<tr><td>有 效 性：</td><td>有效</td><td>主 题 词：</td><td>政务公开</td></tr>
</table>
<h1 class="title">{title}</h1>
<div class="TRS_Editor"><p>各市（地）发展改革委：</p><p>{body}</p>
<p><a href="./P020170320.pdf">附件：实施方案.pdf</a></p></div>
</body></html>"""


def gbk(text: str) -> bytes:
    return text.encode("gb18030")


def item(n: int, date: str) -> str:
    return f'<li><a href="./201703/t2017032{n}_{1000 + n}.html" title="doc">关于推进政务公开工作的通知（第{n}号）</a><span>{date}</span></li>'


def publish_list(server, path: str, numbers: list[int], paging: str = "") -> None:
    items = "".join(item(n, f"2017-03-{10 + n:02d}") for n in numbers)
    server.route(path, gbk(LIST.format(items=items, paging=paging)), content_type="text/html")


def publish_detail(
    server, n: int, *, body: str = "现将有关事项通知如下。", index_no: str | None = None, **reply
) -> None:
    html = DETAIL.format(
        title=f"关于推进政务公开工作的通知（第{n}号）",
        index_no=index_no or f"11230000MB0X12345F/2017-{n:05d}",
        written="2017年3月1日",
        doc_number=f"黑发改办[2017]{n}号",
        published=f"2017-03-{10 + n:02d}",
        body=body,
    )
    server.route(f"/xxgk/201703/t2017032{n}_{1000 + n}.html", gbk(html), content_type="text/html", **reply)


@pytest.fixture
def world(make_organization):
    purge()
    sysadmin = factories.Sysadmin()
    org = make_organization(name="hlj-fgw", title="黑龙江省发展和改革委员会", review_required=False)
    return {"sysadmin": sysadmin, "org": org}


def make_source(world, url: str, config: dict | None = None, name: str = "fgw-xxgk") -> dict:
    return call_action(
        "harvest_source_create",
        context={"user": world["sysadmin"]["name"]},
        name=name,
        title="省发改委信息公开",
        url=url,
        source_type="hlj_site",
        owner_org=world["org"]["id"],
        config=json.dumps(config or {}),
    )


def policies(world) -> dict[str, dict]:
    result = call_action(
        "package_search", fq='+dataset_type:"policy"', include_private=True, rows=100, sort="name asc"
    )
    return {p["doc_number"]: p for p in result["results"]}


def test_a_paginated_gbk_column_is_harvested_into_policy_records(site, world):
    publish_list(site, "/xxgk/index.html", [1, 2], '<a href="index_1.html">下一页</a>')
    publish_list(site, "/xxgk/index_1.html", [3], "")
    for n in (1, 2, 3):
        publish_detail(site, n)
    source = make_source(world, site.url("/xxgk/index.html"))

    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    assert job["stats"].get("added") == 3 and not job["stats"].get("errored"), report(
        job["id"], world["sysadmin"]["name"]
    )
    found = policies(world)
    assert set(found) == {"黑发改办〔2017〕1号", "黑发改办〔2017〕2号", "黑发改办〔2017〕3号"}
    record = found["黑发改办〔2017〕2号"]
    assert record["title"] == "关于推进政务公开工作的通知（第2号）"
    assert record["owner_org"] == world["org"]["id"] and record["issuer"] == "黑龙江省发展和改革委员会"
    assert record["written_date"] == "2017-03-01" and record["index_no"] == "11230000MB0X12345F/2017-00002"
    assert record["source_url"].endswith("/xxgk/201703/t20170322_1002.html")
    assert record["source_published_at"].startswith("2017-03-12") and record["first_seen_at"]
    assert "现将有关事项通知如下" in record["notes"] and "<p>" not in record["notes"]
    assert [r["format"] for r in record["resources"]] == ["PDF"]
    assert not record["private"]
    searched = call_action("package_search", q="政务公开工作")["count"]
    assert searched == 3, "harvested records are searchable in Chinese"


def test_a_rerun_fetches_only_new_items_and_stops_paging_at_known_ones(site, world):
    publish_list(site, "/xxgk/index.html", [1, 2], '<a href="index_1.html">下一页</a>')
    publish_list(site, "/xxgk/index_1.html", [3], "")
    for n in (1, 2, 3, 4):
        publish_detail(site, n)
    source = make_source(world, site.url("/xxgk/index.html"), {"full_crawl_days": 30})
    run_job(source["id"], world["sysadmin"]["name"])
    site.clear()

    publish_list(site, "/xxgk/index.html", [4, 1], '<a href="index_1.html">下一页</a>')
    publish_list(site, "/xxgk/index_1.html", [2, 3], "")
    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["stats"].get("added") == 1 and not job["stats"].get("updated"), job["stats"]
    fetched = [r.path for r in site.requests]
    assert fetched.count("/xxgk/index_1.html") == 0, "page 2 holds only known items and is not fetched"
    assert [p for p in fetched if "/201703/" in p] == ["/xxgk/201703/t20170324_1004.html"]
    assert len(policies(world)) == 4


def test_a_full_crawl_withdraws_what_the_source_no_longer_lists_and_keeps_it(site, world):
    publish_list(site, "/xxgk/index.html", [1, 2, 3])
    for n in (1, 2, 3):
        publish_detail(site, n)
    source = make_source(world, site.url("/xxgk/index.html"))
    run_job(source["id"], world["sysadmin"]["name"])

    from ckanext.hlj.harvesters import state  # noqa: PLC0415

    state.put(source["id"], "last_full_crawl")  # pretend the weekly crawl is due again:
    from ckan import model  # noqa: PLC0415

    with model.meta.engine.begin() as conn:
        conn.execute(state.state_table.update().values(updated=state.state_table.c.updated - _weeks(2)))
    publish_list(site, "/xxgk/index.html", [1, 3])
    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    found = policies(world)
    assert len(found) == 3, "nothing is deleted"
    assert found["黑发改办〔2017〕2号"]["source_withdrawn_at"], "the missing item is marked withdrawn"
    assert not found["黑发改办〔2017〕1号"].get("source_withdrawn_at")


def _weeks(n: int):
    import datetime as dt  # noqa: PLC0415

    return dt.timedelta(weeks=n)


def test_harvested_html_never_reaches_a_page_unescaped(app, site, world):
    publish_list(site, "/xxgk/index.html", [1])
    publish_detail(
        site,
        1,
        body='正文<script>alert("xss")</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">链接</a>',
    )
    source = make_source(world, site.url("/xxgk/index.html"))
    run_job(source["id"], world["sysadmin"]["name"])
    record = next(iter(policies(world).values()))

    page = app.get(f"/policy/{record['name']}").body
    assert "正文" in page
    assert "<script>alert" not in page and "onerror=" not in page and "javascript:alert" not in page


def test_failures_are_reported_per_object_and_the_job_still_finishes(site, world):
    publish_list(site, "/xxgk/index.html", [1, 2, 3, 4])
    publish_detail(site, 1)
    site.add("/xxgk/201703/t20170322_1002.html", Reply(503))  # down for every retry
    publish_detail(site, 3, index_no="11230000MB0X12345F/2017-00001")  # the same 索引号 as item 1
    site.route(
        "/xxgk/201703/t20170324_1004.html",
        gbk(
            DETAIL.format(
                title="", index_no="x/1", written="2017年13月40日", doc_number="", published="", body=""
            )
        ),
    )
    source = make_source(world, site.url("/xxgk/index.html"))

    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    assert job["stats"].get("errored") == 2, job["stats"]
    errors = report(job["id"], world["sysadmin"]["name"])["object_errors"]
    messages = json.dumps(errors, ensure_ascii=False)
    assert "t20170322_1002.html" in messages, "the error names the record"
    assert "t20170324_1004.html" in messages
    assert len(policies(world)) == 1, "item 3 updates item 1's record (same 索引号) instead of duplicating it"

    rerun = run_job(source["id"], world["sysadmin"]["name"])
    assert rerun["status"] == "Finished" and len(policies(world)) == 1


def test_a_gather_that_fails_finishes_the_job_with_its_error(site, world):
    site.add("/xxgk/index.html", Reply(500))
    source = make_source(world, site.url("/xxgk/index.html"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished"
    gather_errors = report(job["id"], world["sysadmin"]["name"])["gather_errors"]
    assert gather_errors and "500" in json.dumps(gather_errors, ensure_ascii=False)


def test_a_pagination_loop_and_an_oversized_page_end_the_walk_with_errors(site, world):
    publish_list(site, "/xxgk/index.html", [1], '<a href="index_1.html">下一页</a>')
    publish_list(site, "/xxgk/index_1.html", [2], '<a href="index.html">下一页</a>')
    publish_detail(site, 1)
    publish_detail(site, 2)
    source = make_source(world, site.url("/xxgk/index.html"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished" and job["stats"].get("added") == 2
    assert "pagination loop" in json.dumps(report(job["id"], world["sysadmin"]["name"])["gather_errors"])


@pytest.mark.ckan_config("ckanext.hlj.harvest.max_bytes", 2000)
def test_an_oversized_detail_page_is_an_object_error(site, world):
    publish_list(site, "/xxgk/index.html", [1, 2])
    publish_detail(site, 1)
    publish_detail(site, 2, body="很长的正文" * 1000)
    source = make_source(world, site.url("/xxgk/index.html"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished"
    assert job["stats"].get("added") == 1 and job["stats"].get("errored") == 1, job["stats"]


def test_bad_configs_and_disallowed_hosts_are_refused_when_the_source_is_saved(site, world):
    from ckan.logic import ValidationError  # noqa: PLC0415

    with pytest.raises(ValidationError) as error:
        make_source(world, site.url("/xxgk/index.html"), {"max_pages": 0, "mode": "ftp"})
    message = json.dumps(error.value.error_dict, ensure_ascii=False)
    assert "max_pages" in message and "mode" in message


@pytest.mark.ckan_config("ckanext.hlj.harvest.allowed_hosts", "*.gov.cn")
def test_a_host_off_the_allow_list_is_never_requested(site, world):
    publish_list(site, "/xxgk/index.html", [1])
    source = make_source(world, site.url("/xxgk/index.html"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished" and site.requests == []
    assert report(job["id"], world["sysadmin"]["name"])["gather_errors"]


def test_duplicates_garbled_pages_timeouts_and_a_crashing_import_leave_the_rest_imported(
    site, world, monkeypatch
):
    publish_list(site, "/xxgk/index.html", [1, 2, 3], '<a href="index_1.html">下一页</a>')
    publish_list(site, "/xxgk/index_1.html", [3, 4, 5, 6], "")  # item 3 again on page 2
    publish_detail(site, 1)
    publish_detail(site, 2)
    page3 = DETAIL.format(
        title="关于推进政务公开工作的通知（第3号）",
        index_no="11230000MB0X12345F/2017-00003",
        written="2017年3月1日",
        doc_number="黑发改办[2017]3号",
        published="2017-03-13",
        body="正文",
    )
    cut = gbk(page3)[: len(gbk(page3)) * 2 // 3]  # cut mid-page: no closing tags, maybe half a character
    site.route("/xxgk/201703/t20170323_1003.html", cut, content_type="text/html")
    site.slow("/xxgk/201703/t20170324_1004.html", delay=5)  # longer than the read timeout, every time
    publish_detail(site, 5, body="这一条的导入会出错")
    site.route(  # declared UTF-8, really GBK
        "/xxgk/201703/t20170326_1006.html",
        gbk(
            DETAIL.format(
                title="第6号",
                index_no="x/6",
                written="2017年3月1日",
                doc_number="黑发改办〔2017〕6号",
                published="2017-03-16",
                body="字符集声明错误的页面",
            )
        ),
        content_type="text/html",
        charset="utf-8",
    )

    from ckanext.hlj.harvesters import site_harvester  # noqa: PLC0415

    real = site_harvester.parse_detail_page

    def crashing(html, url, selectors=None):
        if "这一条的导入会出错" in html:
            raise RuntimeError("parser bug")
        return real(html, url, selectors)

    monkeypatch.setattr(site_harvester, "parse_detail_page", crashing)
    source = make_source(world, site.url("/xxgk/index.html"))

    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    assert site.count("/xxgk/201703/t20170323_1003.html") == 1, "an item listed twice is fetched once"
    found = policies(world)
    assert {
        "黑发改办〔2017〕1号",
        "黑发改办〔2017〕2号",
        "黑发改办〔2017〕3号",
        "黑发改办〔2017〕6号",
    } <= set(found)
    assert "字符集声明错误的页面" in found["黑发改办〔2017〕6号"]["notes"]
    messages = json.dumps(report(job["id"], world["sysadmin"]["name"])["object_errors"], ensure_ascii=False)
    assert "t20170324_1004.html" in messages and "t20170325_1005.html" in messages
    assert job["stats"].get("errored") == 2

    monkeypatch.setattr(site_harvester, "parse_detail_page", real)
    publish_detail(site, 4)
    again = run_job(source["id"], world["sysadmin"]["name"])
    assert again["status"] == "Finished"
    assert len(policies(world)) == 6, "the re-run adds what failed and duplicates nothing"


def test_rss_and_json_list_sources(site, world):
    for n in (1, 2, 3):
        publish_detail(site, n)
    rss = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>信息公开</title>
<item><title>第1号</title><link>{site.url("/xxgk/201703/t20170321_1001.html")}</link>
<pubDate>Sat, 11 Mar 2017 10:00:00 +0800</pubDate></item>
<item><title>第2号</title><link>{site.url("/xxgk/201703/t20170322_1002.html")}</link>
<pubDate>Sun, 12 Mar 2017 10:00:00 +0800</pubDate></item></channel></rss>"""
    site.route("/xxgk/rss.xml", rss, content_type="application/rss+xml")
    feed = make_source(world, site.url("/xxgk/rss.xml"), {"mode": "rss"}, name="fgw-rss")
    assert run_job(feed["id"], world["sysadmin"]["name"])["stats"].get("added") == 2

    api = {
        "data": {
            "list": [
                {"url": "/xxgk/201703/t20170323_1003.html", "title": "第3号", "pubDate": "2017-03-13"},
                {"url": "/xxgk/201703/t20170321_1001.html", "title": "第1号", "pubDate": "2017-03-11"},
            ]
        }
    }
    site.route("/api/list.json", json.dumps(api), content_type="application/json")
    other = make_source(
        world,
        site.url("/api/list.json"),
        {
            "mode": "json",
            "json_paths": {"items": "data.list", "url": "url", "title": "title", "date": "pubDate"},
        },
        name="fgw-json",
    )
    job = run_job(other["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished", report(job["id"], world["sysadmin"]["name"])
    assert job["stats"].get("added") == 1, (job["stats"], sorted(policies(world)))
