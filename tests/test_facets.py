"""Facets of each dataset type: key fields first, multi-select code lists counted per code, labels translated."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def items(make_organization):
    sysadmin = factories.Sysadmin()
    org = make_organization(name="hlj-jtt", title="黑龙江省交通运输厅")

    def item(name, category, channels):
        return call_action(
            "package_create",
            context={"user": sysadmin["name"]},
            type="disclosure",
            name=name,
            title=f"交通运输{name}",
            owner_org=org["id"],
            item_level1="公路建设",
            item_level2=name,
            disclosure_category=category,
            notes="内容",
            deadline_rule="proactive_disclosure_20wd",
            disclosure_channel=channels,
            disclosure_audience="全社会",
            disclosure_mode="主动",
            disclosure_attribute="主动公开",
        )

    item("item-a", "结果公开", ["政府网站", "政府公报"])
    item("item-b", "结果公开", ["政府网站"])
    item("item-c", "决策公开", ["两微一端"])


def test_multi_select_code_lists_are_counted_per_code(items):
    result = call_action(
        "package_search", q="*:*", **{"facet.field": '["hlj_disclosure_channel", "disclosure_category"]'}
    )
    assert result["facets"]["hlj_disclosure_channel"] == {"gov_website": 2, "gazette": 1, "new_media": 1}
    assert result["facets"]["disclosure_category"] == {"result": 2, "decision": 1}
    narrowed = call_action("package_search", fq="hlj_disclosure_channel:gazette")
    assert [d["name"] for d in narrowed["results"]] == ["item-a"]


def test_search_page_shows_key_facets_with_chinese_labels(app, items):
    soup = BeautifulSoup(app.get("/disclosure/").body, "html.parser")
    text = soup.get_text(" ")
    for heading in ("五公开类别", "公开属性", "一级事项"):
        assert heading in text
    assert "结果公开" in text and "决策公开" in text
    assert "result" not in {a.get_text(strip=True).split(" ")[0] for a in soup.select(".nav-facet a")}


def test_labels_follow_the_language(app, items):
    text = BeautifulSoup(app.get("/en/disclosure/").body, "html.parser").get_text(" ")
    assert "Openness category" in text
    assert "Results" in text and "Decision-making" in text
