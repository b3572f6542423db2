"""ckanapi against the portal over real HTTP: the test config's CKAN app served by werkzeug on a loopback port.

RemoteCKAN and ckanapi's command line go through the network stack a client uses (JSON bodies, multipart uploads,
API tokens in the Authorization header, HTTP status codes turned back into ckanapi's exceptions), not through
CKAN's test client.
"""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.serving import make_server

from ckanext.hlj.views import api_docs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

CKANAPI = Path(sys.executable).with_name("ckanapi")


@pytest.fixture
def portal(app) -> Iterator[str]:
    """The base URL of the portal, served in a thread for the duration of the test."""
    server = make_server("127.0.0.1", 0, app.app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def editor():
    return factories.User()


@pytest.fixture
def org(make_organization, editor):
    return make_organization(
        name="hlj-scjgj",
        title="黑龙江省市场监督管理局",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )


def token_of(user) -> str:
    return call_action("api_token_create", context={"user": user["name"]}, user=user["name"], name="ckanapi")[
        "token"
    ]


def disclosure(org, **overrides):
    return {
        "type": "disclosure",
        "name": "xzxk-jieguo",
        "title": "行政许可事项办理结果",
        "owner_org": org["id"],
        "item_level1": "行政许可",
        "item_level2": "许可结果",
        "disclosure_category": "结果公开",
        "notes": "许可决定书文号、许可内容、行政相对人名称",
        "deadline_rule": "decision_publication_7wd",
        "disclosure_channel": ["政府网站"],
        "disclosure_audience": "全社会",
        "disclosure_mode": "主动",
        "disclosure_attribute": "主动公开",
        "contact_phone": "0451-82345678",
        **overrides,
    }


def test_package_search_finds_public_records_only(portal, org):
    sysadmin = factories.Sysadmin()
    call_action("package_create", context={"user": sysadmin["name"]}, **disclosure(org))
    call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        **disclosure(org, name="yishenqing", title="行政许可申请材料", disclosure_attribute="依申请公开"),
    )

    result = ckanapi.RemoteCKAN(portal).action.package_search(q="行政许可")

    assert [d["name"] for d in result["results"]] == ["xzxk-jieguo"]


def test_an_hlj_action_anonymously(portal):
    answer = ckanapi.RemoteCKAN(portal).action.hlj_deadline_compute(
        start="2024-02-08", rule="decision_publication_7wd"
    )
    assert answer["due"] == "2024-02-23"
    assert answer["unit"] == "working_days"


def test_package_create_with_a_users_api_token(portal, org, editor):
    remote = ckanapi.RemoteCKAN(portal, apikey=token_of(editor))

    created = remote.action.package_create(**disclosure(org))

    stored = call_action("package_show", id="xzxk-jieguo")
    assert created["id"] == stored["id"]
    assert stored["creator_user_id"] == editor["id"]
    assert stored["disclosure_category"] == "result", "labels sent by the client are stored as codes"
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(portal).action.package_create(**disclosure(org, name="anonymous-try"))


def test_validation_errors_come_back_per_field_in_chinese_or_english(portal, org, editor):
    token = token_of(editor)
    bad = disclosure(org, disclosure_attribute="不予公开", contact_phone="电话")

    with pytest.raises(ckanapi.ValidationError) as zh:
        ckanapi.RemoteCKAN(portal, apikey=token).action.package_create(**bad)
    with pytest.raises(ckanapi.ValidationError) as en:
        ckanapi.RemoteCKAN(portal + "/en", apikey=token).action.package_create(**bad)

    assert zh.value.error_dict["withholding_reason"] == ["公开属性为「不予公开」时必须填写"]
    assert en.value.error_dict["withholding_reason"] == ["Required when Disclosure status is Not disclosed"]
    assert (
        set(zh.value.error_dict)
        == set(en.value.error_dict)
        >= {
            "withholding_reason",
            "withholding_ground",
            "contact_phone",
        }
    )
    assert zh.value.error_dict["contact_phone"] != en.value.error_dict["contact_phone"]
    assert call_action("package_search", q="name:xzxk-jieguo", include_private=True)["count"] == 0


def test_hlj_action_errors_too(portal):
    with pytest.raises(ckanapi.ValidationError) as error:
        ckanapi.RemoteCKAN(portal + "/en").action.hlj_deadline_compute(start="2024-02-30", working_days=7)
    fields = {k: v for k, v in error.value.error_dict.items() if k != "__type"}  # ckanapi keeps CKAN's type
    assert list(fields) == ["start"]
    assert fields["start"][0].isascii(), fields


def test_file_upload_through_ckanapi(portal, org, editor):
    remote = ckanapi.RemoteCKAN(portal, apikey=token_of(editor))
    publication = remote.action.hlj_credit_publication_create(
        name="scjg-xzxk", title="省市场监管局行政许可决定公示", owner_org=org["id"], credit_kind="licensing"
    )
    fields = remote.action.hlj_credit_fields(kind="licensing")
    required = [rule["id"] for rule in fields["rules"] if rule["required"]]
    csv = io.BytesIO((",".join(required) + "\n").encode("utf-8"))
    csv.name = "xk.csv"

    report = remote.action.hlj_credit_rows_upsert(id=publication["id"], upload=csv)

    assert report["rows"] == 0, "an empty file with the required columns loads nothing"
    assert report["resource_id"] == publication["credit_resource_id"]


def test_the_documented_ckanapi_command_works(portal):
    example = api_docs.examples()["hlj_deadline_compute"]
    words = shlex.split(api_docs.ckanapi_cli("hlj_deadline_compute", example))
    words[0] = str(CKANAPI)
    words[words.index("-r") + 1] = portal

    result = subprocess.run(words, capture_output=True, text=True, timeout=60, check=True)

    assert json.loads(result.stdout) == example["response"] | {"basis": json.loads(result.stdout)["basis"]}
