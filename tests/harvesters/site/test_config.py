"""A harvest source's config: defaults, a full valid config, and every error naming its key in both languages."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.harvesters.site.config import (
    HARVESTER_FIELDS,
    SiteConfig,
    config_errors,
    host_matches,
    policy_schema_fields,
    validate_config,
)
from ckanext.hlj.harvesters.site.detail import DetailSelectors
from ckanext.hlj.harvesters.site.feeds import JsonPaths
from ckanext.hlj.harvesters.site.listing import ListSelectors

from .conftest import SAMPLE_SITE


@pytest.mark.parametrize("raw", [None, "", "   ", {}, "{}", b""])
def test_empty_means_defaults(raw):
    assert validate_config(raw) == SiteConfig()
    assert SiteConfig().mode == "html" and SiteConfig().max_pages == 50 and SiteConfig().full_crawl_days == 7


def test_a_full_valid_config():
    raw = {
        "mode": "html",
        "max_pages": 1000,
        "full_crawl_days": 30,
        "list_selectors": {
            "item": "//ul[@class='list']/li",
            "link": "./a",
            "date": "./span",
            "next": "//a[@id='n']",
        },
        "detail_selectors": {
            "title": "string(//h1)",
            "body": "//div[@id='zoom']",
            "meta_table": "//table[@class='xxgk']",
            "fields": {"index_no": "//td[@id='syh']", "keywords": "//meta[@name='Keywords']/@content"},
        },
        "allowed_hosts": ["WWW.HLJ.GOV.CN", "*.hlj.gov.cn", "127.0.0.1:8765"],
        "policy_defaults": {
            "issuer_level": "省直部门",  # a label becomes its code
            "disclosure_attribute": "proactive",
            "policy_topic": "综合政务/政务公开",
            "reprint_required": False,
            "issuer": "黑龙江省发展和改革委员会",
        },
        "encoding": "GB2312",
    }
    config = validate_config(json.dumps(raw, ensure_ascii=False))
    assert config.list_selectors == ListSelectors("//ul[@class='list']/li", "./a", "./span", "//a[@id='n']")
    assert config.detail_selectors == DetailSelectors(
        "string(//h1)",
        "//div[@id='zoom']",
        "//table[@class='xxgk']",
        {"index_no": "//td[@id='syh']", "keywords": "//meta[@name='Keywords']/@content"},
    )
    assert (config.max_pages, config.full_crawl_days) == (1000, 30)
    assert config.allowed_hosts == ("www.hlj.gov.cn", "*.hlj.gov.cn", "127.0.0.1:8765")
    assert config.policy_defaults == {
        "issuer_level": "provincial_department",
        "disclosure_attribute": "proactive",
        "policy_topic": "02.01",
        "reprint_required": False,
        "issuer": "黑龙江省发展和改革委员会",
    }
    assert config.encoding == "gb18030"  # GB2312 is read as its superset
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_pages = 3


def test_json_mode():
    config = validate_config(
        {
            "mode": "json",
            "json_paths": {
                "items": "data.list",
                "url": "url",
                "title": "title",
                "date": "pubDate",
                "next": "data.nextPage",
                "page_param": "page",
                "page": "data.pageNo",
                "total_pages": "data.totalPage",
                "url_template": "https://x.example/art/{}.html",
            },
        }
    )
    assert config.json_paths == JsonPaths(
        items="data.list",
        url="url",
        title="title",
        date="pubDate",
        url_template="https://x.example/art/{}.html",
        next="data.nextPage",
        page_param="page",
        page="data.pageNo",
        total_pages="data.totalPage",
    )
    assert validate_config({"mode": "rss"}).mode == "rss"


def test_the_message_of_the_brief():
    [error] = config_errors({"max_pages": 0})
    assert error.zh == "配置项 max_pages 必须是 1 到 1000 之间的整数"
    assert error.en == "Config key max_pages must be an integer from 1 to 1000"


ERROR_CASES = [
    ({"mode": "ftp"}, "mode", "config_mode"),
    ({"mode": 3}, "mode", "config_mode"),
    ({"max_pages": 0}, "max_pages", "config_range"),
    ({"max_pages": 1001}, "max_pages", "config_range"),
    ({"max_pages": "50"}, "max_pages", "config_range"),
    ({"max_pages": True}, "max_pages", "config_range"),
    ({"max_pages": 2.5}, "max_pages", "config_range"),
    ({"full_crawl_days": 0}, "full_crawl_days", "config_range"),
    ({"full_crawl_days": "weekly"}, "full_crawl_days", "config_range"),
    ({"colour": "red"}, "colour", "config_unknown_key"),
    ({"list_selectors": "//li"}, "list_selectors", "config_type"),
    ({"list_selectors": {"item": "//ul["}}, "list_selectors.item", "config_selector"),
    ({"list_selectors": {"item": "//x:li"}}, "list_selectors.item", "config_selector"),
    ({"list_selectors": {"item": "ul.list > li"}}, "list_selectors.item", "config_selector"),  # CSS
    ({"list_selectors": {"item": "#list li"}}, "list_selectors.item", "config_selector"),
    ({"list_selectors": {"item": "//li", "next": "count(//a)"}}, "list_selectors.next", "config_selector"),
    ({"list_selectors": {"item": ""}}, "list_selectors.item", "config_type"),
    ({"list_selectors": {"items": "//li"}}, "list_selectors.items", "config_unknown_key"),
    ({"list_selectors": {"date": "./span"}}, "list_selectors.item", "config_selector"),
    ({"mode": "rss", "list_selectors": {"item": "//li"}}, "list_selectors", "config_mode"),
    ({"detail_selectors": {"body": "div.TRS_Editor"}}, "detail_selectors.body", "config_selector"),
    ({"detail_selectors": {"body": "string(//div)"}}, "detail_selectors.body", "config_selector"),
    ({"detail_selectors": {"title": 5}}, "detail_selectors.title", "config_type"),
    ({"detail_selectors": {"fields": []}}, "detail_selectors.fields", "config_type"),
    (
        {"detail_selectors": {"fields": {"colour": "//a"}}},
        "detail_selectors.fields.colour",
        "config_unknown_key",
    ),
    (
        {"detail_selectors": {"fields": {"index_no": "//td["}}},
        "detail_selectors.fields.index_no",
        "config_selector",
    ),
    ({"mode": "json"}, "json_paths", "config_missing"),
    ({"json_paths": {"items": "data.list"}}, "json_paths", "config_mode"),
    ({"mode": "json", "json_paths": {"url": "u"}}, "json_paths.items", "config_missing"),
    ({"mode": "json", "json_paths": {"items": "data..list"}}, "json_paths.items", "config_path"),
    ({"mode": "json", "json_paths": {"items": "a", "url": 5}}, "json_paths.url", "config_path"),
    ({"mode": "json", "json_paths": {"items": "a", "nxt": "b"}}, "json_paths.nxt", "config_unknown_key"),
    (
        {"mode": "json", "json_paths": {"items": "a", "url_template": "/a.html"}},
        "json_paths.url_template",
        "config_type",
    ),
    (
        {"mode": "json", "json_paths": {"items": "a", "page_param": "p g"}},
        "json_paths.page_param",
        "config_type",
    ),
    (
        {"mode": "json", "json_paths": {"items": "a", "total_pages": "t"}},
        "json_paths.page_param",
        "config_missing",
    ),
    ({"allowed_hosts": "www.hlj.gov.cn"}, "allowed_hosts", "config_type"),
    ({"allowed_hosts": ["ok.example", "bad host"]}, "allowed_hosts[1]", "config_host"),
    ({"allowed_hosts": ["http://www.hlj.gov.cn/"]}, "allowed_hosts[0]", "config_host"),
    ({"allowed_hosts": [5]}, "allowed_hosts[0]", "config_host"),
    ({"policy_defaults": ["issuer_level"]}, "policy_defaults", "config_type"),
    ({"policy_defaults": {"colour": "red"}}, "policy_defaults.colour", "config_unknown_key"),
    ({"policy_defaults": {"owner_org": "hlj-fgw"}}, "policy_defaults.owner_org", "config_reserved"),
    ({"policy_defaults": {"is_reprint": True}}, "policy_defaults.is_reprint", "config_reserved"),
    ({"policy_defaults": {"issuer_level": "province"}}, "policy_defaults.issuer_level", "config_choice"),
    ({"policy_defaults": {"validity": "永久"}}, "policy_defaults.validity", "config_choice"),
    ({"policy_defaults": {"reprint_required": "yes"}}, "policy_defaults.reprint_required", "config_type"),
    ({"policy_defaults": {"issuer": ""}}, "policy_defaults.issuer", "config_type"),
    ({"policy_defaults": {"issuer": ["a"]}}, "policy_defaults.issuer", "config_type"),
    ({"encoding": "klingon"}, "encoding", "config_encoding"),
    ({"encoding": "base64"}, "encoding", "config_encoding"),
    ({"encoding": 936}, "encoding", "config_encoding"),
]


@pytest.mark.parametrize(("raw", "key", "code"), ERROR_CASES, ids=[case[1] for case in ERROR_CASES])
def test_each_error_names_its_key_in_both_languages(raw, key, code):
    errors = config_errors(raw)
    matching = [e for e in errors if e.code == code]
    assert matching, [repr(e) for e in errors]
    error = matching[0]
    assert isinstance(error, InvalidValue)
    assert f"配置项 {key} " in error.zh
    assert f"Config key {key} " in error.en
    assert error.message("en") == error.en and str(error) == error.zh
    with pytest.raises(InvalidValue):
        validate_config(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("{not json", "config_json"), ("[1, 2]", "config_type"), (42, "config_type"), ("null", "config_type")],
)
def test_a_config_that_is_not_an_object(raw, code):
    [error] = config_errors(raw)
    assert error.code == code and "配置" in error.zh and "Config" in error.en


def test_all_errors_are_reported_at_once():
    raw = {"mode": "ftp", "max_pages": 0, "colour": "red", "list_selectors": {"item": "//["}, "encoding": "x"}
    errors = config_errors(raw)
    assert {e.code for e in errors} == {
        "config_mode",
        "config_range",
        "config_unknown_key",
        "config_selector",
        "config_encoding",
    }
    with pytest.raises(InvalidValue) as raised:
        validate_config(raw)
    assert raised.value.code == "config_invalid"
    for key in ("mode", "max_pages", "colour", "list_selectors.item", "encoding"):
        assert f"配置项 {key} " in raised.value.zh and f"Config key {key} " in raised.value.en


def test_policy_defaults_accept_exactly_the_schema_fields():
    schema_path = SAMPLE_SITE.parents[2] / "schemas" / "policy.yaml"
    names = {f["field_name"] for f in yaml.safe_load(schema_path.read_text("utf-8"))["dataset_fields"]}
    assert set(policy_schema_fields()) == names
    assert HARVESTER_FIELDS <= names | {"review_status", "private"}
    assert validate_config({"policy_defaults": {"changed_date": "2017-03-20"}}).policy_defaults == {
        "changed_date": "2017-03-20"
    }


@pytest.mark.parametrize(
    ("host", "pattern", "expected"),
    [
        ("www.hlj.gov.cn", "www.hlj.gov.cn", True),
        ("WWW.HLJ.GOV.CN.", "www.hlj.gov.cn", True),
        ("fgw.hlj.gov.cn", "*.hlj.gov.cn", True),
        ("hlj.gov.cn", "*.hlj.gov.cn", True),
        ("evilhlj.gov.cn", "*.hlj.gov.cn", False),
        ("hlj.gov.cn.evil.example", "*.hlj.gov.cn", False),
        ("fgw.hlj.gov.cn", "www.hlj.gov.cn", False),
    ],
)
def test_host_matches(host, pattern, expected):
    assert host_matches(host, pattern) is expected
