"""The openness scoreboard through the real stack: deadline statuses from Solr, reprint verdicts from a real check,
interpretations and directories from indexed records; the weighted score, regions, months, drill-down and export."""

from __future__ import annotations

import io
import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from openpyxl import load_workbook
from test_reprint_check import policy, site_source

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def directory_item(sysadmin, org, name, category):
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, type="disclosure", name=name,
        title=f"目录事项{name}", owner_org=org["id"], item_level1="政策文件", item_level2=name,
        disclosure_category=category, deadline_rule="proactive_disclosure_20wd", disclosure_channel=["政府网站"],
        disclosure_audience="全社会", disclosure_mode="主动", disclosure_attribute="主动公开", notes="内容",
    )  # fmt: skip


def interpretation(sysadmin, org, name, document, published):
    return call_action(
        "package_create", context={"user": sysadmin["name"]}, type="policy", name=name, title=f"{name}解读",
        owner_org=org["id"], policy_role="interpretation", interprets=document, issuer=org["title"],
        issuer_level="provincial_department", written_date=published[:10], disclosure_attribute="proactive",
        source_published_at=published, notes="从背景、目标和主要措施三个方面解读。",
    )  # fmt: skip


@pytest.fixture
def province(make_organization):
    sysadmin = factories.Sysadmin()
    state_council = make_organization(
        name="guowuyuan-bgt", title="国务院办公厅", org_kind="government", admin_level="national",
        region_code="100000",
    )  # fmt: skip
    fgw = make_organization(name="hlj-fgw", title="黑龙江省发展和改革委员会", seed_names=["发改"])
    rst = make_organization(name="hlj-rst", title="黑龙江省人力资源和社会保障厅")
    harbin = make_organization(
        name="hrb-gov",
        title="哈尔滨市人民政府",
        org_kind="government",
        admin_level="city",
        region_code="230100",
    )
    site_source(sysadmin, fgw, "fgw")
    site_source(sysadmin, rst, "rst")
    policy(
        sysadmin, state_council, "gwy-2017-24", "国务院办公厅关于印发2017年政务公开工作要点的通知",
        "国办发〔2017〕24号", "2017-05-09T10:00:00+08:00", issuer_level="state_council",
    )  # fmt: skip
    # fgw: a reprint on time; one document on time and interpreted the same day, one published late without one.
    policy(
        sysadmin, fgw, "fgw-zz-1", "【转载】国务院办公厅关于印发2017年政务公开工作要点的通知", "国办发[2017]24号",
        "2017-05-09T18:00:00+08:00", issuer="国务院办公厅", issuer_level="state_council",
    )  # fmt: skip
    policy(sysadmin, fgw, "fgw-doc-1", "黑龙江省发展和改革委员会关于推进价格改革的意见", "黑发改价格〔2017〕12号",
           "2017-05-09T09:00:00+08:00")  # fmt: skip
    interpretation(sysadmin, fgw, "fgw-jd-1", "fgw-doc-1", "2017-05-09T15:00:00+08:00")
    call_action(
        "package_patch", context={"user": sysadmin["name"]}, id="fgw-doc-1", written_date="2017-05-01"
    )
    late = policy(sysadmin, fgw, "fgw-doc-2", "黑龙江省发展和改革委员会关于做好项目储备工作的通知",
                  "黑发改投资〔2017〕3号", "2017-06-20T09:00:00+08:00")  # fmt: skip
    call_action("package_patch", context={"user": sysadmin["name"]}, id=late["id"], written_date="2017-04-01")
    directory_item(sysadmin, fgw, "fgw-ml-1", "决策公开")
    directory_item(sysadmin, fgw, "fgw-ml-2", "结果公开")
    # rst: its own document on time but not interpreted; it did not reprint the State Council's item.
    policy(sysadmin, rst, "rst-doc-1", "关于做好2017年高校毕业生就业工作的通知", "黑人社发〔2017〕41号",
           "2017-05-03T09:00:00+08:00")  # fmt: skip
    call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    return {"sysadmin": sysadmin, "fgw": fgw, "rst": rst, "harbin": harbin}


def measures(row):
    return {k: (v["numerator"], v["denominator"]) for k, v in row["measures"].items()}


