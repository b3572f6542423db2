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


def test_the_check_finds_who_reprinted_which_watched_item_and_who_is_missing(app, make_organization):
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


def test_the_supervisor_page_and_the_inspection_export(app, make_organization):
    import io  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415

    test_the_check_finds_who_reprinted_which_watched_item_and_who_is_missing(app, make_organization)
    page = app.get("/reprint").body
    assert 'data-site="hlj-fgw"' in page and 'data-site="hlj-rst"' in page and "100.0%" in page
    assert "国务院办公厅关于印发2017年政务公开工作要点的通知" in page
    assert "Reprint checks" in app.get("/en/reprint").body
    response = app.get("/reprint/export.xlsx")
    wb = load_workbook(io.BytesIO(response.data))
    sites = {r[0]: r for r in wb.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert sites["hlj-rst"][4] == 1 and "2017年政务公开工作要点" in sites["hlj-rst"][9]
    assert wb.worksheets[1].cell(row=2, column=3).value == "hlj-rst"
