"""The web forms of every dataset type, as a publisher uses them (CKAN's two-stage form: the record, then its first
resource), through the real stack: a bad value is shown next to its field and nothing is stored; a good record is
created, shown, edited and found by search."""

from __future__ import annotations

import copy
import re

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.hlj import demo

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TYPES = ["disclosure", "service-item", "open-data", "policy", "credit-publication"]
# A bad value per type: (field, value, words of the error the form must show next to that field).
BAD = {
    "disclosure": ("disclosure_attribute", "withheld", "不予公开理由"),
    "service-item": ("implementing_uscc", "91230100MA1B3N1N2X", "统一社会信用代码"),
    "open-data": ("first_published", "2019年2月30日", "日期不存在"),
    "policy": ("written_date", "2017年2月30日", "日期不存在"),
    "credit-publication": ("credit_kind", "no-such-kind", "不是有效的双公示类别"),
}


def record(dataset_type: str) -> dict:
    return copy.deepcopy(next(r for r in demo.demo_records() if r["type"] == dataset_type))


def form_data(rec: dict, org_id: str) -> dict:
    """The record as the form posts it: lists as repeated fields, repeating sub-records as field-N-sub, tags as
    tag_string."""
    data: dict = {"_ckan_phase": "dataset_new_1", "save": "continue"}
    for key, value in rec.items():
        if key in ("type",):
            continue
        if key == "owner_org":
            data[key] = org_id
        elif key == "tags":
            data["tag_string"] = ",".join(t["name"] for t in value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                for sub, sub_value in item.items():
                    data[f"{key}-{index}-{sub}"] = (
                        sub_value if not isinstance(sub_value, bool) else str(sub_value)
                    )
        elif isinstance(value, bool):
            data[key] = "true" if value else "false"
        else:
            data[key] = value
    return data


@pytest.fixture
def publisher(make_organization):
    user = factories.UserWithToken()
    org = make_organization(
        name="hlj-form-org",
        title="黑龙江省市场监督管理局",
        review_required=False,
        users=[{"name": user["name"], "capacity": "editor"}],
    )
    return {"headers": {"Authorization": user["token"]}, "org": org, "user": user}


def error_next_to(page: str, field: str) -> str:
    """The error text rendered in the form group of ``field`` (CKAN's form macros mark the group with 'error')."""
    soup = BeautifulSoup(page, "html.parser")
    control = soup.find(attrs={"name": field}) or soup.find(attrs={"id": f"field-{field}"})
    assert control is not None, f"no form control named {field}"
    group = control.find_parent(class_=re.compile("form-group|control-group"))
    assert group is not None and "error" in " ".join(group.get("class", [])), (
        f"{field} is not marked as in error"
    )
    return group.get_text(" ", strip=True)


@pytest.mark.parametrize("dataset_type", TYPES)
def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_stored(app, publisher, dataset_type):
    rec = record(dataset_type)
    field, value, words = BAD[dataset_type]
    data = form_data(rec, publisher["org"]["id"])
    data[field] = value
    response = app.post(f"/{dataset_type}/new", data=data, headers=publisher["headers"])
    assert response.status_code == 200
    assert words in error_next_to(
        response.body, field if dataset_type != "disclosure" else "withholding_reason"
    )
    assert call_action("package_search", q=f'name:"{rec["name"]}"', include_private=True)["count"] == 0
    with pytest.raises(Exception):  # noqa: B017 - ObjectNotFound: nothing was stored, not even a draft
        call_action("package_show", id=rec["name"])


@pytest.mark.parametrize("dataset_type", TYPES)
def test_a_record_is_created_through_both_stages_shown_edited_and_found(app, publisher, dataset_type):
    rec = record(dataset_type)
    headers = publisher["headers"]
    form = app.get(f"/{dataset_type}/new", headers=headers)
    assert form.status_code == 200 and "field-title" in form.body

    stage1 = app.post(
        f"/{dataset_type}/new",
        data=form_data(rec, publisher["org"]["id"]),
        headers=headers,
        follow_redirects=False,
    )
    assert stage1.status_code == 302, BeautifulSoup(stage1.body, "html.parser").select(".error-explanation")
    assert f"/{dataset_type}/{rec['name']}/resource/new" in stage1.headers["Location"]
    stage2 = app.post(
        f"/{dataset_type}/{rec['name']}/resource/new",
        data={
            "url": "https://www.hlj.gov.cn/files/example.pdf",
            "name": "附件",
            "save": "go-metadata",
            "id": "",
        },
        headers=headers,
        follow_redirects=False,
    )
    assert stage2.status_code == 302, stage2.body[:2000]
    stored = call_action("package_show", id=rec["name"])
    assert stored["state"] == "active" and stored["type"] == dataset_type and len(stored["resources"]) >= 1
    for key, value in rec.items():
        if key in ("owner_org", "tags", "type", "name") or isinstance(value, list | bool):
            continue
        assert str(stored.get(key)) == str(value), key

    page = app.get(f"/{dataset_type}/{rec['name']}", headers=headers).body
    assert rec["title"] in page

    edit = BeautifulSoup(app.get(f"/{dataset_type}/edit/{rec['name']}", headers=headers).body, "html.parser")
    assert edit.find(attrs={"name": "title"})["value"] == rec["title"]
    data = form_data(rec, publisher["org"]["id"])
    data.update({"title": rec["title"] + "（修订）", "save": ""})
    data.pop("_ckan_phase")
    edited = app.post(
        f"/{dataset_type}/edit/{rec['name']}", data=data, headers=headers, follow_redirects=False
    )
    assert edited.status_code == 302, BeautifulSoup(edited.body, "html.parser").select(".error-explanation")
    assert call_action("package_show", id=rec["name"])["title"] == rec["title"] + "（修订）"
    found = call_action(
        "package_search", q="修订", fq=f'+dataset_type:"{dataset_type}"', include_private=True
    )
    assert [r["name"] for r in found["results"]] == [rec["name"]]
