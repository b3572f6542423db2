"""Chinese free-text search through CKAN's action API, against the real Solr node with our configset."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TITLE = "黑龙江省行政许可事项目录"


def search(q: str, **kwargs) -> list[str]:
    result = helpers.call_action("package_search", q=q, **kwargs)
    return [d["name"] for d in result["results"]]


@pytest.fixture
def org(make_organization):
    return make_organization(name="hlj-scjgj", title="黑龙江省市场监督管理局")


def test_word_inside_unspaced_chinese_title_is_found(org):
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"])
    factories.Dataset(name="kongqi", title="哈尔滨市空气质量监测数据", owner_org=org["id"])

    assert search("行政许可") == ["xzxk-mulu"]
    assert search("事项目录") == ["xzxk-mulu"]
    assert search("空气质量") == ["kongqi"]


def test_unrelated_word_finds_nothing(org):
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"])

    assert search("行政处罚") == []
    assert search("水库") == []


def test_characters_out_of_order_do_not_match(org):
    # The bigrams of 许可行政 all occur in the title's neighbourhood only as 行政许可: a phrase, not a bag.
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"])

    assert search("许可行政") == []


def test_words_in_notes_tags_and_resources_are_found(org):
    factories.Dataset(
        name="shuangyashan",
        title="双公示数据",
        notes="本数据集公开全市各部门作出的行政处罚决定。",
        tags=[{"name": "信用信息"}],
        owner_org=org["id"],
        resources=[
            {
                "url": "http://example.com/a.csv",
                "name": "二〇二四年处罚决定书清单",
                "description": "按季度更新",
            }
        ],
    )

    for word in ("处罚决定", "信用", "决定书清单", "季度更新"):
        assert search(word) == ["shuangyashan"], word


def test_mixed_chinese_and_english_query(org):
    factories.Dataset(name="api-doc", title="政务服务API接口说明", owner_org=org["id"])
    factories.Dataset(name="other", title="政务服务事项清单", owner_org=org["id"])

    assert search("政务服务 API") == ["api-doc"]
    assert search("api") == ["api-doc"]


def test_fullwidth_latin_and_digits_match_halfwidth(org):
    factories.Dataset(name="gdp", title="２０２４年ＧＤＰ统计公报", owner_org=org["id"])

    assert search("2024年GDP") == ["gdp"]


def test_english_search_still_stems(org):
    factories.Dataset(name="reports", title="Annual reports on government information", owner_org=org["id"])

    assert search("report") == ["reports"]


def test_caller_chosen_query_fields_are_respected(org):
    # A developer may restrict the fields on purpose; our Chinese fields are then not added.
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"])

    assert search("行政许可", qf="name^4 title^4") == []
    assert search("行政许可", qf="title_zh") == ["xzxk-mulu"]


def test_private_dataset_is_not_found_anonymously(org):
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"], private=True)
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=member["name"], role="member")

    anonymous = helpers.call_action(
        "package_search", context={"user": "", "ignore_auth": False}, q="行政许可", include_private=True
    )
    assert anonymous["count"] == 0
    as_member = helpers.call_action(
        "package_search",
        context={"user": member["name"], "ignore_auth": False},
        q="行政许可",
        include_private=True,
    )
    assert [d["name"] for d in as_member["results"]] == ["xzxk-mulu"]


def test_private_dataset_is_not_found_anonymously_over_http(app, org):
    factories.Dataset(name="xzxk-mulu", title=TITLE, owner_org=org["id"], private=True)
    factories.Dataset(name="public-one", title="黑龙江省行政许可办理指南", owner_org=org["id"])

    body = app.get(
        "/api/3/action/package_search", query_string={"q": "行政许可", "include_private": "true"}
    ).json
    assert [d["name"] for d in body["result"]["results"]] == ["public-one"]


def test_traditional_characters_find_simplified_titles(org):
    factories.Dataset(name="harbin-air", title="哈尔滨市空气质量监测数据", owner_org=org["id"])

    assert search("哈爾濱") == ["harbin-air"]


def test_unspaced_han_run_followed_by_latin_or_digits(org):
    # The query side keeps the position after a Han run, so what follows it still lines up with the index.
    factories.Dataset(name="doc", title="关于印发黑政办发〔2017〕10号文件的通知", owner_org=org["id"])
    factories.Dataset(name="api-doc", title="政务服务API接口说明", owner_org=org["id"])

    assert search("政务服务API") == ["api-doc"]
    assert search("黑政办发〔2017〕10号")[0] == "doc"
