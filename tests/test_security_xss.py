"""Hostile content never becomes executable markup on a page.

Script tags, event attributes, ``javascript:`` links and SVG/iframe payloads go in through every way text enters
the portal — the action API (every text field of every dataset type, Markdown notes, resources, organisations),
the ``hlj_site`` harvester (HTML list and detail pages and an RSS feed served from loopback) and the Excel import
(the workbook's cells, and the import report that quotes them) — and the pages that show it are parsed: no
script element of ours carries the payload, no element has an ``on*`` attribute, no link or source is a
``javascript:`` URL. Each source also checks that the payload is on the page as text, so a field that is simply
not shown cannot pass for a safe one.
"""

from __future__ import annotations

import copy
import io
import json
import re
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.scheming.helpers import scheming_get_dataset_schema
from harvesters.runner import purge, run_job
from harvesters.server import server_fixture
from test_excel import USCC, fill, service_item, xlsx

from ckanext.hlj import demo, excel

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

site = server_fixture()

MARK = "hljxss"
JS = f"alert('{MARK}')"


def hostile(tag: str) -> str:
    """Text carrying every kind of payload, with a visible marker naming where it went in."""
    return (
        f'{MARK}-{tag} <script>{JS}</script> <img src=x onerror="{JS}"> <svg onload="{JS}"><circle/></svg> '
        f'<a href="javascript:{JS}">{MARK}-link</a> "><iframe src="javascript:{JS}"></iframe> '
        f"<body onload={JS}> ' onmouseover='{JS}"
    )


def hostile_markdown(tag: str) -> str:
    return (
        f"{hostile(tag)}\n\n[{MARK} md link](javascript:{JS})\n\n![{MARK} img](javascript:{JS})\n\n"
        f'<a href="javascript:{JS}" onclick="{JS}">{MARK} raw link</a>\n\n<div onmouseover="{JS}">{MARK}</div>'
    )


HOSTILE_URL = f"javascript:{JS}"

# Script types a browser executes; JSON data blocks (application/json, ld+json) are data, not code.
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# CKAN's own do-nothing links (the resource page's menu toggles); they carry nothing from the content.
CKANS_OWN_LINKS = {"javascript:void(0)", "javascript:void(0);", "javascript:;"}


def problems(html: str) -> list[str]:
    """Executable markup in a page: what a browser would run."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind in JS_TYPES and (MARK in script.get_text() or MARK in (script.get("src") or "")):
            found.append(f"script carrying the payload: {str(script)[:120]}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}={text[:60]!r}>")
            if name.lower() == "srcdoc":
                found.append(f"<{tag.name} srcdoc>")
            if name.lower() in URL_ATTRIBUTES:
                compact = re.sub(r"[\s\x00-\x1f]+", "", text).lower()
                if compact.startswith(BAD_SCHEMES) and compact not in CKANS_OWN_LINKS:
                    found.append(f"{str(tag)[:160]} in {str(tag.parent)[:100]}")
        refresh = (tag.get("http-equiv") or "").lower() == "refresh"
        if tag.name == "meta" and refresh and "javascript:" in (tag.get("content") or "").lower():
            found.append(f"<meta content={tag.get('content')!r}>")
    return found


def get(app, url: str, token: str | None = None, statuses: tuple[int, ...] = (200,)) -> str:
    response = app.get(url, headers={"Authorization": token} if token else {})
    assert response.status_code in statuses, (url, response.status_code)
    return response.body


def assert_safe(
    app, urls: list[str], token: str | None = None, shown: bool = True, statuses: tuple[int, ...] = (200,)
) -> None:
    for url in urls:
        body = get(app, url, token, statuses)
        found = problems(body)
        assert not found, (url, found)
        if shown:
            assert MARK in BeautifulSoup(body, "html.parser").get_text(), f"the payload is not shown on {url}"


# --- (a) the action API -----------------------------------------------------------------------------------------

EXTRA_BASES = {
    "consultation": {
        "draft_kind": "policy_measure",
        "opens_on": "2024-03-01",
        "closes_on": "2024-03-31",
        "comment_channels": ["gov_website"],
        "comment_contact": "zqyj@example.gov.cn",
    },
    "response": {"severity": "major", "event_at": "2024-03-01T09:00"},
    "disclosure-application": {"applicant_kind": "natural_person", "received_on": "2024-03-01"},
    "dataset": {},
}
SKIP_FIELDS = {"name", "owner_org", "private", "review_status", "type", "tag_string", "interprets"}


def base_record(dataset_type: str, org: dict) -> dict:
    demo_records = [r for r in demo.demo_records() if r["type"] == dataset_type]
    record = (
        copy.deepcopy(demo_records[0])
        if demo_records
        else {"type": dataset_type, **EXTRA_BASES[dataset_type]}
    )
    record.pop("tags", None)
    record.update({"owner_org": org["id"], "name": f"xss-{dataset_type}", "title": "基础标题"})
    return record


def _is_url_field(field: dict) -> bool:
    return field.get("display_snippet") == "link.html" or field["field_name"].endswith("_url")


def hostile_values(dataset_type: str) -> dict:
    """A hostile value for every free-text field of the type's schema (sub-records included)."""
    schema = scheming_get_dataset_schema(dataset_type)
    values: dict = {}
    for field in schema["dataset_fields"]:
        name = field["field_name"]
        if name in SKIP_FIELDS or field.get("choices") or field.get("choices_helper"):
            continue
        if "repeating_subfields" in field:
            sub = {
                s["field_name"]: hostile(f"{name}.{s['field_name']}")
                for s in field["repeating_subfields"]
                if not s.get("choices") and not s.get("choices_helper")
            }
            values[name] = [sub]
        elif _is_url_field(field):
            values[name] = HOSTILE_URL
        elif field.get("form_snippet") == "markdown.html" or name == "notes":
            values[name] = hostile_markdown(name)
        else:
            values[name] = hostile(name)
    return values


