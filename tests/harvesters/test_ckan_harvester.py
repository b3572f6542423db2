"""The hlj_ckan harvester: a city CKAN portal (a loopback fixture speaking CKAN's action API) harvested through
the real queues into our dataset types, validated by our schemas."""

from __future__ import annotations

import json
import uuid

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .runner import purge, report, run_job
from .server import Reply, server_fixture

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

portal = server_fixture()

DEFAULTS = {"data_domain": "public_service", "open_type": "unconditional", "update_frequency": "irregular"}


def remote(name: str, title: str, **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "name": name,
        "title": title,
        "type": "dataset",
        "notes": "",
        "tags": [{"name": "公交"}],
        "extras": [],
        "resources": [
            {
                "id": str(uuid.uuid4()),
                "url": "http://data.harbin.gov.cn/x.csv",
                "format": "CSV",
                "name": "数据",
            }
        ],
        "organization": None,
        "owner_org": None,
        "metadata_modified": "2026-11-01T00:00:00",
        **fields,
    }


def search_page(results: list[dict]) -> bytes:
    return json.dumps({"success": True, "result": {"count": len(results), "results": results}}).encode()


@pytest.fixture
def world(make_organization):
    purge()
    return {
        "sysadmin": factories.Sysadmin(),
        "org": make_organization(name="hrb-sjj", title="哈尔滨市大数据中心", review_required=False),
    }


def make_source(world, url: str, config: dict) -> dict:
    return call_action(
        "harvest_source_create",
        context={"user": world["sysadmin"]["name"]},
        name="harbin-portal",
        title="哈尔滨市开放数据门户",
        url=url,
        source_type="hlj_ckan",
        owner_org=world["org"]["id"],
        config=json.dumps(config),
    )


def test_a_city_portal_is_harvested_into_open_data_with_our_validation(portal, world):
    good = remote("bus-lines", "哈尔滨市公交线路")
    ours = remote(
        "hrb-air",
        "哈尔滨市空气质量监测数据",
        type="open-data",
        resource_code="HRB-2301-0007",
        notes="空气质量小时数据",
        data_domain="ecology",
        open_type="unconditional",
        update_frequency="realtime",
    )
    bad = remote(
        "bad-one",
        "错误的数据",
        type="open-data",
        resource_code="X",
        notes="x",
        data_domain="no-such-domain",
        open_type="unconditional",
        update_frequency="realtime",
    )
    portal.add(
        "/api/3/action/package_search",
        Reply(200, search_page([good, ours, bad]), content_type="application/json"),
        Reply(200, search_page([]), content_type="application/json"),
    )
    source = make_source(world, portal.url("/"), {"defaults": DEFAULTS})

    job = run_job(source["id"], world["sysadmin"]["name"])

    assert job["status"] == "Finished"
    assert job["stats"].get("added") == 2 and job["stats"].get("errored") == 1, report(
        job["id"], world["sysadmin"]["name"]
    )
    bus = call_action("package_show", id="bus-lines")
    assert bus["type"] == "open-data" and bus["owner_org"] == world["org"]["id"]
    assert bus["data_domain"] == "public_service" and bus["notes"] == "哈尔滨市公交线路"
    air = call_action("package_show", id="hrb-air")
    assert air["data_domain"] == "ecology" and air["update_frequency"] == "realtime"
    errors = json.dumps(report(job["id"], world["sysadmin"]["name"])["object_errors"], ensure_ascii=False)
    assert "data_domain" in errors
    assert call_action("package_search", q="空气质量")["count"] == 1
    assert all(r.headers.get("User-Agent", "").startswith("ckanext-hlj") for r in portal.requests)


@pytest.mark.ckan_config("ckanext.hlj.harvest.allowed_hosts", "*.gov.cn")
def test_a_portal_off_the_allow_list_is_never_requested_and_the_job_finishes(portal, world):
    portal.add("/api/3/action/package_search", Reply(200, search_page([]), content_type="application/json"))
    source = make_source(world, portal.url("/"), {})
    job = run_job(source["id"], world["sysadmin"]["name"])
    assert job["status"] == "Finished" and portal.requests == []
    assert report(job["id"], world["sysadmin"]["name"])["gather_errors"]


def test_an_unknown_dataset_type_in_the_config_is_refused(portal, world):
    from ckan.logic import ValidationError  # noqa: PLC0415

    with pytest.raises(ValidationError) as error:
        make_source(world, portal.url("/"), {"dataset_type": "harvest"})
    assert "dataset_type" in json.dumps(error.value.error_dict, ensure_ascii=False)
