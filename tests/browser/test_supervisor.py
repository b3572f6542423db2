"""A supervisor (sysadmin) logs in and opens the supervision pages: the timeliness report and the reprint checks,
whose ECharts charts must be drawn, and exports each as a workbook, which must open; and the scoreboard, once its
route exists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .support import workbook_rows

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_a_supervisor_reads_the_timeliness_and_reprint_reports_and_exports_them(browse, supervised):
    page = browse.page
    fgw, rst = supervised["fgw"]["title"], supervised["rst"]["title"]
    browse.login(supervised["sysadmin"])

    browse.goto("/timeliness")
    rule = page.locator('section.hlj-timeliness-rule[data-rule="proactive_disclosure_20wd"]')
    expect(rule.locator('tr[data-organization="hlj-fgw"] td[data-rate]')).to_have_text("50.0%")
    drawn = browse.charts_drawn()
    assert len(drawn) >= 2 and all(drawn), drawn
    browse.screenshot("1-timeliness")
    name, content = browse.download("#hlj-timeliness-export")
    assert name.endswith(".xlsx")
    rows = [row for sheet in workbook_rows(content).values() for row in sheet]
    assert any(row[0] == fgw for row in rows) and any(row[0] == rst for row in rows)

    browse.goto("/reprint")
    sites = page.locator("#hlj-reprint-sites")
    expect(sites.locator('tr[data-site="hlj-fgw"]')).to_contain_text("100.0%")
    expect(sites.locator('tr[data-site="hlj-rst"]')).to_contain_text("0.0%")
    drawn = browse.charts_drawn()
    assert len(drawn) == 3 and all(drawn), drawn  # by site, by month, lag distribution
    browse.screenshot("2-reprint")
    name, content = browse.download("#hlj-reprint-export")
    assert name.endswith(".xlsx")
    sheets = workbook_rows(content)
    assert list(sheets) == ["按网站", "按文件", "按月份"]
    by_site = {row[0]: row for row in sheets["按网站"][2:]}
    assert (
        by_site["hlj-fgw"][1:5] == [1, 1, 0, 0] and by_site["hlj-rst"][4] == 1
    )  # obligated, on time, late, missing
    assert browse.log.problems() == []


def test_a_supervisor_opens_the_scoreboard_and_exports_it(browse, supervised):
    page = browse.page
    browse.login(supervised["sysadmin"])
    status = page.request.get(browse.url("/scoreboard")).status
    if status == 404:
        pytest.skip(
            "GET /scoreboard answers 404: the scoreboard route (hlj_scoreboard blueprint) is not there yet"
        )

    response = browse.goto("/scoreboard")
    assert response.status == 200
    expect(page.locator("table#hlj-scoreboard")).to_be_visible()
    expect(page.locator("table#hlj-scoreboard tbody tr").first).to_be_visible()
    drawn = browse.charts_drawn()
    assert drawn and all(drawn), drawn
    export = page.locator("#hlj-scoreboard-export")
    assert (export.get_attribute("href") or "").split("?")[0].endswith("/scoreboard/export.xlsx")
    browse.screenshot("scoreboard")
    name, content = browse.download("#hlj-scoreboard-export")
    assert name.endswith(".xlsx")
    sheets = workbook_rows(content)
    assert sheets and any(len(rows) > 1 for rows in sheets.values()), sheets
    assert browse.log.problems() == []
