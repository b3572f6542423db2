"""Facets of each dataset type: key fields first, multi-select code lists counted per code, labels translated; the
all-types search on /dataset with its facets and orders."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ui_records import create, page, result_names

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


# The all-types search (/dataset): every public type together, facets that narrow across types, and two orders.


@pytest.fixture
def mixed(make_organization):
    """A provincial department and a city government publishing four types (see each record's comment)."""
    sysadmin = factories.Sysadmin()
    province = make_organization(name="hlj-jtt", title="黑龙江省交通运输厅")
    harbin = make_organization(
        name="harbin", title="哈尔滨市人民政府", admin_level="city", region_code="230100"
    )
    # The department's own document, never published at a source: overdue (written in 2017).
    create(
        sysadmin,
        province,
        "policy",
        "dlys-tongzhi",
        "关于加强道路运输管理的通知",
        issuer="黑龙江省交通运输厅",
        issuer_level="省直部门",
    )
    # A service in 道里区 (a county of Harbin) run by the provincial department: its own region wins.
    create(sysadmin, province, "service-item", "dlys-xuke", "道路运输经营许可", region_code="230102")
    create(sysadmin, harbin, "disclosure", "xzxk-jieguo", "行政许可决定公示")
    create(sysadmin, harbin, "open-data", "gongjiao-xianlu", "哈尔滨市公交线路")


def test_dataset_page_lists_every_type_together_and_each_type_keeps_its_page(app, mixed):
    both = page(app, "/dataset/?q=道路运输")
    assert sorted(result_names(both)) == ["dlys-tongzhi", "dlys-xuke"]
    assert {a["href"] for a in both.select(".dataset-heading a")} == {
        "/policy/dlys-tongzhi",
        "/service-item/dlys-xuke",
    }
    assert sorted(result_names(page(app, "/dataset/"))) == [
        "dlys-tongzhi",
        "dlys-xuke",
        "gongjiao-xianlu",
        "xzxk-jieguo",
    ]
    assert result_names(page(app, "/policy/?q=道路运输")) == ["dlys-tongzhi"]
    assert result_names(page(app, "/service-item/")) == ["dlys-xuke"]


def facet_sections(soup: BeautifulSoup) -> dict[str, dict[str, str]]:
    """{facet title: {item label: href}} of the search page's sidebar."""
    sections = {}
    for section in soup.select("section.module-narrow"):
        heading = section.select_one(".module-heading")
        items = {}
        for a in section.select("li.nav-item a"):
            label = a.select_one(".item-label")
            items[(label or a).get_text(strip=True)] = a["href"]
        sections[heading.get_text(strip=True)] = items
    return sections


def test_all_types_facets_are_labelled_in_the_readers_language_and_each_narrows(app, mixed):
    sections = facet_sections(page(app, "/dataset/"))
    titles = list(sections)
    assert titles[:8] == ["机构", "类型", "地区", "五公开类别", "领域", "开放类型", "公开时效", "标签"]
    assert set(sections["类型"]) == {"政策文件", "政务服务事项", "主动公开事项", "开放数据"}
    assert set(sections["地区"]) == {"省本级", "哈尔滨市"}
    assert set(sections["五公开类别"]) == {"结果公开"}
    assert set(sections["领域"]) == {"交通运输"}
    assert set(sections["开放类型"]) == {"无条件开放"}
    assert set(sections["公开时效"]) == {"已超期未公开"}
    assert "群组" not in titles, "the platform has no groups"

    expected = {
        ("机构", "哈尔滨市人民政府"): ["gongjiao-xianlu", "xzxk-jieguo"],
        ("类型", "政策文件"): ["dlys-tongzhi"],
        ("类型", "政务服务事项"): ["dlys-xuke"],
        ("地区", "哈尔滨市"): ["dlys-xuke", "gongjiao-xianlu", "xzxk-jieguo"],
        ("地区", "省本级"): ["dlys-tongzhi"],
        ("五公开类别", "结果公开"): ["xzxk-jieguo"],
        ("领域", "交通运输"): ["gongjiao-xianlu"],
        ("开放类型", "无条件开放"): ["gongjiao-xianlu"],
        ("公开时效", "已超期未公开"): ["dlys-tongzhi"],
    }
    for (facet, label), names in expected.items():
        narrowed = page(app, sections[facet][label])
        assert sorted(result_names(narrowed)) == names, (facet, label)
    two = page(app, "/dataset/?hlj_region=230100&dataset_type=open-data")
    assert result_names(two) == ["gongjiao-xianlu"]

    assert set(facet_sections(page(app, "/service-item/"))["行政区划"]) == {"哈尔滨市道里区"}
    english = facet_sections(page(app, "/en/dataset/"))
    assert {"Type", "Region", "Openness category", "Domain", "Timeliness"} <= set(english)
    assert set(english["Type"]) == {
        "Policy document",
        "Government service",
        "Disclosure item",
        "Open data resource",
    }
    assert set(english["Region"]) == {"Province level", "哈尔滨市"}


def test_sort_offers_relevance_and_newest_published_first(app, make_organization):
    sysadmin = factories.Sysadmin()
    org = make_organization()
    # Created in this order; published the other way round: at its source in 2020, first published in 2023, and
    # the disclosure item on this platform now.
    create(sysadmin, org, "disclosure", "xinjian-shixiang", "新建公开事项")
    create(sysadmin, org, "open-data", "2023-shuju", "2023年首次发布的数据", first_published="2023-05-01")
    create(
        sysadmin,
        org,
        "policy",
        "2020-wenjian",
        "2020年发布的文件",
        source_url="https://www.hlj.gov.cn/a.html",
        source_published_at="2020-01-05 09:00",
    )

    soup = page(app, "/dataset/")
    options = [(o.get_text(strip=True), o["value"]) for o in soup.select("#field-order-by option")]
    assert options == [
        ("相关度", "score desc, metadata_modified desc"),
        ("发布时间（由新到旧）", "published_date desc, metadata_modified desc"),
    ]
    assert soup.select_one("#field-order-by option[selected]")["value"] == options[0][1]
    assert result_names(soup) == ["2020-wenjian", "2023-shuju", "xinjian-shixiang"], (
        "relevance: last modified first"
    )

    newest = page(app, "/dataset/?sort=published_date desc, metadata_modified desc")
    assert result_names(newest) == ["xinjian-shixiang", "2023-shuju", "2020-wenjian"]
    assert (
        newest.select_one("#field-order-by option[selected]").get_text(strip=True) == "发布时间（由新到旧）"
    )
    english = page(app, "/en/dataset/")
    assert [o.get_text(strip=True) for o in english.select("#field-order-by option")] == [
        "Relevance",
        "Newest first",
    ]
