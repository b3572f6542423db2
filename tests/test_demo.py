"""Demo data and the local sysadmin, as `make run` loads them: real records, loaded once, found in Chinese."""

from __future__ import annotations

import stat

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.hlj import demo
from ckanext.hlj.catalogue.organizations import by_name, public_bodies
from ckanext.hlj.demo.sysadmin import ensure_sysadmin

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def admin(tmp_path):
    creds, _ = ensure_sysadmin("admin", "admin@hlj.invalid", tmp_path / "admin.json")
    return creds


def test_load_is_idempotent_and_complete(admin):
    # One load serves several checks: loading the whole demo is the slow part of this module.
    first = demo.load(admin.user)
    second = demo.load(admin.user)

    records = demo.demo_records()
    # organisations, the seed dataset and its resource, the records of each type
    assert len(first.created) == len(public_bodies()) + 2 + len(records)
    assert second.created == [] and second.updated == []
    assert len(helpers.call_action("organization_list")) == len(public_bodies())
    assert {r["type"] for r in records} == {
        "policy",
        "disclosure",
        "service-item",
        "open-data",
        "credit-publication",
    }
    # Everything is public after the loader's review except the item the law keeps private.
    public = helpers.call_action("package_search", q="*:*", rows=100)["results"]
    assert len(public) == 1 + len(records) - 1
    assert "rst-ganbu-renmian-guocheng" not in {d["name"] for d in public}
    owners = {r["owner_org"] for r in records}
    assert {"harbin", "daqing"} <= owners and len(owners - {"harbin", "daqing"}) >= 3
    check_reform_renamed_departments_keep_their_former_names()
    check_seed_document_is_searchable_by_a_phrase_of_its_body()


def check_reform_renamed_departments_keep_their_former_names():
    org = helpers.call_action("organization_show", id="hlj-scjgj")
    assert org["title"] == "黑龙江省市场监督管理局"
    assert "黑龙江省工商行政管理局" in org["former_names"]
    assert org["seed_names"] == ["工商", "质监", "食品药品监管"]
    assert org["org_kind"] == "department" and org["parent_org"] == "hlj-gov"
    harbin = helpers.call_action("organization_show", id="harbin")
    assert harbin["region_code"] == "230100" and harbin["admin_level"] == "city"
    assert helpers.call_action("organization_show", id="guowuyuan")["region_code"] == "100000"


def test_catalogue_covers_the_seeds_eighteen_departments_and_thirteen_cities():
    seed_names = [n for b in public_bodies() for n in b.seed_names]
    assert len(seed_names) == 18 and len(set(seed_names)) == 18
    cities = [b for b in public_bodies() if b.group == "cities"]
    assert len(cities) == 13
    assert {b.region_code for b in cities} >= {"230100", "232700"}
    assert by_name("guowuyuan").reprint_issuer


def check_seed_document_is_searchable_by_a_phrase_of_its_body():
    result = helpers.call_action("package_search", q="预公开制度")
    assert [d["name"] for d in result["results"]] == [demo.SEED_DATASET["name"]]
    dataset = result["results"][0]
    assert dataset["organization"]["name"] == "hlj-gov-office"
    assert dataset["type"] == "policy" and dataset["written_date"] == "2017-03-20"
    assert dataset["is_reprint"] is False, "the general office publishes its own document"
    assert dataset["resources"][0]["url_type"] == "upload"


def test_a_deleted_demo_record_is_restored(admin):
    demo.load(admin.user)
    helpers.call_action("organization_delete", context={"user": admin.user}, id="qiqihar")

    report = demo.load(admin.user)

    assert report.updated == ["organization:qiqihar"]
    assert helpers.call_action("organization_show", id="qiqihar")["state"] == "active"


def test_sysadmin_credentials_are_generated_private_and_reused(tmp_path):
    path = tmp_path / "admin.json"
    first, fresh = ensure_sysadmin("admin", "admin@hlj.invalid", path)
    again, fresh_again = ensure_sysadmin("admin", "admin@hlj.invalid", path)

    assert fresh and not fresh_again
    assert again == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert model.User.get("admin").sysadmin
    assert len(first.password) >= 16
    # The token works against the API.
    assert helpers.call_action("api_token_list", context={"user": "admin"}, user_id="admin")


def test_lost_credentials_file_gets_a_new_password(tmp_path):
    first, _ = ensure_sysadmin("admin", "admin@hlj.invalid", tmp_path / "a.json")
    second, fresh = ensure_sysadmin("admin", "admin@hlj.invalid", tmp_path / "b.json")

    assert fresh
    assert second.password != first.password
    assert model.User.get("admin").validate_password(second.password)


def test_an_older_demo_record_of_another_type_is_replaced(admin, make_organization):
    make_organization(name="hlj-gov-office", title="黑龙江省人民政府办公厅")
    helpers.call_action(
        "package_create",
        context={"user": admin.user},
        name=demo.SEED_DATASET["name"],
        title="旧版演示数据",
        owner_org="hlj-gov-office",
    )

    report = demo.load(admin.user)

    assert f"package:{demo.SEED_DATASET['name']}" in report.updated
    shown = helpers.call_action("package_show", id=demo.SEED_DATASET["name"])
    assert shown["type"] == "policy" and shown["written_date"] == "2017-03-20"
    assert demo.load(admin.user).updated == []
