"""A parsed document → policy dataset fields: formats, code lists, defaults, and what is left to the harvester."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.harvesters.site.config import SiteConfig, policy_schema_fields, validate_config
from ckanext.hlj.harvesters.site.detail import Document, parse_detail_page
from ckanext.hlj.harvesters.site.mapping import attachment_resources, map_choice, map_topic, policy_fields

from .conftest import BASE, page_text

DEFAULTS = validate_config(
    {"policy_defaults": {"issuer_level": "省直部门", "disclosure_attribute": "主动公开"}}
)


def sample(rel: str) -> Document:
    return parse_detail_page(page_text(rel), BASE + rel)


def test_sample_document_to_policy_fields():
    doc = sample("fgw/xxgk/201703/t20170320_123456.html")
    fields, warnings = policy_fields(doc, DEFAULTS)
    assert warnings == []
    notes = fields.pop("notes")
    assert fields == {
        "title": "关于贯彻落实《关于全面推进政务公开工作的实施意见》的通知",
        "policy_role": "document",
        "doc_number": "黑发改办〔2017〕12号",
        "issuer": "黑龙江省发展和改革委员会",
        "written_date": "2017-03-20",
        "index_no": "11230000MB0X12345F/2017-00012",
        "policy_topic": "02.01",
        "validity": "valid",
        "source_url": BASE + "fgw/xxgk/201703/t20170320_123456.html",
        "source_published_at": "2017-03-20T10:30:00+08:00",
        "tag_string": "政务公开,五公开,实施意见",
        "issuer_level": "provincial_department",
        "disclosure_attribute": "proactive",
    }
    assert notes == doc.body_text and "<" not in notes and "\n\n" in notes
    assert set(fields) | {"notes"} <= set(policy_schema_fields())


def test_fields_the_harvester_sets_are_never_filled():
    fields, _ = policy_fields(sample("sft/zwgk/art/2017/3/20/art_3201_55801.html"), DEFAULTS)
    assert not {"owner_org", "name", "first_seen_at", "is_reprint"} & set(fields)


@pytest.mark.parametrize(
    ("rel", "topic", "validity"),
    [
        ("fgw/xxgk/201706/t20170612_243991.html", "03.04", "valid"),  # 国民经济管理、国有资产监管/物价
        ("fgw/xxgk/201706/t20170605_243215.html", "02.01", "valid"),  # 综合政务 \ 政务公开
        ("fgw/xxgk/201702/t20170215_234260.html", "02.04", "valid"),  # 综合政务\电子政务
        ("fgw/xxgk/201703/t20170331_237311.html", "02.01", "revised"),  # 已修订
        ("fgw/xxgk/201701/t20170118_231884.html", "03.04", "expired"),  # 失效
        ("fgw/xxgk/201701/t20170105_230120.html", "02.01", "repealed"),  # 已废止
        ("sft/zwgk/art/2017/6/26/art_3201_57310.html", "15.01", "valid"),  # 劳动、人事、监察/劳动就业
    ],
)
def test_sample_code_list_mapping(rel, topic, validity):
    fields, warnings = policy_fields(sample(rel), DEFAULTS)
    assert (fields["policy_topic"], fields["validity"], warnings) == (topic, validity, [])


def test_sample_unmapped_values_are_left_out_with_warnings():
    fields, warnings = policy_fields(sample("fgw/xxgk/201704/t20170407_238355.html"), DEFAULTS)
    assert "policy_topic" not in fields
    assert warnings == ["policy_topic: '发展规划' 不在主题分类表中，未设置 (not a known topic; left empty)"]
    fields, warnings = policy_fields(sample("sft/zwgk/art/2017/3/30/art_3201_55988.html"), DEFAULTS)
    assert "validity" not in fields and len(warnings) == 1 and "'部分失效'" in warnings[0]


def test_sample_invalid_doc_number_is_left_out_with_a_warning():
    fields, warnings = policy_fields(sample("fgw/xxgk/201701/t20170112_231009.html"), DEFAULTS)
    assert "doc_number" not in fields
    assert len(warnings) == 1 and warnings[0].startswith("doc_number: '黑发改〔2017〕'")


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("综合政务\\政务公开", "02.01"),
        ("综合政务/政务公开", "02.01"),
        ("综合政务 / 政务公开", "02.01"),
        (" 综合政务＼政务公开 ", "02.01"),  # full-width backslash
        ("综合政务／政务公开", "02.01"),  # full-width slash
        ("综合政务>政务公开", "02.01"),
        ("国民经济管理、国有资产监管\\物价", "03.04"),
        ("财政、金融、审计/货币（含外汇）", "04.04"),
        ("综合政务", "02"),
        ("政务公开", "02.01"),  # a second level alone, found under its only first level
        ("其他", "22"),
        ("国防/国防动员；综合政务", "21.02"),  # several topics: the first that maps
    ],
)
def test_map_topic(printed, code):
    assert map_topic(printed) == (code, None)


def test_map_topic_falls_back_to_the_first_level():
    code, warning = map_topic("综合政务\\新闻发布")
    assert code == "02" and "新闻发布" in warning


@pytest.mark.parametrize("printed", ["发展规划", "", "不存在\\也不存在", "；"])
def test_map_topic_unknown(printed):
    code, warning = map_topic(printed)
    assert code is None and warning.startswith("policy_topic:")


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("有效", "valid"),
        ("现行有效", "valid"),
        (" 有 效 ", "valid"),
        ("有效（2017-2022年）", "valid"),
        ("失效", "expired"),
        ("已失效", "expired"),
        ("废止", "repealed"),
        ("已废止", "repealed"),
        ("已修订", "revised"),
        ("修订", "revised"),
        ("已修改", "revised"),
        ("部分失效", None),
    ],
)
def test_map_validity(printed, code):
    found, warning = map_choice("validity", "validity", printed)
    assert found == code
    assert (warning is None) == (code is not None)


def test_defaults_fill_gaps_but_never_override_the_page():
    config = validate_config(
        {
            "policy_defaults": {
                "policy_topic": "22",
                "issuer": "默认机关",
                "issuer_level": "provincial_department",
            }
        }
    )
    mapped, _ = policy_fields(sample("fgw/xxgk/201703/t20170320_123456.html"), config)
    assert (mapped["policy_topic"], mapped["issuer"]) == ("02.01", "黑龙江省发展和改革委员会")
    unmapped, _ = policy_fields(sample("fgw/xxgk/201704/t20170407_238355.html"), config)
    assert unmapped["policy_topic"] == "22"


def test_required_fields_still_missing_are_warned():
    fields, warnings = policy_fields(Document(url="http://x.example/a.html", title="标题"), SiteConfig())
    assert fields == {"policy_role": "document", "source_url": "http://x.example/a.html", "title": "标题"}
    assert sorted(w.split(":")[0] for w in warnings) == [
        "disclosure_attribute",
        "issuer",
        "issuer_level",
        "written_date",
    ]


def test_disclosure_from_the_pages_metadata_and_timezone_conversion():
    doc = Document(
        url="http://x.example/a.html",
        title="t",
        issuer="某厅",
        written_date=date(2017, 3, 1),
        published_at=datetime(2017, 3, 20, 2, 30, tzinfo=timezone(timedelta(0))),
        meta={"公开方式": "主动公开"},
        keywords=["政务公开", "a,b", "x", "五公开", "政务公开", "<script>"],
    )
    fields, warnings = policy_fields(doc, validate_config({"policy_defaults": {"issuer_level": "市县"}}))
    assert warnings == []
    assert fields["disclosure_attribute"] == "proactive"
    assert fields["source_published_at"] == "2017-03-20T10:30:00+08:00"
    assert fields["tag_string"] == "政务公开,ab,五公开,script"  # CKAN's tag characters, 2+ long, no repeats
    assert fields["issuer_level"] == "city_county"


def test_code_lists_used_exist():
    for name in ("policy_topic", "validity", "disclosure_attribute", "issuer_level"):
        assert codelists.codelist(name)
    specs = policy_schema_fields()
    assert {specs[n]["codelist"] for n in ("policy_topic", "validity", "disclosure_attribute")} == {
        "policy_topic",
        "validity",
        "disclosure_attribute",
    }


def test_attachment_resources():
    doc = Document(
        url="u",
        attachments=[("名单", "http://x.example/P01.PDF"), ("", "http://x.example/files/%E8%A1%A8.xlsx")],
    )
    assert attachment_resources(doc) == [
        {"url": "http://x.example/P01.PDF", "name": "名单", "format": "PDF"},
        {"url": "http://x.example/files/%E8%A1%A8.xlsx", "name": "表.xlsx", "format": "XLSX"},
    ]
    assert attachment_resources(sample("fgw/xxgk/201703/t20170320_123456.html")) == [
        {
            "url": BASE + "fgw/xxgk/201703/P020170320512345678901.pdf",
            "name": "政务公开重点任务分工表.pdf",
            "format": "PDF",
        }
    ]