def create_hostile(dataset_type: str, org: dict, user: dict) -> tuple[dict, set[str]]:
    """Create the record with a hostile value in every field its validators accept; returns it and those fields."""
    record = base_record(dataset_type, org)
    values = hostile_values(dataset_type)
    resource = {"url": HOSTILE_URL, "name": hostile("resource.name"), "description": hostile_markdown("res")}
    for _ in range(8):
        attempt = {**record, **values, "resources": [resource]}
        try:
            created = call_action("package_create", context={"user": user["name"]}, **attempt)
            return created, set(values)
        except Exception as error:  # a ValidationError: drop the refused values, keep the rest
            errors = getattr(error, "error_dict", None)
            if not errors:
                raise
            refused = {key for key in errors if key in values}
            if "resources" in errors:
                resource["url"] = "https://example.gov.cn/x.pdf"
            if not refused and "resources" not in errors:
                raise
            for key in refused:
                values.pop(key)
    raise AssertionError(f"{dataset_type}: could not create the record")


TYPES = [
    "disclosure",
    "service-item",
    "open-data",
    "policy",
    "credit-publication",
    "consultation",
    "response",
    "disclosure-application",
    "dataset",
]


@pytest.fixture
def world(make_organization):
    sysadmin = factories.SysadminWithToken()
    org = call_action(
        "organization_create",
        context={"user": sysadmin["name"]},
        name="hlj-xss-org",
        title=hostile("org.title"),
        description=hostile_markdown("org.description"),
        image_url=HOSTILE_URL,
        org_kind="department",
        admin_level="province",
        region_code="230000",
        review_required=False,
        former_names=hostile("org.former_names"),
    )
    return {"sysadmin": sysadmin, "org": org}


def test_hostile_fields_through_the_api_are_escaped_on_every_page(app, world):
    sysadmin, org = world["sysadmin"], world["org"]
    accepted = {}
    pages = []
    for dataset_type in TYPES:
        created, fields = create_hostile(dataset_type, org, sysadmin)
        accepted[dataset_type] = fields
        name, rid = created["name"], created["resources"][0]["id"]
        pages += [
            f"/{dataset_type}/{name}",
            f"/{dataset_type}/{name}/resource/{rid}",
            f"/dataset/activity/{name}",
            f"/{dataset_type}/",
        ]
        # The update path too: the edit form shows every stored value back inside inputs, the changes page
        # shows the old and new values side by side.
        call_action("package_patch", context={"user": sysadmin["name"]}, id=name, title=hostile("patched"))
        latest = call_action("package_activity_list", context={"user": sysadmin["name"]}, id=name)[0]
        pages += [f"/{dataset_type}/edit/{name}", f"/dataset/changes/{latest['id']}"]

    assert {"title", "notes"} <= accepted["policy"] and len(accepted["service-item"]) >= 6, accepted
    assert_safe(app, pages, sysadmin["token"])
    public = [
        p for p in pages if "disclosure-application" not in p and "/edit/" not in p and "/changes/" not in p
    ]
    assert_safe(app, public)  # as an anonymous visitor
    assert_safe(app, ["/dataset/", f"/organization/{org['name']}", f"/organization/about/{org['name']}"])
    assert_safe(app, [f"/organization/activity/{org['name']}"], sysadmin["token"])
    assert_safe(
        app, ["/organization/", "/", "/timeliness", f"/organization/{org['name']}/timeliness"], shown=False
    )
    assert_safe(app, [f"/organization/{org['name']}/excel"], sysadmin["token"])


