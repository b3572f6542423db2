"""The platform's dataset and organization types, created and rejected through the action API and over HTTP."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckan.tests.helpers import call_action

from ckanext.hlj.catalogue import uscc

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def make_uscc(org_code8: str) -> str:
    """A valid USCC of a Heilongjiang body registered by 机构编制 (11), around the given organisation code."""
    return uscc.make_uscc("11230000" + org_code8 + uscc.org_code_check_char(org_code8))


VALID_USCC = make_uscc("MB123456")


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def org(sysadmin):
    return call_action(
        "organization_create",
        context={"user": sysadmin["name"]},
        name="hlj-scjgj",
        title="黑龙江省市场监督管理局",
        org_kind="政府部门",
        admin_level="省",
        region_code="230000",
        review_required=False,
    )


def disclosure(org, **overrides):
    data = {
        "type": "disclosure",
        "name": "xzxk-jieguo",
        "title": "行政许可事项办理结果",
        "owner_org": org["id"],
        "item_level1": "行政许可",
        "item_level2": "许可结果",
        "disclosure_category": "结果公开",
        "notes": "许可决定书文号、许可内容、行政相对人名称",
        "deadline_rule": "decision_publication_7wd",
        "disclosure_channel": ["政府网站", "gazette"],
        "disclosure_audience": "全社会",
        "disclosure_mode": "主动",
        "disclosure_attribute": "主动公开",
        "contact_phone": "0451-82345678",
    }
    data.update(overrides)
    return data


def create(user, data):
    return call_action("package_create", context={"user": user["name"]}, **data)


def test_disclosure_item_stores_codes_from_labels(sysadmin, org):
    created = create(sysadmin, disclosure(org))

    assert created["disclosure_category"] == "result"
    assert created["disclosure_channel"] == ["gov_website", "gazette"]
    assert created["disclosure_attribute"] == "proactive"
    assert created["private"] is False
    assert created["contact_phone"] == "0451-82345678"


def test_withheld_item_needs_reason_and_ground(sysadmin, org):
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, disclosure(org, disclosure_attribute="不予公开"))

    errors = error.value.error_dict
    assert errors["withholding_reason"] == ["公开属性为「不予公开」时必须填写"]
    assert errors["withholding_ground"] == ["公开属性为「不予公开」时必须填写"]
    assert model.Package.get("xzxk-jieguo") is None, "nothing is stored for a rejected dataset"


@pytest.mark.parametrize("attribute", ["依申请公开", "不予公开"])
def test_non_public_items_are_private_whatever_the_client_sends(sysadmin, org, attribute):
    created = create(
        sysadmin,
        disclosure(
            org,
            disclosure_attribute=attribute,
            withholding_reason="涉及个人隐私",
            withholding_ground="art15_personal_privacy",
            private=False,
        ),
    )

    assert created["private"] is True
    updated = call_action(
        "package_patch", context={"user": sysadmin["name"]}, id=created["id"], private=False
    )
    assert updated["private"] is True


def test_closed_open_data_resource_is_private(sysadmin, org):
    created = create(
        sysadmin,
        {
            "type": "open-data",
            "name": "qiye-nashui",
            "title": "企业纳税明细",
            "owner_org": org["id"],
            "resource_code": "230000-01-0001",
            "notes": "企业纳税明细数据",
            "data_domain": "财税金融",
            "open_type": "不予开放",
            "closed_ground": "涉及商业秘密",
            "update_frequency": "每月",
            "private": False,
        },
    )
    assert created["private"] is True


def test_bad_codes_and_dates_are_field_errors(sysadmin, org):
    bad_uscc = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(
            sysadmin,
            {
                "type": "policy",
                "name": "bad-policy",
                "title": "关于印发某办法的通知",
                "owner_org": org["id"],
                "policy_role": "document",
                "issuer": "黑龙江省市场监督管理局",
                "issuer_level": "省直部门",
                "written_date": "2017年2月30日",
                "disclosure_attribute": "主动公开",
                "doc_number": "黑市监发〔2017〕",
            },
        )
    errors = error.value.error_dict
    assert set(errors) == {"written_date", "doc_number"}
    assert all("\u4e00" <= errors["written_date"][0][0] <= "\u9fff" or errors["written_date"][0] for _ in [0])

    with pytest.raises(helpers.logic.ValidationError) as error:
        call_action("organization_patch", context={"user": sysadmin["name"]}, id=org["id"], uscc=bad_uscc)
    assert list(error.value.error_dict) == ["uscc"]


def test_policy_dates_and_doc_numbers_are_normalised(sysadmin, org):
    created = create(
        sysadmin,
        {
            "type": "policy",
            "name": "doc",
            "title": "关于全面推进政务公开工作的实施意见",
            "owner_org": org["id"],
            "policy_role": "document",
            "issuer": "黑龙江省人民政府办公厅",
            "issuer_level": "省政府",
            "written_date": "二〇一七年三月二十日",
            "doc_number": "黑政办发[2017]10号",
            "disclosure_attribute": "主动公开",
            "source_published_at": "2017年3月22日 10时30分",
        },
    )

    assert created["written_date"] == "2017-03-20"
    assert created["doc_number"] == "黑政办发〔2017〕10号"
    assert created["source_published_at"] == "2017-03-22T10:30:00+08:00"
    assert created["is_reprint"] is True, "the market regulator's site reprints the general office's document"


def test_interpretation_must_point_at_a_policy_document(sysadmin, org):
    base = {
        "type": "policy",
        "title": "解读",
        "owner_org": org["id"],
        "issuer": "黑龙江省市场监督管理局",
        "issuer_level": "省直部门",
        "written_date": "2024-01-05",
        "disclosure_attribute": "主动公开",
    }
    create(sysadmin, {**base, "name": "the-doc", "policy_role": "document"})

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, {**base, "name": "orphan", "policy_role": "interpretation"})
    assert list(error.value.error_dict) == ["interprets"]
    with pytest.raises(helpers.logic.ValidationError):
        create(sysadmin, {**base, "name": "wrong", "policy_role": "interpretation", "interprets": "nope"})

    ok = create(sysadmin, {**base, "name": "jiedu", "policy_role": "interpretation", "interprets": "the-doc"})
    assert ok["interprets"] == "the-doc"


def test_service_item_codes_must_embed_the_implementing_body(sysadmin, org):
    item = {
        "type": "service-item",
        "name": "xiaofang-sheji-shencha",
        "title": "建设工程消防设计审查",
        "owner_org": org["id"],
        "item_type": "行政许可",
        "basic_code": "000172009000",
        "implementing_uscc": VALID_USCC,
        "implementation_code": VALID_USCC + "1000172009000",
        "implementing_body": "黑龙江省住房和城乡建设厅",
        "exercise_level": ["省级"],
        "region_code": "230000",
        "legal_basis": "《中华人民共和国消防法》第十一条",
        "consultation_phone": "0451-82345678",
        "complaint_phone": "12345",
        "fees": [{"fee_name": "不收费"}],
        "materials": [{"material_name": "消防设计审查申请表", "material_form": "纸质", "copies": "1"}],
    }
    created = create(sysadmin, item)
    assert created["implementation_code"].startswith(VALID_USCC)
    assert created["materials"][0]["material_name"] == "消防设计审查申请表"
    found = call_action("package_search", q=created["basic_code"])["results"]
    assert [d["name"] for d in found] == ["xiaofang-sheji-shencha"], "findable by its code"

    other = make_uscc("MB765432")
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, {**item, "name": "wrong-body", "implementation_code": other + "1000172009000"})
    assert list(error.value.error_dict) == ["implementation_code"]


def test_api_409_errors_in_chinese_by_default_and_english_under_en(app, sysadmin, org):
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    headers = {"Authorization": token["token"]}
    payload = disclosure(org, disclosure_attribute="不予公开")

    zh = app.post("/api/3/action/package_create", json=payload, headers=headers, status=409).json
    en = app.post("/en/api/3/action/package_create", json=payload, headers=headers, status=409).json

    assert zh["error"]["withholding_reason"] == ["公开属性为「不予公开」时必须填写"]
    assert en["error"]["withholding_reason"] == ["Required when Disclosure status is Not disclosed"]
    assert model.Package.get("xzxk-jieguo") is None


def test_organization_schema_fields(sysadmin, org):
    assert org["org_kind"] == "department"
    assert org["admin_level"] == "province"
    national = call_action(
        "organization_create",
        context={"user": sysadmin["name"]},
        name="guowuyuan",
        title="国务院",
        org_kind="人民政府",
        admin_level="国家",
        region_code="100000",
    )
    assert national["region_code"] == "100000"
    with pytest.raises(helpers.logic.ValidationError) as error:
        call_action(
            "organization_patch", context={"user": sysadmin["name"]}, id=org["id"], region_code="110000"
        )
    assert list(error.value.error_dict) == ["region_code"]
