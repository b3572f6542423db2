"""A citizen, not logged in, looks for the province's government-openness documents: from the home page's search box
to the results (in Chinese), narrows them with a facet, and opens a document to read its fields."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# The demo records whose titles or tags say 政务公开 (ckanext-hlj/demo/records.yaml and the 2017 opinions).
ZHENGWU_GONGKAI = {
    "关于全面推进政务公开工作的实施意见",
    "《关于全面推进政务公开工作的实施意见》解读",
    "国务院办公厅关于印发《关于全面推进政务公开工作的意见》实施细则的通知",
}


def result_titles(page) -> set[str]:
    return {t.strip() for t in page.locator(".dataset-list .dataset-heading a").all_inner_texts()}


def test_a_citizen_searches_narrows_and_opens_a_document(browse, demo_portal):
    page = browse.page
    browse.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans-CN"
    browse.screenshot("1-home")

    box = page.locator("#field-main-search")
    box.fill("政务公开")
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/dataset/\?q=", page.url), page.url
    heading = page.locator("h1, h2").filter(has_text="政务公开").first.inner_text()
    assert "找到" in heading and "3" in heading, heading
    assert result_titles(page) == ZHENGWU_GONGKAI
    browse.screenshot("2-results")

    # The tag facet 实施细则 narrows the three results to the State Council's rules. CKAN's facet links are
    # htmx-boosted: the page is swapped in place and its address pushed, without a new page load.
    page.locator(".nav-facet a[href*='tags=']").filter(has_text="实施细则").click()
    page.wait_for_url(re.compile(r"tags=%E5%AE%9E%E6%96%BD%E7%BB%86%E5%88%99|tags=实施细则"))
    expect(page.locator(".dataset-list .dataset-heading a")).to_have_count(1)
    assert "q=" in page.url
    assert result_titles(page) == {"国务院办公厅关于印发《关于全面推进政务公开工作的意见》实施细则的通知"}
    browse.screenshot("3-narrowed")

    with page.expect_navigation():
        page.get_by_role(
            "link", name="国务院办公厅关于印发《关于全面推进政务公开工作的意见》实施细则的通知"
        ).click()
    assert page.url.endswith("/policy/guobanfa-2016-80"), page.url
    assert "国务院办公厅关于印发" in page.locator("h1").first.inner_text()
    fields = {
        th.strip(): td.strip()
        for th, td in zip(
            page.locator(".additional-info tbody tr th").all_inner_texts(),
            page.locator(".additional-info tbody tr td").all_inner_texts(),
            strict=False,
        )
    }
    assert fields.get("文号") == "国办发〔2016〕80号", fields
    assert fields.get("发文机关") == "国务院办公厅", fields
    assert fields.get("成文日期", "").startswith("2016"), fields
    assert fields.get("公开属性") == "主动公开", fields
    browse.screenshot("4-document")
    assert browse.log.problems() == []