def test_hostile_query_parameters_are_not_reflected_as_markup(app):
    payload = quote(hostile("query"))
    urls = [
        f"/dataset/?q={payload}",
        f"/dataset/?q=x&tags={payload}&res_format={payload}",
        f"/dataset/?q=x&sort={payload}",  # refused (400): the error page must not reflect it either
        f"/policy/?q={payload}&issuer_level={payload}",
        f"/organization/?q={payload}",
        f"/en/dataset/?q={payload}",
        f"/dataset/{payload}",  # 404 page
    ]
    assert_safe(app, urls, shown=False, statuses=(200, 400, 404))


# --- (b) the hlj_site harvester -------------------------------------------------------------------------------

ESCAPED = "&lt;script&gt;alert('hljxss')&lt;/script&gt;&lt;img src=x onerror=alert('hljxss')&gt;"

LIST = """<html><head><meta charset="utf-8"><title>信息公开</title></head><body>
<div class="list"><ul>{items}</ul></div></body></html>"""

DETAIL = """<html><head><meta charset="utf-8"><title>{title}_某某厅</title>
<script>alert('hljxss-page-script')</script></head><body onload="alert('hljxss')">
<table class="xxgk-meta">
<tr><td>索 引 号：</td><td>11230000MB0X12345F/2017-0000{n}</td><td>主题分类：</td><td>综合政务\\其他</td></tr>
<tr><td>发文机关：</td><td>{escaped}黑龙江省发展和改革委员会</td><td>成文日期：</td><td>2017年3月1日</td></tr>
<tr><td>文　　号：</td><td>黑发改办[2017]{n}号</td><td>发布日期：</td><td>2017-03-1{n}</td></tr>
</table>
<h1 class="title">{title}</h1>
<div class="TRS_Editor"><p>各市（地）发展改革委：</p><p>hljxss-body {escaped} <img src=x onerror="alert('hljxss')">
<svg onload="alert('hljxss')"></svg><a href="javascript:alert('hljxss')">链接</a>
<iframe src="javascript:alert('hljxss')"></iframe>现将有关事项通知如下，请认真贯彻执行。</p>
<p><a href="./P020170320.pdf">附件：{escaped}实施方案.pdf</a></p>
<p><a href="javascript:alert('hljxss')">附件：恶意链接.pdf</a></p></div>
</body></html>"""


def test_hostile_pages_harvested_by_hlj_site_are_escaped(app, site, world):
    purge()
    sysadmin, org = world["sysadmin"], world["org"]
    items = ""
    for n in (1, 2):
        title = f"关于推进政务公开工作的通知{n} hljxss {ESCAPED}"
        items += f'<li><a href="./201703/t2017032{n}_100{n}.html">{title}</a><span>2017-03-1{n}</span></li>'
        detail = DETAIL.format(title=title, n=n, escaped=ESCAPED)
        site.route(f"/xxgk/201703/t2017032{n}_100{n}.html", detail)
    site.route("/xxgk/index.html", LIST.format(items=items))
    source = call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="xss-site",
        title="恶意站点",
        url=site.url("/xxgk/index.html"),
        source_type="hlj_site",
        owner_org=org["id"],
        config="{}",
    )
    job = run_job(source["id"], sysadmin["name"])
    assert job["stats"].get("added") == 2, job

    rss = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>信息公开</title>
