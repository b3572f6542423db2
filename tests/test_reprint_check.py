"""Reprint checks over the portal's own data: watched State Council / provincial documents, the sites that run
hlj_site sources, their harvested records, stored verdicts and the report API — through the real stack."""

from __future__ import annotations

import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def policy(sysadmin, org, name, title, doc_number, published, **extra):  # noqa: PLR0917 - a test's record maker
    return call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        type="policy",
        name=name,
        title=title,
        owner_org=org["id"],
        policy_role="document",
        issuer=extra.pop("issuer", org["title"]),
        issuer_level=extra.pop("issuer_level", "provincial_department"),
        written_date="2017-05-01",
        disclosure_attribute="proactive",
        doc_number=doc_number or "",
        source_published_at=published,
        **extra,
    )


def site_source(sysadmin, org, name):
    return call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name=name,
        title=name,
        url=f"https://{name}.hlj.gov.cn/xxgk/index.html",
        source_type="hlj_site",
        owner_org=org["id"],
        config=json.dumps({}),
    )


@pytest.fixture
def scenario(make_organization):
    """Two obligated sites (fgw reprinted the State Council's item 8 h later; rst did not) and one watched item."""
    sysadmin = factories.Sysadmin()
    state_council = make_organization(
        name="guowuyuan-bgt", title="国务院办公厅", org_kind="government", admin_level="national",
        region_code="100000", review_required=False,
    )  # fmt: skip
    fgw = make_organization(name="hlj-fgw", title="黑龙江省发展和改革委员会", review_required=False)
    rst = make_organization(name="hlj-rst", title="黑龙江省人力资源和社会保障厅", review_required=False)
    site_source(sysadmin, fgw, "fgw")
    site_source(sysadmin, rst, "rst")
    watched = policy(
        sysadmin, state_council, "gwy-2017-24", "国务院办公厅关于印发2017年政务公开工作要点的通知",
        "国办发〔2017〕24号", "2017-05-09T10:00:00+08:00", issuer_level="state_council",
    )  # fmt: skip
    policy(
        sysadmin, fgw, "fgw-zz-1", "【转载】国务院办公厅关于印发2017年政务公开工作要点的通知", "国办发[2017]24号",
        "2017-05-09T18:00:00+08:00", issuer="国务院办公厅", issuer_level="state_council",
    )  # fmt: skip
    policy(sysadmin, rst, "rst-own-1", "关于做好2017年高校毕业生就业工作的通知", "黑人社发〔2017〕41号",
           "2017-05-10T09:00:00+08:00")  # fmt: skip

    return {"sysadmin": sysadmin, "watched": watched, "fgw": fgw, "rst": rst, "state_council": state_council}


def test_the_check_finds_who_reprinted_which_watched_item_and_who_is_missing(app, scenario):
    sysadmin, watched = scenario["sysadmin"], scenario["watched"]
    done = call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert done["watched"] == 1 and done["sites"] == 2
    assert done["verdicts"] == {"on_time": 1, "missing": 1}

    by_site = {r["site"]: r for r in call_action("hlj_reprint_report_show", by="site")["rows"]}
    assert by_site["hlj-fgw"]["on_time"] == 1 and by_site["hlj-fgw"]["coverage"] == 1.0
    assert by_site["hlj-fgw"]["lag_hours"]["median"] == 8.0
    assert by_site["hlj-rst"]["coverage"] == 0.0
    assert [m["name"] for m in by_site["hlj-rst"]["missing_items"]] == ["gwy-2017-24"]

    item = call_action("hlj_reprint_report_show", by="item", watched="gwy-2017-24")["rows"][0]
    assert item["title"] == watched["title"] and item["missing_sites"] == ["hlj-rst"]
    assert [(r["site"], r["reason"]) for r in item["reprinted_by"]] == [("hlj-fgw", "doc_number")]

    anonymous = app.get("/api/3/action/hlj_reprint_report_show?by=site").json["result"]
    assert len(anonymous["rows"]) == 2, "the report is public"
    app.post("/api/3/action/hlj_reprint_check_run", json={}, status=403)
    app.get("/api/3/action/hlj_reprint_report_show?by=month", status=409)


