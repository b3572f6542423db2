import pytest

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.catalogue.organizations import public_bodies

REQUIRED = {
    "item_type",
    "power_source",
    "implementing_body_type",
    "case_type",
    "service_object",
    "exercise_level",
    "online_depth",
    "material_form",
    "material_necessity",
    "material_source",
    "time_limit_unit",
    "disclosure_category",
    "disclosure_attribute",
    "withholding_ground",
    "disclosure_channel",
    "disclosure_audience",
    "disclosure_mode",
    "disclosure_level",
    "open_type",
    "share_type",
    "data_domain",
    "update_frequency",
    "policy_topic",
    "validity",
    "issuer_level",
    "credit_kind",
    "organization_kind",
    "administrative_level",
    "deadline_rule",
}

DEADLINE_RULES = [
    "decision_publication_7wd",
    "proactive_disclosure_20wd",
    "application_reply_20wd",
    "consultation_min_30d",
    "incident_release_5h",
    "incident_press_24h",
    "opinion_response_48h",
    "work_plan_30d",
    "annual_report_jan31",
]


def test_yaml_is_consistent():
    codelists.validate_all()
    assert REQUIRED <= set(codelists.codelist_names())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_list_is_bilingual_and_sourced(name):
    info = codelists.codelist_info(name)
    assert info.title_zh and info.title_en and info.source.strip()
    assert info.choices
    for choice in info.choices:
        assert choice.code.isascii() and choice.code.strip() == choice.code and choice.code
        assert choice.zh and choice.en
        assert not choice.en.isascii() or choice.en != choice.zh


def test_official_codes():
    assert [c.code for c in codelists.codelist("item_type")] == [f"{n:02d}" for n in range(1, 11)] + ["20"]
    assert codelists.label("item_type", "01") == "行政许可"
    assert codelists.label("item_type", "20", "en") == "Public service"
    assert [c.code for c in codelists.codelist("power_source")] == ["1", "2", "3", "4", "5", "6"]
    assert [c.code for c in codelists.codelist("service_object")] == ["1", "2", "3", "4", "5", "6", "9"]
    assert [c.zh for c in codelists.codelist("disclosure_category")] == [
        "决策公开",
        "执行公开",
        "管理公开",
        "服务公开",
        "结果公开",
    ]
    assert [c.zh for c in codelists.codelist("disclosure_attribute")] == [
        "主动公开",
        "依申请公开",
        "不予公开",
    ]
    assert [c.zh for c in codelists.codelist("open_type")] == ["无条件开放", "有条件开放", "不予开放"]
    assert [c.zh for c in codelists.codelist("share_type")] == ["无条件共享", "有条件共享", "不予共享"]
    assert [c.zh for c in codelists.codelist("time_limit_unit")] == ["工作日", "自然日", "小时"]


def test_deadline_rules():
    assert [c.code for c in codelists.codelist("deadline_rule")] == DEADLINE_RULES
    assert "7个工作日" in codelists.label("deadline_rule", "decision_publication_7wd")
    assert "20个工作日" in codelists.label("deadline_rule", "proactive_disclosure_20wd")
    assert "1月31日" in codelists.label("deadline_rule", "annual_report_jan31")


def test_withholding_grounds_cover_articles_14_to_16():
    articles = {c.code.split("_")[0] for c in codelists.codelist("withholding_ground")}
    assert articles == {"art14", "art15", "art16"}
    for choice in codelists.codelist("withholding_ground"):
        assert choice.zh.startswith("第十")


