"""The API documentation page /api/hlj: every registered hlj_* action, its docstring, who may call it, examples."""

from __future__ import annotations

import functools
import inspect
import shlex
from typing import Any

import ckan.logic
import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.hlj.views import api_docs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def registered_hlj_actions() -> set[str]:
    """What CKAN serves, read from CKAN's own action registry (not from the page's discovery code)."""
    tk.get_action("package_show")  # fills the registry
    return {name for name in ckan.logic._actions if name.startswith("hlj_")}


def documented_function(name: str) -> Any:
    """The action as written: CKAN serves a chained action as a partial around the one it wraps."""
    function = inspect.unwrap(tk.get_action(name))
    while isinstance(function, functools.partial):
        function = function.args[0]
    return function


def page(app, url: str = "/api/hlj") -> BeautifulSoup:
    return BeautifulSoup(app.get(url).body, "html.parser")


def sections(soup: BeautifulSoup) -> dict[str, Any]:
    return {s["data-action"]: s for s in soup.select("section.hlj-api-action")}


def test_every_registered_hlj_action_is_on_the_page_with_its_docstring(app):
    registered = registered_hlj_actions()
    shown = sections(page(app))

    assert "hlj_deadline_compute" in registered and len(registered) >= 20
    assert set(shown) == registered
    for name, section in shown.items():
        summary = " ".join(p.get_text() for p in section.select(".hlj-api-summary"))
        first_line = (documented_function(name).__doc__ or "").strip().splitlines()[0]
        assert summary and summary.startswith(first_line.replace("``", "")[:30]), name
        assert section.select_one(f'#hlj-api-toc a[href="#{name}"]') is None  # the table of contents is aside
    toc = {a["href"][1:] for a in page(app).select("#hlj-api-toc a")}
    assert toc == registered


def test_every_action_has_auth_an_example_request_and_response(app):
    for name, section in sections(page(app)).items():
        assert section.select_one(".hlj-api-no-example") is None, (
            f"{name}: add it to templates/hlj/api/examples.yaml"
        )
        assert section.select_one(".hlj-api-auth")["data-auth"] in api_docs.AUTH_LEVELS, name
        assert name in section.select_one(".hlj-api-curl").get_text()
        assert section.select_one(".hlj-api-ckanapi").get_text().startswith(f"ckanapi action {name}")
        assert f"portal.action.{name}(" in section.select_one(".hlj-api-python").get_text()
        assert '"success": true' in section.select_one(".hlj-api-response").get_text()


def test_parameters_come_from_the_docstring_and_requests_from_the_example(app):
    section = sections(page(app))["hlj_deadline_compute"]
    params = [row.select("td")[0].get_text() for row in section.select(".hlj-api-params tbody tr")]
    assert params == ["start", "rule", "working_days", "days", "hours", "provisional"]
    assert section.select_one(".hlj-api-auth")["data-auth"] == "anonymous"
    curl = section.select_one(".hlj-api-curl").get_text()
    assert shlex.split(curl.replace("\\\n", " ")) == [
        "curl",
        "-G",
        "http://test.ckan.net/api/3/action/hlj_deadline_compute",
        "--data-urlencode",
        "start=2024-02-08",
        "--data-urlencode",
        "rule=decision_publication_7wd",
    ]

    upload = sections(page(app))["hlj_import_create"]
    curl = shlex.split(upload.select_one(".hlj-api-curl").get_text().replace("\\\n", " "))
    assert curl[:3] == ["curl", "-X", "POST"]
    assert "Authorization: $CKAN_API_TOKEN" in curl
    assert "upload=@items.xlsx" in curl
    assert "upload@items.xlsx" in upload.select_one(".hlj-api-ckanapi").get_text()


def test_documented_auth_is_what_the_auth_functions_enforce():
    outsider = factories.User()

    def allowed(name: str, user: str, params: dict[str, Any]) -> bool:
        try:
            tk.check_access(name, {"user": user, "ignore_auth": False}, dict(params))
        except tk.NotAuthorized:
            return False
        except tk.ObjectNotFound:  # the example's record does not exist here; the auth let the call through
            return True
        return True

    examples = api_docs.examples()
    for name in registered_hlj_actions():
        example = examples[name]
        params = example.get("params") or {}
        assert allowed(name, "", params) is (example["auth"] == "anonymous"), name
        if example["auth"] == "sysadmin":  # needs no record of an organisation: any other user is refused
            assert not allowed(name, outsider["name"], params), name


def same_shape(documented: Any, live: Any, path: str = "result") -> None:
    """The documented response has the keys the action returns, at every level both have."""
    if isinstance(documented, dict) and isinstance(live, dict):
        assert set(documented) == set(live), (path, set(documented) ^ set(live))
        for key in documented:
            same_shape(documented[key], live[key], f"{path}.{key}")
    elif isinstance(documented, list) and isinstance(live, list) and documented and live:
        same_shape(documented[0], live[0], f"{path}[0]")


def test_documented_responses_of_the_public_read_actions_match_live_answers(app, make_organization):
    sysadmin = factories.Sysadmin()
    gat = make_organization(name="hlj-gat", title="黑龙江省公安厅")
    make_organization(name="hlj-zjt", title="黑龙江省住房和城乡建设厅")
    call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        type="policy",
        name="shishi-yijian",
        title="关于全面推进政务公开工作的实施意见",
        owner_org=gat["id"],
        policy_role="document",
        issuer="黑龙江省公安厅",
        issuer_level="省直部门",
        written_date="2024-01-05",
        disclosure_attribute="主动公开",
    )
    examples = api_docs.examples()
    checked = []
    for name, function in api_docs.registered_actions().items():
        example = examples[name]
        if example["auth"] != "anonymous" or not getattr(function, "side_effect_free", False):
            continue
        live = app.get(f"/api/3/action/{name}", query_string=example.get("params") or {}).json
        assert live["success"], (name, live)
        same_shape(example["response"], live["result"], name)
        checked.append(name)
    assert {"hlj_deadline_compute", "hlj_credit_fields", "hlj_deadline_status_show"} <= set(checked)


def test_page_in_english_under_en(app):
    soup = page(app, "/en/api/hlj")
    assert soup.select_one("h1").get_text() == "Platform API"
    assert soup.select_one('[data-action="hlj_deadline_compute"] .hlj-api-auth').get_text(
        " ", strip=True
    ) == ("Who may call it: Anyone, without an API token")