def test_the_supervisor_page_and_the_inspection_export(app, scenario):
    import io  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415

    call_action("hlj_reprint_check_run", context={"user": scenario["sysadmin"]["name"]})
    page = app.get("/reprint").body
    assert 'data-site="hlj-fgw"' in page and 'data-site="hlj-rst"' in page and "100.0%" in page
    assert "国务院办公厅关于印发2017年政务公开工作要点的通知" in page
    assert "Reprint checks" in app.get("/en/reprint").body
    response = app.get("/reprint/export.xlsx")
    wb = load_workbook(io.BytesIO(response.data))
    sites = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert sites["hlj-rst"][4] == 1 and "2017年政务公开工作要点" in sites["hlj-rst"][9]
    assert wb.worksheets[1].cell(row=2, column=3).value == "hlj-rst"


def test_the_page_drills_down_filters_by_period_and_exports_every_verdict_as_csv(app, scenario):
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415

    call_action("hlj_reprint_check_run", context={"user": scenario["sysadmin"]["name"]})
    page = app.get("/reprint").body
    charts = json.loads(page.split('id="hlj-reprint-chart-data">')[1].split("</script>")[0])
    assert {s["site"]: s["on_time"] for s in charts["sites"]} == {"hlj-fgw": 1, "hlj-rst": 0}
    assert charts["months"][0]["period"] == "2017-05" and charts["months"][0]["missing"] == 1
    assert sum(b["count"] for b in charts["lags"]) == 1 and charts["lags"][1]["count"] == 1, (
        "8 h: the 6–12 h bar"
    )
    assert 'data-chart="sites"' in page and "/hlj/reprint.js" in page

    drill = app.get("/reprint?site=hlj-rst").body
    assert 'data-item="gwy-2017-24" data-status="missing"' in drill
    assert 'data-item="gwy-2017-24" data-status="on_time"' in app.get("/reprint?site=hlj-fgw").body

    outside = app.get("/reprint?since=2018-01-01").body
    assert 'data-site="hlj-fgw"' not in outside, "the only watched item was published in 2017"
    inside = call_action("hlj_reprint_report_show", by="period", since="2017-05-01", until="2017-05-31")
    assert [(r["period"], r["watched"], r["coverage"]) for r in inside["rows"]] == [("2017-05", 1, 0.5)]
    errors = app.get("/api/3/action/hlj_reprint_report_show?since=2017-13-01", status=409).json["error"]
    assert errors["since"] == ["日期格式应为 2017-05-09"]
    english = app.get("/en/api/3/action/hlj_reprint_report_show?since=x", status=409).json["error"]
    assert english["since"] == ["Use a date such as 2017-05-09"]

    response = app.get("/reprint/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["文件", "文件标识", "发布时间", "网站（机构）", "状态"]
    verdicts = {(r[1], r[3]): r for r in rows[1:]}
    assert verdicts[("gwy-2017-24", "hlj-fgw")][4] == "按时转载"
    assert (
        verdicts[("gwy-2017-24", "hlj-fgw")][6] == "8.0"
        and verdicts[("gwy-2017-24", "hlj-fgw")][7] == "文号相同"
    )
    assert verdicts[("gwy-2017-24", "hlj-rst")][4] == "未转载"
    wb = load_workbook(io.BytesIO(app.get("/reprint/export.xlsx?since=2017-05-01").data))
    assert [ws.title for ws in wb.worksheets] == ["按网站", "按文件", "按月份"]
    assert next(iter(wb.worksheets[2].iter_rows(min_row=2, values_only=True)))[:2] == ("2017-05", 1)


def test_scope_tags_limit_which_sites_must_reprint_an_item(app, scenario, make_organization):
    sysadmin = scenario["sysadmin"]
    harbin = make_organization(
        name="hrb-gov",
        title="哈尔滨市人民政府",
        org_kind="government",
        admin_level="city",
        region_code="230100",
    )
    qqhr = make_organization(
        name="qqhr-gov",
        title="齐齐哈尔市人民政府",
        org_kind="government",
        admin_level="city",
        region_code="230200",
    )
    site_source(sysadmin, harbin, "hrb")
    site_source(sysadmin, qqhr, "qqhr")
    call_action(
        "package_patch", context={"user": sysadmin["name"]}, id="gwy-2017-24",
        tag_string="转载范围-230100,转载范围-hlj-fgw",
    )  # fmt: skip
    done = call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert done["sites"] == 4
    item = call_action("hlj_reprint_report_show", by="item")["rows"][0]
    assert item["obligated"] == 2, "Harbin by its region code, fgw by name; not 齐齐哈尔, not rst"
    assert item["missing_sites"] == ["hrb-gov"]
    assert [r["site"] for r in item["reprinted_by"]] == ["hlj-fgw"]


def test_the_watch_rule_is_editable_by_sysadmins_and_applies_at_the_next_check(
    app, scenario, make_organization
):
    sysadmin = scenario["sysadmin"]
    check = call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert check["watched"] == 1

    # Only the provincial government's documents: the State Council's item is no longer watched …
    call_action(
        "config_option_update", context={"user": sysadmin["name"]},
        **{"ckanext.hlj.reprint.watch_levels": ["provincial_government"]},
    )  # fmt: skip
    assert call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})["watched"] == 0
    # … unless a supervisor flags it by hand.
    call_action("package_patch", context={"user": sysadmin["name"]}, id="gwy-2017-24", reprint_required=True)
    assert call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})["watched"] == 1
    call_action("package_patch", context={"user": sysadmin["name"]}, id="gwy-2017-24", reprint_required=False)

    # An organisation marked reprint_issuer has its documents watched whatever the levels say.
    call_action(
        "organization_patch", context={"user": sysadmin["name"]}, id="guowuyuan-bgt", reprint_issuer=True
    )
    assert call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})["watched"] == 1

    # Topics narrow the rule: the item has no 主题分类, so a topic-limited rule leaves it out.
    call_action(
        "config_option_update", context={"user": sysadmin["name"]},
        **{"ckanext.hlj.reprint.watch_topics": "综合政务"},
    )  # fmt: skip
    from ckan import model  # noqa: PLC0415

    assert model.get_system_info("ckanext.hlj.reprint.watch_topics") == "02", "labels are stored as codes"
    assert call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})["watched"] == 0

    bad = app.post(
        "/api/3/action/config_option_update",
        json={"ckanext.hlj.reprint.watch_levels": "mayor"},
        headers={"Authorization": factories.SysadminWithToken()["token"]},
        status=409,
    ).json["error"]
    assert "发文机关层级" in bad["ckanext.hlj.reprint.watch_levels"][0]

    # The page's form: sysadmins see and save it; others neither see nor may post it.
    user = factories.UserWithToken()
    assert 'id="hlj-reprint-rule"' not in app.get("/reprint", headers={"Authorization": user["token"]}).body
    app.post("/reprint/rule", data={"levels": ["state_council"]}, headers={"Authorization": user["token"]},
             status=403)  # fmt: skip
    admin = factories.SysadminWithToken()
    page = app.get("/reprint", headers={"Authorization": admin["token"]}).body
    assert 'id="hlj-reprint-rule"' in page and 'value="provincial_government" checked' in page
    app.post(
        "/reprint/rule", data={"levels": ["state_council", "provincial_government"], "topics": []},
        headers={"Authorization": admin["token"]},
    )  # fmt: skip
    assert model.get_system_info("ckanext.hlj.reprint.watch_levels") == "state_council provincial_government"
    assert model.get_system_info("ckanext.hlj.reprint.watch_topics") == ""


def test_check_if_harvested_runs_only_after_a_site_harvest_finished(app, scenario):
    import datetime as dt  # noqa: PLC0415

    from ckan import model  # noqa: PLC0415
    from ckanext.harvest.model import HarvestJob, HarvestSource  # noqa: PLC0415
    from click.testing import CliRunner  # noqa: PLC0415

    from ckanext.hlj.cli import hlj  # noqa: PLC0415

    cli = CliRunner()
    first = cli.invoke(hlj, ["reprint", "check", "--if-harvested"])
    assert first.exit_code == 0 and "no site harvest finished" in first.output

    source = model.Session.query(HarvestSource).filter_by(type="hlj_site").first()
    job = HarvestJob(source=source, status="Finished")
    job.finished = dt.datetime.utcnow()
    job.save()
    ran = cli.invoke(hlj, ["reprint", "check", "--if-harvested"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.output)["verdicts"] == {"on_time": 1, "missing": 1}
    again = cli.invoke(hlj, ["reprint", "check", "--if-harvested"])
    assert "no site harvest finished" in again.output, "nothing new since that check"
