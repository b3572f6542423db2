"""The home page starts from search, then the ways in by category (type, 五公开, 领域) with counts linking to faceted
searches, then the latest publications of every type with their type and department."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ui_records import create, page, result_names

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def published(make_organization):
    """Five public records of four types created in this order, and one private application."""
    sysadmin = factories.Sysadmin()
    province = make_organization(name="hlj-jtt", title="黑龙江省交通运输厅")
    harbin = make_organization(
        name="harbin", title="哈尔滨市人民政府", admin_level="city", region_code="230100"
    )
    create(
        sysadmin,
        province,
        "policy",
        "2020-wenjian",
        "2020年发布的道路运输文件",
        source_url="https://jtyst.hlj.gov.cn/a.html",
        source_published_at="2020-01-05 09:00",
    )
    create(sysadmin, harbin, "open-data", "gongjiao-xianlu", "哈尔滨市公交线路", first_published="2023-05-01")
    create(sysadmin, harbin, "disclosure", "xzxk-jieguo", "行政许可决定公示")
    create(
        sysadmin, harbin, "disclosure", "zhongda-juece", "重大行政决策事项", disclosure_category="决策公开"
    )
    create(sysadmin, province, "service-item", "dlys-xuke", "道路运输经营许可")
    create(sysadmin, harbin, "disclosure-application", "shenqing-1", "申请公开某项目审批文件")


def categories(soup: BeautifulSoup) -> dict[str, dict[str, tuple[int, str]]]:
    """{category title: {label: (count, link)}} of the home page."""
    found = {}
    for block in soup.select(".hlj-home-category"):
        found[block.h3.get_text(strip=True)] = {
            li.a.get_text(strip=True): (int(li.select_one(".badge").get_text(strip=True)), li.a["href"])
            for li in block.select("li")
        }
    return found


def test_home_page_starts_from_search_then_categories_whose_links_narrow(app, published):
    soup = page(app, "/")
    main = soup.select_one("[role=main]")
    sections = [el for el in main.find_all(True) if el.name == "form" or "module" in (el.get("class") or [])]
    form = sections[0]
    assert form.name == "form" and form["action"] == "/dataset/" and form.select_one("input[name=q]")
    assert [s.get("class") for s in sections[1:3]] == [
        ["module", "hlj-home-categories"],
        ["module", "hlj-home-latest"],
    ]
    assert "共 5 条公开信息" in form.get_text(), "the private application is not counted"
    assert result_names(page(app, "/dataset/?q=公交线路")) == ["gongjiao-xianlu"]

    found = categories(soup)
    assert list(found) == ["类型", "五公开类别", "领域"]
    assert {label: count for label, (count, _) in found["类型"].items()} == {
        "主动公开事项": 2,
        "政策文件": 1,
        "开放数据": 1,
        "政务服务事项": 1,
    }
    assert [(label, count) for label, (count, _) in found["五公开类别"].items()] == [
        ("决策公开", 1),
        ("执行公开", 0),
        ("管理公开", 0),
        ("服务公开", 0),
        ("结果公开", 1),
    ]
    assert {label: count for label, (count, _) in found["领域"].items()} == {"交通运输": 1}
    assert found["类型"]["主动公开事项"][1] == "/dataset/?dataset_type=disclosure"
    for title, items in found.items():
        for label, (count, link) in items.items():
            assert len(result_names(page(app, link))) == count, (title, label)
    assert sorted(result_names(page(app, found["类型"]["主动公开事项"][1]))) == [
        "xzxk-jieguo",
        "zhongda-juece",
    ]
    assert result_names(page(app, found["五公开类别"]["决策公开"][1])) == ["zhongda-juece"]
    assert result_names(page(app, found["领域"]["交通运输"][1])) == ["gongjiao-xianlu"]


def latest(soup: BeautifulSoup) -> list[tuple[str, str, str, str]]:
    return [
        (
            item.select_one(".hlj-latest-type").get_text(strip=True),
            item.a["href"],
            item.select_one(".hlj-latest-organization").get_text(strip=True),
            item.time["datetime"],
        )
        for item in soup.select(".hlj-latest-item")
    ]


def test_latest_publications_are_the_newest_public_records_of_every_type(app, published):
    soup = page(app, "/")
    items = latest(soup)
    assert [(kind, link, org) for kind, link, org, _ in items] == [
        ("政务服务事项", "/service-item/dlys-xuke", "黑龙江省交通运输厅"),
        ("主动公开事项", "/disclosure/zhongda-juece", "哈尔滨市人民政府"),
        ("主动公开事项", "/disclosure/xzxk-jieguo", "哈尔滨市人民政府"),
        ("开放数据", "/open-data/gongjiao-xianlu", "哈尔滨市人民政府"),
        ("政策文件", "/policy/2020-wenjian", "黑龙江省交通运输厅"),
    ]
    assert [day for *_, day in items][-2:] == ["2023-05-01", "2020-01-05"]
    everything = soup.select_one(".hlj-home-latest a.btn")["href"]
    assert result_names(page(app, everything)) == [link.rsplit("/", 1)[-1] for _, link, _, _ in items]

    english = page(app, "/en/")
    assert (
        english.select_one(".hlj-home-categories .module-heading").get_text(strip=True)
        == "Browse by category"
    )
    assert (
        english.select_one(".hlj-home-latest .module-heading").get_text(strip=True) == "Latest publications"
    )
    assert list(categories(english)) == ["Type", "Openness category", "Domain"]
    assert [kind for kind, *_ in latest(english)][-1] == "Policy document"
