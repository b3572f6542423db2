"""Pre-publication confidentiality review (保密审查): nothing is public before a reviewer approves it."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def people():
    return {role: factories.User(name=role) for role in ("admin_user", "editor", "reviewer", "outsider")}


@pytest.fixture
def org(people, make_organization):
    org = make_organization(
        name="hlj-mzt",
        title="黑龙江省民政厅",
        review_required=True,
        users=[
            {"name": "admin_user", "capacity": "admin"},
            {"name": "editor", "capacity": "editor"},
            {"name": "reviewer", "capacity": "editor"},
        ],
    )
    call_action("hlj_reviewer_create", context={"user": "admin_user"}, id=org["id"], username="reviewer")
    return org


def as_user(name):
    return {"user": name, "ignore_auth": False}


def draft(org):
    return call_action(
        "package_create",
        context=as_user("editor"),
        type="disclosure",
        name="shehui-jiuzhu",
        title="社会救助政策",
        owner_org=org["id"],
        item_level1="社会救助",
        item_level2="最低生活保障",
        disclosure_category="服务公开",
        notes="低保标准、申请条件和办理流程",
        deadline_rule="proactive_disclosure_20wd",
        disclosure_channel=["政府网站"],
        disclosure_audience="全社会",
        disclosure_mode="主动",
        disclosure_attribute="主动公开",
        private=False,
    )


def anonymous_can_find():
    return call_action("package_search", context=as_user(""), q="最低生活保障")["count"] == 1


def test_a_new_record_waits_for_review_and_is_private(org):
    created = draft(org)

    assert created["review_status"] == "pending"
    assert created["private"] is True
    assert not anonymous_can_find()
    queue = call_action("hlj_review_queue_list", context=as_user("reviewer"), id=org["id"])
    assert [q["name"] for q in queue] == ["shehui-jiuzhu"]


def test_the_client_cannot_approve_its_own_record(org):
    created = draft(org)

    patched = call_action(
        "package_patch", context=as_user("editor"), id=created["id"], review_status="approved", private=False
    )
    assert patched["review_status"] == "pending" and patched["private"] is True


def test_approval_publishes_and_is_recorded(org):
    created = draft(org)

    decision = call_action(
        "hlj_review_decide",
        context=as_user("reviewer"),
        id=created["id"],
        decision="approved",
        comment="无涉密内容",
    )

    assert decision["review_status"] == "approved" and decision["private"] is False
    assert anonymous_can_find()
    history = call_action("hlj_review_list", context=as_user("editor"), id=created["id"])
    assert [(d["decision"], d["user"], d["comment"]) for d in history["decisions"]] == [
        ("approved", "reviewer", "无涉密内容")
    ]
    assert history["decisions"][0]["created"]


def test_rejection_needs_reasons_returns_the_record_and_a_change_resubmits_it(org):
    created = draft(org)

    with pytest.raises(helpers.logic.ValidationError) as error:
        call_action("hlj_review_decide", context=as_user("reviewer"), id=created["id"], decision="rejected")
    assert list(error.value.error_dict) == ["comment"]

    call_action(
        "hlj_review_decide",
        context=as_user("reviewer"),
        id=created["id"],
        decision="rejected",
        comment="含有个人信息，请删除后再提交",
    )
    assert call_action("package_show", id=created["id"])["review_status"] == "rejected"
    assert not anonymous_can_find()

    resubmitted = call_action(
        "package_patch", context=as_user("editor"), id=created["id"], notes="低保标准和申请条件"
    )
    assert resubmitted["review_status"] == "pending"
    decisions = call_action("hlj_review_list", context=as_user("editor"), id=created["id"])["decisions"]
    assert [d["decision"] for d in decisions] == ["rejected"]


def test_an_editors_change_to_an_approved_record_goes_back_to_review(org):
    created = draft(org)
    call_action("hlj_review_decide", context=as_user("reviewer"), id=created["id"], decision="approved")
    assert anonymous_can_find()

    by_reviewer = call_action(
        "package_patch", context=as_user("reviewer"), id=created["id"], notes="低保标准（2024年）和申请条件"
    )
    assert by_reviewer["review_status"] == "approved" and anonymous_can_find(), (
        "a reviewer answers for own edits"
    )

    changed = call_action(
        "package_patch", context=as_user("editor"), id=created["id"], notes="低保标准和申请条件"
    )
    assert changed["review_status"] == "pending" and changed["private"] is True
    assert not anonymous_can_find(), "what is public must be what was reviewed"

    call_action("hlj_review_decide", context=as_user("reviewer"), id=created["id"], decision="approved")
    assert anonymous_can_find()


def test_only_the_organisations_reviewers_decide(org):
    created = draft(org)

    for name in ("editor", "outsider", "admin_user"):
        with pytest.raises(helpers.logic.NotAuthorized):
            call_action("hlj_review_decide", context=as_user(name), id=created["id"], decision="approved")
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("hlj_review_list", context=as_user("outsider"), id=created["id"])


def test_only_organisation_admins_assign_reviewers(org, people):
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("hlj_reviewer_create", context=as_user("editor"), id=org["id"], username="editor")
    with pytest.raises(helpers.logic.ValidationError):
        call_action("hlj_reviewer_create", context=as_user("admin_user"), id=org["id"], username="outsider")

    listed = call_action("hlj_reviewer_list", context=as_user("editor"), id=org["id"])
    assert [r["user"] for r in listed] == ["reviewer"]
    call_action("hlj_reviewer_delete", context=as_user("admin_user"), id=org["id"], username="reviewer")
    assert call_action("hlj_reviewer_list", context=as_user("editor"), id=org["id"]) == []


def test_approval_does_not_publish_what_the_law_keeps_private(org):
    created = draft(org)
    call_action(
        "package_patch",
        context=as_user("editor"),
        id=created["id"],
        disclosure_attribute="依申请公开",
    )

    decision = call_action(
        "hlj_review_decide", context=as_user("reviewer"), id=created["id"], decision="approved"
    )

    assert decision["review_status"] == "approved" and decision["private"] is True


def test_organisations_without_review_publish_at_once(make_organization):
    org = make_organization(review_required=False)
    factories.User(name="editor")
    call_action("organization_member_create", id=org["id"], username="editor", role="editor")

    created = draft(org)

    assert created["review_status"] == "approved" and created["private"] is False
    assert model.Package.get(created["id"]).private is False