<item><title><![CDATA[RSS 通知 hljxss <script>alert('hljxss')</script>]]></title>
<link>{site.url("/xxgk/201703/t20170323_1003.html")}</link>
<description><![CDATA[<img src=x onerror="alert('hljxss')">hljxss]]></description>
<pubDate>Mon, 13 Mar 2017 10:00:00 +0800</pubDate></item></channel></rss>"""
    site.route("/xxgk/rss.xml", rss, content_type="application/rss+xml")
    site.route(
        "/xxgk/201703/t20170323_1003.html",
        DETAIL.format(title=f"RSS 通知 hljxss {ESCAPED}", n=3, escaped=ESCAPED),
    )
    feed = call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="xss-rss",
        title="恶意订阅源",
        url=site.url("/xxgk/rss.xml"),
        source_type="hlj_site",
        owner_org=org["id"],
        config=json.dumps({"mode": "rss"}),
    )
    assert run_job(feed["id"], sysadmin["name"])["stats"].get("added") == 1

    records = call_action("package_search", fq='+dataset_type:"policy"', include_private=True)["results"]
    assert len(records) == 3
    assert any("<script>" in r["title"] for r in records), "the payload reached the stored records"
    pages = ["/policy/", f"/organization/{org['name']}", f"/harvest/{source['name']}"]
    for record in records:
        pages += [f"/policy/{record['name']}"] + [
            f"/policy/{record['name']}/resource/{r['id']}" for r in record["resources"]
        ]
    assert_safe(app, pages)
    assert_safe(app, [f"/harvest/{source['name']}/job/{job['id']}"], sysadmin["token"], shown=False)


# --- (c) the Excel import ---------------------------------------------------------------------------------------


def test_hostile_workbook_cells_are_escaped_in_the_report_and_on_the_pages(app, world):
    sysadmin, org = world["sysadmin"], world["org"]
    code = f"{USCC}1{172009001:012d}"
    rows = [
        service_item(
            1,
            title=hostile("excel.title"),
            implementing_body=hostile("excel.body"),
            legal_basis=hostile("excel.legal_basis"),
            acceptance_conditions=hostile("excel.conditions"),
            notes=hostile_markdown("excel.notes"),
            intermediary_service=hostile("excel.intermediary"),
        ),
        service_item(2, item_type=hostile("excel.bad_item_type")),  # refused: quoted in the report
    ]
    wb = fill(excel.template("service-item"), "政务服务事项", rows)
    fill(wb, "收费项目", [{"implementation_code": code, "fee_name": hostile("excel.fee")}])
    fill(wb, "申请材料", [{"implementation_code": code, "material_name": hostile("excel.material")}])
    content = xlsx(wb)

    response = app.post(
        f"/organization/{org['name']}/excel",
        data={"type": "service-item", "upload": (io.BytesIO(content), "items.xlsx")},
        headers={"Authorization": sysadmin["token"]},
    )
    assert response.status_code == 200
    assert problems(response.body) == []
    assert f"{MARK}-excel.bad_item_type" in BeautifulSoup(response.body, "html.parser").get_text()

    created = call_action("package_search", fq='+dataset_type:"service-item"', include_private=True)[
        "results"
    ]
    assert len(created) == 1 and created[0]["title"].startswith(f"{MARK}-excel.title")
    name = created[0]["name"]
    assert_safe(app, [f"/service-item/{name}", "/service-item/", f"/organization/{org['name']}"])
    api = app.post(
        "/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(content), "items.xlsx"),
        },
        headers={"Authorization": sysadmin["token"]},
    )
    assert api.headers["Content-Type"].startswith("application/json"), "API answers are JSON, never HTML"


def test_the_check_finds_executable_markup():
    """The page check itself can fail: each kind of payload, left unescaped, is reported."""
    assert problems(f"<p>{hostile('raw')}</p>") != []
    assert (
        len(problems(f'<a href=" JaVa\tScRiPt:{JS}">x</a><div onclick="x"></div><script>{JS}</script>')) == 3
    )
    assert problems('<a href=mailto:x onmouseover=alert(1)>x</a><iframe srcdoc="<b>"></iframe>') != []
    escaped = BeautifulSoup("", "html.parser").new_string(hostile("escaped"))
    assert problems(f"<p>{escaped.output_ready()}</p><a href='javascript:void(0);'>menu</a>") == []