def test_policy_topic_tree():
    topics = codelists.codelist("policy_topic")
    top = [c for c in topics if c.parent is None]
    assert len(top) == 22
    assert top[0].zh == "国务院组织机构" and top[-1].zh == "其他"
    # values as gov.cn shows them (domain-standards §2.1)
    for shown in ("科技、教育\\科技", "综合政务\\政务公开", "综合政务\\电子政务", "卫生、体育\\医药管理"):
        code = codelists.validate_choice("policy_topic", shown)
        assert codelists.choice("policy_topic", code).parent is not None
    assert codelists.validate_choice("policy_topic", "综合政务/政务公开") == codelists.validate_choice(
        "policy_topic", "综合政务\\政务公开"
    )
    assert codelists.validate_choice("policy_topic", "港澳台工作") == codelists.validate_choice(
        "policy_topic", "港澳台侨工作"
    )


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("item_type", "01", "01"),
        ("item_type", "行政许可", "01"),
        ("item_type", " 行政许可 ", "01"),
        ("item_type", "Administrative licensing", "01"),
        ("item_type", "administrative LICENSING", "01"),
        ("item_type", 1, "01"),
        ("item_type", "1", "01"),
        ("item_type", 20, "20"),
        ("disclosure_mode", "主动公开", "proactive"),
        ("disclosure_mode", "主动", "proactive"),
        ("disclosure_attribute", "不公开", "withheld"),
        ("open_type", "不开放", "closed"),
        ("material_form", "纸质/电子", "paper_electronic"),
        ("material_form", "纸质＋电子", "paper_electronic"),
        ("credit_kind", "xk", "licensing"),
        ("organization_kind", "人民政府", "government"),
        ("data_domain", "市场监督", "market_regulation"),
        ("update_frequency", "每季度", "quarterly"),
    ],
)
def test_validate_choice(name, value, code):
    assert codelists.validate_choice(name, value) == code


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("item_type", "11"),
        ("item_type", "行政审批"),
        ("item_type", ""),
        ("item_type", None),
        ("item_type", 1.0),
    ],
)
def test_validate_choice_rejects(name, value):
    with pytest.raises(InvalidValue) as info:
        codelists.validate_choice(name, value)
    assert info.value.code == "choice_unknown"
    assert "事项类型" in info.value.zh and "Item type" in info.value.en


def test_unknown_list_name_is_a_programming_error():
    with pytest.raises(KeyError):
        codelists.validate_choice("no_such_list", "x")


def test_label():
    assert codelists.label("open_type", "conditional") == "有条件开放"
    assert codelists.label("open_type", "conditional", "en") == "Open under conditions"
    assert codelists.label("open_type", "conditional", "zh_CN") == "有条件开放"
    with pytest.raises(InvalidValue):
        codelists.label("open_type", "有条件开放")


def test_validate_choices():
    assert codelists.validate_choices("online_depth", "3^4^5^6") == ["3", "4", "5", "6"]
    assert codelists.validate_choices("online_depth", ["互联网咨询", "5", 6]) == ["1", "5", "6"]
    assert codelists.validate_choices("online_depth", '["1", "2"]') == ["1", "2"]
    assert codelists.validate_choices("online_depth", "1,1,2") == ["1", "2"]
    assert codelists.validate_choices("disclosure_channel", "政府网站、政府公报，两微一端;发布会/听证会") == [
        "gov_website",
        "gazette",
        "new_media",
        "press_hearing",
    ]
    assert codelists.validate_choices("disclosure_level", "县级、乡、村级") == ["county", "township_village"]
    assert codelists.validate_choices("disclosure_level", "乡、村级") == ["township_village"]
    assert codelists.validate_choices("disclosure_level", None) == []
    assert codelists.validate_choices("disclosure_level", "") == []
    with pytest.raises(InvalidValue):
        codelists.validate_choices("disclosure_channel", "政府网站、微博")
    with pytest.raises(InvalidValue):
        codelists.validate_choices("online_depth", "3^9")


def test_scheming_choices():
    choices = codelists.scheming_choices("disclosure_attribute")
    assert choices[0] == {
        "value": "proactive",
        "label": {"zh_Hans_CN": "主动公开", "en": "Proactively disclosed"},
    }
    assert [c["value"] for c in choices] == ["proactive", "on_request", "withheld"]
    for name in codelists.codelist_names():
        for item in codelists.scheming_choices(name):
            assert set(item) == {"value", "label"} and set(item["label"]) == {"zh_Hans_CN", "en"}


def test_multiple_flag():
    for name in ("online_depth", "disclosure_channel", "service_object", "data_domain"):
        assert codelists.codelist_info(name).multiple, name
    for name in ("item_type", "open_type", "disclosure_attribute", "deadline_rule"):
        assert not codelists.codelist_info(name).multiple, name


def test_organisation_data_uses_the_code_lists():
    for body in public_bodies():
        codelists.validate_choice("organization_kind", body.kind)
        codelists.validate_choice("administrative_level", body.level)
