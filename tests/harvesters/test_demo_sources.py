"""`make run`'s demo harvest sources over the bundled sample site: created by `ckan hlj demo load`, run through
the real queues, and idempotent on a second load."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from ckanext.hlj import demo
from ckanext.hlj.demo.sysadmin import ensure_sysadmin

from .runner import drain, purge
from .server import FixtureServer

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SAMPLE_SITE = Path(demo.__file__).parent / "sample_site"


def test_demo_load_adds_sources_that_harvest_the_sample_site(tmp_path):
    purge()
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    creds, _ = ensure_sysadmin("admin", "admin@hlj.invalid", tmp_path / "admin.json")
    with FixtureServer(SAMPLE_SITE) as site:
        tk.config["ckanext.hlj.demo.sample_site_url"] = site.base_url
        try:
            demo.load(creds.user)
            drain()
            again = demo.load(creds.user)
        finally:
            tk.config.pop("ckanext.hlj.demo.sample_site_url", None)
        drain()

    assert {"harvest_source:demo-fgw-xxgk", "harvest_source:demo-rst-zwgk"} <= set(again.unchanged)
    for name, org, at_least in (("demo-fgw-xxgk", "hlj-fgw", 15), ("demo-rst-zwgk", "hlj-rst", 12)):
        source = call_action("harvest_source_show", id=name)
        assert len(call_action("harvest_job_list", source_id=source["id"])) == 1, (
            "the first run is queued once"
        )
        found = call_action(
            "package_search", fq=f'+dataset_type:"policy" +organization:{org}', include_private=True, rows=100
        )
        assert found["count"] >= at_least, (name, found["count"])
    found = call_action(
        "package_search", q="政务公开工作要点", fq='+dataset_type:"policy"', include_private=True
    )
    assert found["count"] >= 1
    # The demo departments review before publishing, as the opinions require: harvested records wait for it.
    assert {r["review_status"] for r in found["results"]} == {"pending"}
    assert call_action("package_search", q="政务公开工作要点", fq='+dataset_type:"policy"')["count"] == 0
