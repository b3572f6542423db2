"""The identifiers a Chinese government website carries at the foot of every page (ckanext.hlj.site.*)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.usefixtures("with_plugins")

IDENTITY = {
    "ckanext.hlj.site.sponsor": "黑龙江省人民政府办公厅",
    "ckanext.hlj.site.organizer": "黑龙江省营商环境建设监督局",
    "ckanext.hlj.site.site_code": "2300000001",
    "ckanext.hlj.site.icp": "黑ICP备05002793号-1",
    "ckanext.hlj.site.police_record": "黑公网安备23010202000001号",
}


def configured(function):
    for key, value in IDENTITY.items():
        function = pytest.mark.ckan_config(key, value)(function)
    return function


def footer(app, url: str = "/"):
    response = app.get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.body, "html.parser")
    return page.select_one("footer.site-footer")


@configured
def test_home_page_footer_shows_every_identifier(app):
    foot = footer(app)
    identity = foot.select_one("#hlj-site-identity")
    assert identity is not None
    text = " ".join(identity.get_text(" ", strip=True).split())
    assert "主办单位：黑龙江省人民政府办公厅" in text
    assert "承办单位：黑龙江省营商环境建设监督局" in text
    assert "网站标识码：2300000001" in text
    icp = identity.select_one("a.hlj-site-icp")
    assert icp.get_text(strip=True) == "黑ICP备05002793号-1"
    assert icp["href"] == "https://beian.miit.gov.cn/"
    police = identity.select_one("a.hlj-site-police")
    assert police.get_text(strip=True) == "黑公网安备23010202000001号"
    assert police["href"] == "https://beian.mps.gov.cn/#/query/webSearch?code=23010202000001"
    for link in (icp, police):
        assert link["rel"] == ["noopener", "noreferrer"] and link["target"] == "_blank"
    # CKAN's own footer is still there (its blocks are extended, not replaced).
    assert foot.select_one(".footer-links") is not None


@configured
def test_every_page_carries_it_in_english_too(app):
    identity = footer(app, "/en/dataset").select_one("#hlj-site-identity")
    text = " ".join(identity.get_text(" ", strip=True).split())
    assert "Sponsor：黑龙江省人民政府办公厅" in text and "Website ID：2300000001" in text


@pytest.mark.ckan_config("ckanext.hlj.site.icp", "黑ICP备05002793号")
def test_only_configured_identifiers_are_shown(app):
    identity = footer(app).select_one("#hlj-site-identity")
    assert identity.select_one("a.hlj-site-icp") is not None
    assert identity.select_one("a.hlj-site-police") is None
    assert "主办单位" not in identity.get_text()


def test_nothing_is_shown_when_none_is_configured(app):
    assert footer(app).select_one("#hlj-site-identity") is None
