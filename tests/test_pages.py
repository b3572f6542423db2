"""Dataset pages: policy documents and their interpretations link both ways; the review panel for the organisation."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def policy(user, org, name, title, **extra):
    return call_action(
        "package_create",
        context={"user": user["name"]},
        type="policy",
        name=name,
        title=title,
        owner_org=org["id"],
        issuer="黑龙江省人民政府办公厅",
        issuer_level="省政府",
        written_date="2017-03-20",
        disclosure_attribute="主动公开",
        **extra,
    )


def soup(app, url, **kwargs):
    return BeautifulSoup(app.get(url, **kwargs).body, "html.parser")


def test_document_and_interpretation_link_both_ways(app, make_organization):
    sysadmin = factories.Sysadmin()
    org = make_organization(name="hlj-gov-office", title="黑龙江省人民政府办公厅")
    policy(sysadmin, org, "shishi-yijian", "关于全面推进政务公开工作的实施意见", policy_role="document")
    policy(
        sysadmin,
        org,
        "shishi-yijian-jiedu",
        "《实施意见》政策解读",
        policy_role="interpretation",
        interprets="shishi-yijian",
    )

    document_page = soup(app, "/policy/shishi-yijian")
    links = document_page.select("#policy-links a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("《实施意见》政策解读", "/policy/shishi-yijian-jiedu")
    ]
    assert "政策解读" in document_page.select_one("#policy-links").get_text()

    interpretation_page = soup(app, "/policy/shishi-yijian-jiedu")
    back = interpretation_page.select("#policy-links a")
    assert [(a.get_text(), a["href"]) for a in back] == [
        ("关于全面推进政务公开工作的实施意见", "/policy/shishi-yijian")
    ]


def test_review_panel_shows_decisions_to_the_organisation_and_lets_reviewers_decide(app, make_organization):
    editor, reviewer, outsider = factories.User(), factories.User(), factories.User()
    org = make_organization(
        review_required=True,
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": reviewer["name"], "capacity": "editor"},
        ],
    )
    admin = factories.Sysadmin()
    call_action(
        "hlj_reviewer_create", context={"user": admin["name"]}, id=org["id"], username=reviewer["name"]
    )
    created = policy(editor, org, "daishen", "待审查的文件", policy_role="document")

    def headers(user):
        token = call_action("api_token_create", context={"user": user["name"]}, user=user["name"], name="t")
        return {"Authorization": token["token"]}

    editor_view = soup(app, "/policy/daishen", headers=headers(editor))
    assert editor_view.select_one(".hlj-review-status").get_text() == "待审查"
    assert editor_view.select_one(".hlj-review-form") is None, "editors cannot decide"

    reviewer_view = soup(app, "/policy/daishen", headers=headers(reviewer))
    assert reviewer_view.select_one(".hlj-review-form") is not None
    response = app.post(
        f"/dataset/{created['id']}/review",
        data={"decision": "rejected", "comment": "含内部讨论内容"},
        headers=headers(reviewer),
        follow_redirects=False,
    )
    assert response.status_code == 302
    rows = soup(app, "/policy/daishen", headers=headers(editor)).select(".hlj-review tbody tr")
    assert [[td.get_text() for td in row.select("td")][1:] for row in rows] == [
        [reviewer["name"], "已退回", "含内部讨论内容"]
    ]

    app.get("/policy/daishen", headers=headers(outsider), status=404)
    outsider_post = app.post(
        f"/dataset/{created['id']}/review", data={"decision": "approved"}, headers=headers(outsider)
    )
    assert outsider_post.status_code == 403
