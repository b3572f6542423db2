"""The sysadmin audit trail (ckanext.hlj.security.audit): what sysadmins change is recorded — which action, who,
when, on what — without secrets, and only sysadmins read it; other users, reads and the portal's own site user
are not recorded. Through the real action API and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

NEW_PASSWORD = "Audit-Secret-Passw0rd-9"


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


def api(app, action_name: str, token: str | None, status: int = 200, **data):
    headers = {"Authorization": token} if token else {}
    response = app.post(f"/api/3/action/{action_name}", json=data, headers=headers)
    assert response.status_code == status, response.body
    return response.json


def audit(app, token: str, **filters) -> list[dict]:
    return api(app, "hlj_audit_log_list", token, **filters)["result"]


def test_a_sysadmins_change_is_recorded_without_the_password(app, sysadmin):
    target = factories.User()
    before = dt.datetime.now(dt.UTC)

    api(app, "user_update", sysadmin["token"], id=target["id"], email="new@hlj.test", password=NEW_PASSWORD)

    entries = audit(app, sysadmin["token"], action="user_update")
    assert len(entries) == 1
    entry = entries[0]
    assert entry["actor_name"] == sysadmin["name"] and entry["actor_id"] == sysadmin["id"]
    assert entry["target_id"] == target["id"]
    assert entry["request"] == "POST /api/3/action/user_update" and entry["client_ip"]
    assert dt.datetime.fromisoformat(entry["created"]) >= before - dt.timedelta(seconds=1)
    assert entry["payload"]["email"] == "new@hlj.test" and entry["payload"]["password"] == "***"
    assert NEW_PASSWORD not in json.dumps(entries), "no secret in the audit log"


def test_an_issued_token_is_not_recorded_only_that_it_was_issued(app, sysadmin):
    created = api(app, "api_token_create", sysadmin["token"], user=sysadmin["name"], name="deploy")["result"]

    entries = audit(app, sysadmin["token"], action="api_token_create")
    assert [e["target_id"] for e in entries] == [created["id"]]
    assert created["token"] not in json.dumps(entries)


def test_a_dataset_deleted_by_a_sysadmin_is_recorded_by_name(app, sysadmin, make_organization):
    org = make_organization(name="hlj-audit-org", title="审计测试机构")
    dataset = factories.Dataset(owner_org=org["id"], name="to-be-deleted")

    api(app, "package_delete", sysadmin["token"], id="to-be-deleted")

    entries = audit(app, sysadmin["token"], target_id="to-be-deleted")
    assert [e["action"] for e in entries] == ["package_delete"]
    assert dataset["id"]  # the entry keeps the name the sysadmin used; the dataset itself is gone


def test_other_users_reads_and_the_site_user_are_not_recorded(app, sysadmin, make_organization):
    editor = factories.UserWithToken()
    org = make_organization(
        name="hlj-audit-org", title="审计测试机构", users=[{"name": editor["name"], "capacity": "editor"}]
    )
    before = len(audit(app, sysadmin["token"], limit=1000))

    api(app, "package_create", editor["token"], name="by-an-editor", title="编辑创建", owner_org=org["id"])
    api(app, "package_show", sysadmin["token"], id="by-an-editor")
    api(app, "package_search", sysadmin["token"], q="编辑")
    site_user = call_action("get_site_user", context={"ignore_auth": True})
    call_action(
        "package_patch", context={"user": site_user["name"]}, id="by-an-editor", title="由站点用户修改"
    )

    after = audit(app, sysadmin["token"], limit=1000)
    assert len(after) == before, [(e["action"], e["actor_name"]) for e in after]


def test_only_sysadmins_read_the_audit_log(app, sysadmin):
    user = factories.UserWithToken()
    api(app, "user_update", sysadmin["token"], id=user["id"], email="x@hlj.test")

    assert api(app, "hlj_audit_log_list", user["token"], status=403)["success"] is False
    assert api(app, "hlj_audit_log_list", None, status=403)["success"] is False
    assert audit(app, sysadmin["token"], actor=sysadmin["name"], limit=5)
    assert audit(app, sysadmin["token"], actor="someone-else") == []
    api(app, "hlj_audit_log_list", sysadmin["token"], status=409, limit="many")
