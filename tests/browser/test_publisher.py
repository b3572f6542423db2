"""A department's publisher logs in through the login form and publishes a 主动公开基本目录 item (type
``disclosure``) through CKAN's two-stage form: first with an error (不予公开 without its reason), which the form
shows in Chinese next to the field while nothing is stored, then correctly, adding the item's first resource, until
the item's page shows. CKAN's JavaScript on the forms must start and run without errors."""

from __future__ import annotations

import re

import pytest
from ckan import logic
from ckan.tests.helpers import call_action
from playwright.sync_api import expect
from test_forms import record

from .support import make_demo_organization, make_user

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

WITHHOLDING_REASON = "属于内部讨论记录和过程稿"


def fill_disclosure_form(page, rec: dict) -> None:
    """Fill stage one as a person does: type the texts, pick the code-list values, tick the channels."""
    page.fill("#field-title", rec["title"])
    # The Chinese title makes no URL name; CKAN's slug preview (JavaScript) offers an edit button for it.
    slug = page.locator(".slug-preview")
    expect(slug).to_be_visible()
    slug.get_by_role("button").click()
    page.fill("#field-name", rec["name"])
    for name in (
        "item_level1",
        "item_level2",
        "notes",
        "legal_basis",
        "deadline_text",
        "responsible_division",
    ):
        page.fill(f"#field-{name}", rec[name])
    page.fill("#field-contact_phone", rec["contact_phone"])
    for name in ("disclosure_category", "deadline_rule", "disclosure_audience", "disclosure_mode"):
        page.select_option(f"#field-{name}", rec[name])
    for channel in rec["disclosure_channel"]:
        page.check(f"#field-disclosure_channel-{channel}")
    for level in rec["disclosure_level"]:
        page.check(f"#field-disclosure_level-{level}")


def submit_stage_one(page) -> None:
    with page.expect_navigation():
        page.locator("form#dataset-edit button[name=save]").click()


def field_group(page, control_id: str):
    """The form group (label, control, error) that holds the control."""
    return page.locator(".form-group").filter(has=page.locator(f"#{control_id}")).last


def test_a_publisher_logs_in_corrects_an_error_and_publishes(browse, make_organization):
    publisher = make_user(fullname="省市场监管局信息公开专员")
    org = make_demo_organization(
        make_organization, "hlj-scjgj", users=[{"name": publisher["name"], "capacity": "editor"}]
    )
    rec = record("disclosure") | {"name": "scjgj-ganbu-taolun-jilu", "title": "行政许可审查过程讨论记录"}
    page = browse.page

    browse.login(publisher)
    expect(page.locator(".account.authed")).to_contain_text(publisher["fullname"])
    browse.goto("/disclosure/new")
    expect(page.locator("#field-organizations")).to_have_value(org["id"])
    fill_disclosure_form(page, rec)
    page.select_option("#field-disclosure_attribute", "withheld")
    browse.screenshot("1-form")
    submit_stage_one(page)

    # Refused: the error in Chinese, next to the reason's field; what was typed is kept; nothing stored.
    assert page.url.endswith("/disclosure/new"), page.url
    reason = field_group(page, "field-withholding_reason")
    expect(reason).to_have_class(re.compile(r"\berror\b"))
    expect(reason).to_contain_text("不予公开理由")
    expect(page.locator(".error-explanation")).to_contain_text("不予公开理由")
    expect(page.locator("#field-title")).to_have_value(rec["title"])
    browse.screenshot("2-error")
    with pytest.raises(logic.NotFound):
        call_action("package_show", id=rec["name"])

    page.fill("#field-withholding_reason", WITHHOLDING_REASON)
    page.select_option("#field-withholding_ground", "art16_process_information")
    submit_stage_one(page)
    assert page.url.endswith(f"/disclosure/{rec['name']}/resource/new"), page.url

    # Stage two: the link-or-upload control is CKAN JavaScript too.
    page.click("#resource-link-button")
    expect(page.locator("#field-resource-url")).to_be_visible()
    page.fill("#field-resource-url", "https://www.hlj.gov.cn/files/xzxk-taolun.pdf")
    page.fill("#field-name", "讨论记录目录")
    browse.screenshot("3-resource")
    with page.expect_navigation():
        page.locator("button[name=save][value=go-metadata]").click()

    assert page.url.endswith(f"/disclosure/{rec['name']}"), page.url
    expect(page.locator("h1").first).to_contain_text(rec["title"])
    expect(page.locator(".additional-info")).to_contain_text("不予公开")
    expect(page.locator(".additional-info")).to_contain_text(WITHHOLDING_REASON)
    expect(page.locator(".resource-list")).to_contain_text("讨论记录目录")
    browse.screenshot("4-published")

    stored = call_action("package_show", id=rec["name"])
    assert stored["state"] == "active" and stored["type"] == "disclosure"
    assert stored["disclosure_attribute"] == "withheld" and stored["withholding_reason"] == WITHHOLDING_REASON
    assert stored["private"] is True, "不予公开 items are never public"
    assert [r["url"] for r in stored["resources"]] == ["https://www.hlj.gov.cn/files/xzxk-taolun.pdf"]
    assert browse.log.problems() == []