def test_the_board_weights_the_four_measures_per_organisation_and_region(app, province):
    board = call_action("hlj_scoreboard_show")
    rows = {r["name"]: r for r in board["organizations"]}
    assert "guowuyuan-bgt" not in rows, "national issuers are not assessed"
    assert measures(rows["hlj-fgw"]) == {
        "timeliness": (1, 2), "reprint": (1, 1), "interpretation": (1, 2), "directory": (2, 5),
    }  # fmt: skip
    # 100 × (40·0.5 + 20·1 + 20·0.5 + 20·0.4) / 100
    assert rows["hlj-fgw"]["score"] == 58.0
    assert measures(rows["hlj-rst"]) == {
        "timeliness": (1, 1), "reprint": (0, 1), "interpretation": (0, 1), "directory": (0, 5),
    }  # fmt: skip
    assert rows["hlj-rst"]["score"] == 40.0
    # Harbin has no site, no document: only its (empty) directory is measured.
    assert rows["hrb-gov"]["measures"]["timeliness"]["value"] is None
    assert rows["hrb-gov"]["score"] == 0.0
    assert next(r["name"] for r in board["organizations"]) == "hlj-fgw", "seed departments first"
    assert rows["hlj-fgw"]["rank"] == 1 and rows["hlj-rst"]["rank"] == 2
    regions = {r["code"]: r for r in board["regions"]}
    assert regions["230000"]["organizations"] == 2 and regions["230100"]["name"] == "哈尔滨市"
    assert measures(regions["230000"])["timeliness"] == (2, 3)
    months = {m["month"]: m for m in board["months"]}
    assert measures(months["2017-05"])["interpretation"] == (1, 2)


def test_weights_are_configurable_and_a_bad_weighting_is_reported(app, province, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.hlj.scoreboard.weights", "timeliness:1 reprint:0")
    rows = {r["name"]: r for r in call_action("hlj_scoreboard_show")["organizations"]}
    assert rows["hlj-fgw"]["score"] == 50.0 and rows["hlj-rst"]["score"] == 100.0
    assert rows["hrb-gov"]["score"] is None, "nothing left to measure"
    monkeypatch.setitem(ckan_config, "ckanext.hlj.scoreboard.weights", "speed:1")
    page = app.get("/scoreboard").body
    assert "unknown measure" in page and 'id="hlj-scoreboard"' not in page


def test_an_organisations_page_lists_the_items_behind_each_number(app, province):
    found = call_action("hlj_scoreboard_show", organization="hlj-fgw")
    assert found["score"] == 58.0
    assert [(i["name"], i["status"]) for i in found["items"]["interpretation"]] == [("fgw-doc-2", "missing")]
    assert found["items"]["directory_missing"] == ["execution", "management", "service"]
    rst = call_action("hlj_scoreboard_show", organization="hlj-rst")
    assert [i["name"] for i in rst["items"]["reprint_missing"]] == ["gwy-2017-24"]

    page = app.get("/scoreboard/hlj-fgw").body
    assert 'id="hlj-org-score">58.0<' in page
    assert 'data-status="missing"' in page and "fgw-doc-2" in page
    assert 'data-category="service"' in page and "服务公开" in page
    assert "/organization/hlj-fgw/timeliness" in page and "/reprint?site=hlj-fgw" in page
    app.get("/scoreboard/no-such-org", status=404)
    errors = app.get("/api/3/action/hlj_scoreboard_show?since=2017-02-30", status=409).json["error"]
    assert errors["since"] == ["日期格式应为 2017-05-09"]


def test_the_page_charts_and_export(app, province):
    page = app.get("/scoreboard").body
    assert 'id="hlj-scoreboard"' in page and 'data-organization="hlj-fgw" data-score="58.0"' in page
    charts = json.loads(page.split('id="hlj-scoreboard-chart-data">')[1].split("</script>")[0])
    assert {o["title"]: o["score"] for o in charts["organizations"]}["黑龙江省发展和改革委员会"] == 58.0
    assert "/hlj/scoreboard.js" in page and 'data-chart="months"' in page
    assert "Openness scoreboard" in app.get("/en/scoreboard").body

    period = app.get("/scoreboard?since=2017-06-01").body
    assert 'data-organization="hlj-fgw" data-score="20.0"' in period, (
        "June: one late document, no interpretation"
    )

    wb = load_workbook(io.BytesIO(app.get("/scoreboard/export.xlsx").data))
    assert [ws.title for ws in wb.worksheets] == ["机构得分", "地区", "月度趋势", "问题清单"]
    scores = {r[1]: r for r in wb.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert scores["黑龙江省发展和改革委员会"][3] == 58.0 and scores["黑龙江省发展和改革委员会"][4:6] == (
        "50.0%",
        "1/2",
    )
    issues = list(wb.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert (
        "黑龙江省人力资源和社会保障厅",
        "转载到位",
        "国务院办公厅关于印发2017年政务公开工作要点的通知",
        "未转载",
    ) in issues
    assert any(r[0] == "黑龙江省发展和改革委员会" and r[1] == "解读同步" and r[3] == "无解读" for r in issues)
