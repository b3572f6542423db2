"""依申请公开 / 不予公开 items are invisible to anonymous users and other organisations on every surface.

The record is created with ``private=False`` on purpose: the platform must make it private anyway.
"""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SECRET_TITLE = "干部任免审批过程稿"
PUBLIC_TITLE = "行政许可事项办理结果"


def _org(user, name):
    return call_action(
        "organization_create",
        context={"user": user["name"]},
        name=name,
        title=name,
        org_kind="政府部门",
        admin_level="省",
        region_code="230000",
        review_required=False,
    )


def _item(user, org, name, title, attribute, **extra):
    return call_action(
        "package_create",
        context={"user": user["name"]},
        type="disclosure",
        name=name,
        title=title,
        owner_org=org["id"],
        item_level1="人事",
        item_level2="任免",
        disclosure_category="管理公开",
        notes=f"{title}的具体内容",
        deadline_rule="proactive_disclosure_20wd",
        disclosure_channel=["政府网站"],
        disclosure_audience="全社会",
        disclosure_mode="主动",
        disclosure_attribute=attribute,
        private=False,
        **extra,
    )


@pytest.fixture
def world():
    owner = factories.User()
    outsider = factories.User()
    sysadmin = factories.Sysadmin()
    org = _org(sysadmin, "hlj-rst")
    other = _org(sysadmin, "hlj-jyt")
    call_action("organization_member_create", id=org["id"], username=owner["name"], role="editor")
    call_action("organization_member_create", id=other["id"], username=outsider["name"], role="editor")
    secret = _item(
        owner,
        org,
        "ganbu-renmian",
        SECRET_TITLE,
        "不予公开",
        withholding_reason="过程性信息",
        withholding_ground="art16_process_information",
    )
    public = _item(owner, org, "xzxk-jieguo", PUBLIC_TITLE, "主动公开")
    resource = call_action(
        "datastore_create",
        context={"user": owner["name"]},
        resource={"package_id": secret["id"], "name": "名单"},
        fields=[{"id": "姓名", "type": "text"}],
        records=[{"姓名": "张三"}],
    )
    return {
        "org": org,
        "owner": owner,
        "outsider": outsider,
        "secret": secret,
        "public": public,
        "resource_id": resource["resource_id"],
    }


VIEWERS = ["anonymous", "outsider"]


def as_viewer(world, viewer):
    return {"user": "" if viewer == "anonymous" else world["outsider"]["name"], "ignore_auth": False}


def test_the_secret_item_is_stored_private(world):
    assert world["secret"]["private"] is True
    assert world["public"]["private"] is False


@pytest.mark.parametrize("viewer", VIEWERS)
def test_package_show(world, viewer):
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("package_show", context=as_viewer(world, viewer), id=world["secret"]["id"])
    shown = call_action(
        "package_show", context={"user": world["owner"]["name"], "ignore_auth": False}, id="ganbu-renmian"
    )
    assert shown["title"] == SECRET_TITLE


@pytest.mark.parametrize("viewer", VIEWERS)
def test_package_search_results_and_facets(world, viewer):
    result = call_action(
        "package_search",
        context=as_viewer(world, viewer),
        q="*:*",
        include_private=True,
        **{"facet.field": '["disclosure_attribute", "organization", "dataset_type"]'},
    )
    assert [d["name"] for d in result["results"]] == ["xzxk-jieguo"]
    facets = result["facets"]
    assert facets["disclosure_attribute"] == {"proactive": 1}
    assert facets["organization"] == {"hlj-rst": 1}
    assert facets["dataset_type"] == {"disclosure": 1}


def test_lists(world):
    anonymous = {"user": "", "ignore_auth": False}
    assert call_action("package_list", context=anonymous) == ["xzxk-jieguo"]
    listed = call_action("current_package_list_with_resources", context=anonymous)
    assert [d["name"] for d in listed] == ["xzxk-jieguo"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_activity_streams(world, viewer):
    context = as_viewer(world, viewer)
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("package_activity_list", context=context, id=world["secret"]["id"])
    org_activity = call_action("organization_activity_list", context=context, id=world["org"]["id"])
    titles = {a["data"].get("package", {}).get("title") for a in org_activity}
    assert SECRET_TITLE not in titles and PUBLIC_TITLE in titles
    recent = call_action("recently_changed_packages_activity_list", context=context)
    assert SECRET_TITLE not in {a["data"].get("package", {}).get("title") for a in recent}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_datastore_reads(world, viewer):
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("datastore_search", context=as_viewer(world, viewer), resource_id=world["resource_id"])


def test_pages_feeds_autocomplete_and_downloads(app, world):
    assert app.get("/disclosure/ganbu-renmian", status=404)
    assert app.get(f"/dataset/{world['secret']['id']}", status=404)
    org_page = app.get("/organization/hlj-rst").body
    assert PUBLIC_TITLE in org_page and SECRET_TITLE not in org_page
    search_page = app.get("/disclosure/").body
    assert PUBLIC_TITLE in search_page and SECRET_TITLE not in search_page
    for feed in ("/feeds/dataset.atom", "/feeds/organization/hlj-rst.atom", "/feeds/custom.atom?q=任免"):
        body = app.get(feed).body
        assert SECRET_TITLE not in body, feed
    completions = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": "干部"}).json
    assert completions["ResultSet"]["Result"] == []
    download = f"/dataset/{world['secret']['id']}/resource/{world['resource_id']}/download"
    assert app.get(download, status=403)
    assert app.get(f"/api/3/action/datastore_search?resource_id={world['resource_id']}", status=403)


def test_other_organisations_editor_sees_nothing_over_http(app, world):
    token = call_action(
        "api_token_create",
        context={"user": world["outsider"]["name"]},
        user=world["outsider"]["name"],
        name="t",
    )
    headers = {"Authorization": token["token"]}
    found = app.get(
        "/api/3/action/package_search", query_string={"q": "干部", "include_private": "true"}, headers=headers
    ).json
    assert found["result"]["count"] == 0
    app.get("/api/3/action/package_show?id=ganbu-renmian", headers=headers, status=403)
