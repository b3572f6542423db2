"""Records of several types for the search and home page tests, made through package_create as a publisher would,
and reading the pages that list them."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action


def create(
    user: dict[str, Any], org: dict[str, Any], dataset_type: str, name: str, title: str, **fields: Any
):
    return call_action(
        "package_create",
        context={"user": user["name"]},
        type=dataset_type,
        name=name,
        title=title,
        owner_org=org["id"],
        **{**DEFAULTS[dataset_type], **fields},
    )


def page(app, url: str) -> BeautifulSoup:
    response = app.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.body, "html.parser")


def result_names(soup: BeautifulSoup) -> list[str]:
    """The names of the records a search page lists, in order."""
    return [a["href"].rsplit("/", 1)[-1] for a in soup.select(".dataset-heading a")]


DEFAULTS: dict[str, dict[str, Any]] = {
    "policy": {
        "policy_role": "document",
        "issuer": "黑龙江省人民政府办公厅",
        "issuer_level": "省政府",
        "written_date": "2017-03-20",
        "disclosure_attribute": "主动公开",
    },
    "disclosure": {
        "item_level1": "行政许可",
        "item_level2": "许可决定",
        "disclosure_category": "结果公开",
        "notes": "许可决定书文号、项目名称、许可内容。",
        "deadline_rule": "decision_publication_7wd",
        "disclosure_channel": ["政府网站"],
        "disclosure_audience": "全社会",
        "disclosure_mode": "主动",
        "disclosure_attribute": "主动公开",
    },
    "service-item": {
        "item_type": "行政许可",
        "basic_code": "000116010000",
        "implementing_uscc": "11230000DEM000022G",
        "implementation_code": "11230000DEM000022G1000116010000",
        "implementing_body": "哈尔滨市市场监督管理局",
        "exercise_level": ["地市级"],
        "region_code": "230100",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "materials": [{"material_name": "申请书", "material_form": "电子", "necessity": "必要"}],
        "consultation_phone": "0451-12345678",
        "complaint_phone": "12345",
    },
    "open-data": {
        "resource_code": "230100-JT-0001",
        "notes": "全市公交线路、站点和首末班时间。",
        "data_domain": "交通运输",
        "open_type": "无条件开放",
        "update_frequency": "每月",
    },
    "disclosure-application": {
        "applicant_kind": "natural_person",
        "notes": "申请公开某项目的审批文件。",
        "received_on": "2024-03-01",
    },
}
