"""The hlj_credit harvester end to end: exchange files from a loopback URL and from a drop folder, through
ckanext-harvest's real queues into the department's credit publication in the real DataStore."""

from __future__ import annotations

import json

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from test_credit import DEPARTMENT, PERSON, PERSON_MASKED, penalty_rows, to_csv

from .runner import purge, report, run_job
from .server import server_fixture

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

site = server_fixture()


@pytest.fixture
def world(make_organization):
    purge()
    return {
        "sysadmin": factories.Sysadmin(),
        "org": make_organization(
            name="hlj-gat", title="黑龙江省公安厅", uscc=DEPARTMENT, review_required=False
        ),
    }


def make_source(world, url: str, config: dict | None = None, name: str = "gat-credit") -> dict:
    return call_action(
        "harvest_source_create",
        context={"user": world["sysadmin"]["name"]},
        name=name,
        title="省公安厅双公示",
        url=url,
        source_type="hlj_credit",
        owner_org=world["org"]["id"],
        config=json.dumps(config or {}),
    )


def publication(world) -> dict:
    found = call_action(
        "package_search", fq='+dataset_type:"credit-publication"', include_private=True, rows=10
    )["results"]
    assert len(found) == 1, found
    return call_action("package_show", id=found[0]["id"])


def public_rows(resource_id: str) -> list[dict]:
    return call_action("datastore_search", resource_id=resource_id, limit=1000)["records"]


def test_a_csv_from_a_url_is_loaded_in_chunks_with_bad_rows_named(site, world):
    site.route("/exchange/cf.csv", to_csv(penalty_rows()), content_type="text/csv")
    source = make_source(world, site.url("/exchange/cf.csv"), {"chunk_size": 2})

    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    from ckanext.harvest.model import HarvestObject  # noqa: PLC0415

    chunks = HarvestObject.filter(harvest_job_id=job["id"]).count()
    assert chunks == 3, "6 rows in chunks of 2: one harvest object per chunk, not per record"
    pub = publication(world)
    assert pub["credit_kind"] == "penalty" and pub["owner_org"] == world["org"]["id"]
    rows = public_rows(pub["resources"][0]["id"])
    assert {r["CF_WSH"] for r in rows} == {
        "黑公罚决字〔2024〕12号",
        "黑公罚决字〔2024〕13号",
        "黑公罚决字〔2024〕17号",
    }
    person = next(r for r in rows if r["CF_XDR_ZJHM"])
    assert person["CF_XDR_ZJHM"] == PERSON_MASKED and PERSON not in json.dumps(rows, ensure_ascii=False)
    assert all(r["first_seen_at"] and r["source_updated_at"] for r in rows)

    errors = json.dumps(report(job["id"], world["sysadmin"]["name"])["object_errors"], ensure_ascii=False)
    for row in ("第4行", "第5行", "第6行"):
        assert f"cf.csv {row}" in errors, (row, errors)

    rerun = run_job(source["id"], world["sysadmin"]["name"])
    assert rerun["status"] == "Finished" and not rerun["stats"].get("added")
    assert len(public_rows(pub["resources"][0]["id"])) == 3, "an unchanged file is not loaded twice"


def test_a_drop_folder_loads_each_new_file_once(tmp_path, world, monkeypatch):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    drop = tmp_path / "drop" / "gat"
    drop.mkdir(parents=True)
    monkeypatch.setitem(tk.config, "ckanext.hlj.harvest.drop_root", str(tmp_path / "drop"))
    rows = penalty_rows()
    (drop / "first.csv").write_bytes(to_csv(rows[:3]))
    source = make_source(world, "http://credit.hlj.gov.cn/exchange", {"drop_folder": str(drop)})

    run_job(source["id"], world["sysadmin"]["name"])
    pub = publication(world)
    assert len(public_rows(pub["resources"][0]["id"])) == 2

    (drop / "second.csv").write_bytes(to_csv([rows[0], rows[6]], encoding="gb18030"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished"
    assert len(public_rows(pub["resources"][0]["id"])) == 3


def test_a_drop_folder_outside_the_root_is_refused_when_saved(tmp_path, world, monkeypatch):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from ckan.logic import ValidationError  # noqa: PLC0415

    monkeypatch.setitem(tk.config, "ckanext.hlj.harvest.drop_root", str(tmp_path / "drop"))
    with pytest.raises(ValidationError) as error:
        make_source(
            world, "http://credit.hlj.gov.cn/x", {"drop_folder": "/etc", "chunk_size": 0, "colour": 1}
        )
    message = json.dumps(error.value.error_dict, ensure_ascii=False)
    assert "drop_folder" in message and "chunk_size" in message and "colour" in message


def test_an_unreadable_file_is_a_gather_error_and_the_job_finishes(site, world):
    site.route("/exchange/cf.csv", b"\x00\x01 not a table at all", content_type="text/csv")
    source = make_source(world, site.url("/exchange/cf.csv"))
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished"
    assert report(job["id"], world["sysadmin"]["name"])["gather_errors"]
