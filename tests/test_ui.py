"""The portal's pages render in Chinese by default, with English offered."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def page(app, url: str) -> BeautifulSoup:
    response = app.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.body, "html.parser")


def test_home_page_is_chinese(app):
    soup = page(app, "/")
    assert soup.html["lang"] == "zh-Hans-CN"
    assert "黑龙江省政务公开平台" in soup.title.text
    assert "数据集" in soup.get_text()


def test_dataset_page_is_chinese(app, make_organization):
    org = make_organization(name="hlj-gov-office", title="黑龙江省人民政府办公厅")
    factories.Dataset(name="seed", title="关于全面推进政务公开工作的实施意见", owner_org=org["id"])

    soup = page(app, "/dataset/seed")
    assert soup.html["lang"] == "zh-Hans-CN"
    assert "关于全面推进政务公开工作的实施意见" in soup.find("h1").get_text()
    assert "黑龙江省人民政府办公厅" in soup.get_text()
    assert "数据集" in soup.get_text()


def test_dataset_search_page_finds_chinese_sub_phrase(app, make_organization):
    org = make_organization()
    factories.Dataset(name="xzxk", title="黑龙江省行政许可事项目录", owner_org=org["id"])
    factories.Dataset(name="other", title="哈尔滨市空气质量监测数据", owner_org=org["id"])

    soup = page(app, "/dataset/?q=行政许可")
    links = {a["href"] for a in soup.select(".dataset-heading a")}
    assert links == {"/dataset/xzxk"}


def test_english_is_offered(app):
    soup = page(app, "/en/")
    assert soup.html["lang"] == "en"
    assert "Datasets" in soup.get_text()
