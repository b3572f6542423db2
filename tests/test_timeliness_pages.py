"""The timeliness pages (ckanext.hlj.views.timeliness): province and organisation, in Chinese and English, the
XLSX export, the drill-down links and the ECharts bundle from npm."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from test_deadline import policy

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def orgs(make_organization):
    fgw = make_organization(name="hlj-fgw", title="黑龙江省发展和改革委员会", review_required=False)
    rst = make_organization(name="hlj-rst", title="黑龙江省人力资源和社会保障厅", review_required=False)
    policy(fgw, "doc-on-time", "2024-09-27", "2024-10-30T09:00:00+08:00")
    policy(fgw, "doc-late", "2024-09-27", "2024-11-20T09:00:00+08:00")
    policy(rst, "doc-rst", "2024-09-27", "2024-10-10T09:00:00+08:00", issuer=rst["title"])
    return fgw, rst


def test_the_province_page_lists_every_department_with_counts_rates_and_chart_data(app, orgs):
    body = app.get("/timeliness?rule=proactive_disclosure_20wd").body
    assert "全省公开时效" in body and "按时率" in body
    row = re.search(r'<tr data-organization="hlj-fgw">(.*?)</tr>', body, re.S).group(1)
    assert re.search(r'data-state="on_time">\s*1\s*<', row) and "50.0%" in row
    assert "hlj_deadline_status=late" in row, "late items link to the search page"
    data = json.loads(
        re.search(r'<script type="application/json" class="hlj-chart-data">(.*?)</script>', body, re.S).group(
            1
        )
    )
    assert {o["name"] for o in data["organizations"]} == {"hlj-fgw", "hlj-rst"}
    assert [m["month"] for m in data["months"]] == ["2024-09"]
    assert "/hlj/vendor/echarts.min.js" in body and "/hlj/timeliness.js" in body


def test_the_drill_down_link_finds_the_late_document(app, orgs):
    body = app.get("/timeliness?rule=proactive_disclosure_20wd").body
    link = re.search(r'href="([^"]*hlj_deadline_status=late[^"]*organization=hlj-fgw[^"]*)"', body).group(1)
    found = app.get(link.replace("&amp;", "&")).body
    assert "政策文件doc-late" in found and "政策文件doc-on-time" not in found


def test_the_organisation_page_and_english(app, orgs):
    body = app.get("/organization/hlj-rst/timeliness").body
    assert 'data-organization="hlj-rst"' in body and 'data-organization="hlj-fgw"' not in body
    english = app.get("/en/organization/hlj-rst/timeliness").body
    assert "Timeliness" in english and "On-time rate" in english and "Published on time" in english
    tab = app.get("/organization/hlj-rst").body
    assert 'href="/organization/hlj-rst/timeliness"' in tab and "公开时效" in tab


def test_the_export_is_a_workbook_of_the_same_report(app, orgs):
    response = app.get("/timeliness/export.xlsx?rule=proactive_disclosure_20wd&organization=hlj-fgw")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    fgw = next(r for r in rows if r and r[0] == "黑龙江省发展和改革委员会")
    assert fgw[1:5] == [1, 1, 0, 0] and fgw[6] == 0.5


def test_bad_filters_are_shown_not_crashed_on(app, orgs):
    body = app.get("/timeliness?start_from=2024-02-30").body
    assert ('id="hlj-timeliness-error"' in body and "2024年2月30日" in body) or "2024-02-30" in body


def test_echarts_is_served_from_the_npm_package(app):
    response = app.get("/hlj/vendor/echarts.min.js")
    assert response.status_code == 200 and b"echarts" in response.data[:2000]
