"""The services the suite runs on are real and wired as CKAN expects."""

from __future__ import annotations

import pytest
import requests
from ckan.common import config
from ckan.lib import redis as ckan_redis
from ckan.lib import search
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_solr_schema_passes_ckans_version_check():
    assert search.check_solr_schema_version() is True


def test_solr_schema_has_our_chinese_fields():
    url = config["solr_url"].rstrip("/")
    fields = requests.get(f"{url}/schema/fields", params={"wt": "json"}, timeout=10).json()["fields"]
    by_name = {f["name"]: f for f in fields}
    assert by_name["title_zh"]["type"] == "text_zh"
    assert by_name["text_zh"]["multiValued"] is True
    name = requests.get(f"{url}/schema/name", params={"wt": "json"}, timeout=10).json()["name"]
    assert name == "ckan-2.12"


def test_solr_is_a_node_of_its_own_not_the_dev_portals():
    # make test starts a fresh node on a free port; 8983 belongs to `make run`.
    assert ":8983/" not in config["solr_url"]


def test_redis_is_reachable_on_its_own_database():
    conn = ckan_redis.connect_to_redis()
    assert conn.ping()
    assert not config["ckan.redis.url"].endswith("/0"), "tests must not use the dev portal's Redis database"


@pytest.mark.usefixtures("clean_db")
def test_datastore_round_trip(make_organization):
    sysadmin = factories.Sysadmin()
    org = make_organization()
    dataset = factories.Dataset(owner_org=org["id"])
    resource = factories.Resource(package_id=dataset["id"], url_type="datastore")
    helpers.call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource_id=resource["id"],
        force=True,
        fields=[{"id": "行政相对人名称", "type": "text"}, {"id": "n", "type": "int"}],
        records=[{"行政相对人名称": "哈尔滨某某有限公司", "n": 1}],
    )
    rows = helpers.call_action("datastore_search", resource_id=resource["id"])["records"]
    assert rows[0]["行政相对人名称"] == "哈尔滨某某有限公司"
