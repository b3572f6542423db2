"""Search folds reprints under their original: the search pages show one result per document with "reprinted by N
sites", the API shows every record unless asked to fold, and a reprint's fold follows the latest check — through
CKAN, Solr's collapse filter and PostgreSQL."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests.helpers import call_action
from test_reprint_check import policy, site_source

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TITLE = "国务院关于深化“放管服”改革优化营商环境的意见"


@pytest.fixture
def reprinted(make_organization):
    """A State Council document, reprinted by three of four sites; an unrelated provincial document."""
    sysadmin = factories.Sysadmin()
    state_council = make_organization(
        name="guowuyuan", title="国务院", org_kind="government", admin_level="national", region_code="100000"
    )
    sites = [make_organization(name=f"site-{n}", title=f"黑龙江省某厅{n}") for n in range(4)]
    for org in sites:
        site_source(sysadmin, org, org["name"])
    original = policy(
        sysadmin, state_council, "gf-2019-12", TITLE, "国发〔2019〕12号", "2019-06-01T10:00:00+08:00",
        issuer="国务院", issuer_level="state_council",
    )  # fmt: skip
    for n, org in enumerate(sites[:3]):
        policy(
            sysadmin, org, f"zz-{n}", f"转发：{TITLE}", "国发〔2019〕12号", f"2019-06-0{2 + n}T09:00:00+08:00",
            issuer="国务院", issuer_level="state_council",
        )  # fmt: skip
    policy(sysadmin, sites[3], "own-1", "黑龙江省优化营商环境条例实施细则", "黑政规〔2019〕3号",
           "2019-07-01T09:00:00+08:00")  # fmt: skip
    return {"sysadmin": sysadmin, "original": original, "sites": sites}


def names_on(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup.select(".dataset-heading a")]


def test_search_pages_show_the_original_once_with_its_reprint_count(app, reprinted):
    # Before any check nothing is known to be a reprint: every copy is listed.
    assert sorted(names_on(app.get("/policy", params={"q": "放管服"}).body)) == [
        "gf-2019-12", "zz-0", "zz-1", "zz-2",
    ]  # fmt: skip

    done = call_action("hlj_reprint_check_run", context={"user": reprinted["sysadmin"]["name"]})
    assert done["folded"] == 3 and done["reindexed"] == 3

    page = app.get("/policy", params={"q": "放管服"}).body
    assert names_on(page) == ["gf-2019-12"], "the original stands for its reprints"
    soup = BeautifulSoup(page, "html.parser")
    note = soup.select_one(".hlj-reprinted-by")
    assert note["data-reprinted-by"] == "3"
    assert sorted(names_on(app.get(note.a["href"]).body)) == ["gf-2019-12", "zz-0", "zz-1", "zz-2"]

    # Folding does not hide unrelated records, and the result count is of documents, not copies.
    every = app.get("/policy").body
    assert sorted(names_on(every)) == ["gf-2019-12", "own-1"]

    # The API lists every record unless the caller asks for folding.
    assert call_action("package_search", q="放管服")["count"] == 4
    folded = call_action("package_search", q="放管服", extras={"ext_hlj_fold": "on"})
    assert [r["name"] for r in folded["results"]] == ["gf-2019-12"]
    assert folded["results"][0]["hlj_reprinted_by"] == 3


def test_a_reprint_matching_a_query_the_original_does_not_still_appears(app, reprinted):
    call_action("hlj_reprint_check_run", context={"user": reprinted["sysadmin"]["name"]})
    call_action(
        "package_patch",
        context={"user": reprinted["sysadmin"]["name"]},
        id="zz-1",
        notes="哈尔滨市贯彻落实意见",
    )
    assert names_on(app.get("/policy", params={"q": "哈尔滨"}).body) == ["zz-1"]


def test_the_fold_follows_the_latest_check(app, reprinted):
    sysadmin = reprinted["sysadmin"]
    call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert names_on(app.get("/policy", params={"q": "放管服"}).body) == ["gf-2019-12"]
    # A supervisor narrows the obligation to one site: the others' copies are no longer judged reprints of it …
    call_action(
        "package_patch", context={"user": sysadmin["name"]}, id="gf-2019-12", tag_string="转载范围-site-0"
    )
    done = call_action("hlj_reprint_check_run", context={"user": sysadmin["name"]})
    assert done["folded"] == 1 and done["reindexed"] == 2
    # … so they are listed on their own again.
    assert sorted(names_on(app.get("/policy", params={"q": "放管服"}).body)) == ["gf-2019-12", "zz-1", "zz-2"]


def test_a_reprints_page_links_to_its_original_and_the_original_counts_its_reprints(app, reprinted):
    assert "reprint-links" not in app.get("/policy/zz-0").body, "nothing is known before a check"
    call_action("hlj_reprint_check_run", context={"user": reprinted["sysadmin"]["name"]})
    reprint = BeautifulSoup(app.get("/policy/zz-0").body, "html.parser").select_one("#reprint-links")
    assert reprint.a["href"].endswith("/policy/gf-2019-12") and reprint.a.text == TITLE
    original = BeautifulSoup(app.get("/policy/gf-2019-12").body, "html.parser").select_one("#reprint-links")
    assert original.select_one(".hlj-reprinted-by")["data-reprinted-by"] == "3"
    assert "reprint-links" not in app.get("/policy/own-1").body
