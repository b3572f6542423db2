"""/api/hlj/metrics and `ckan hlj metrics`: Prometheus text with the figures worth watching."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestJob,
    HarvestObject,
    HarvestObjectError,
    HarvestSource,
)
from click.testing import CliRunner

from ckanext.hlj.cli import hlj
from ckanext.hlj.deadline.status import INDEX_RULE_STATES
from ckanext.hlj.ops import metrics

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

TOKEN = "metrics-scraper-token-0123456789"


def samples(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def harvest_errors(make_organization):
    """A harvest source with one gather error and two object errors today, and one gather error two days ago."""

    org = make_organization()
    sysadmin = factories.Sysadmin()
    created = call_action(
        "harvest_source_create",
        context={"user": sysadmin["name"]},
        name="fgw-xxgk",
        title="省发改委信息公开",
        url="https://drc.hlj.gov.cn/drc/c111/list.shtml",
        source_type="hlj_site",
        owner_org=org["id"],
        config=json.dumps({}),
    )
    source = HarvestSource.get(created["id"])
    job = HarvestJob(source=source)
    job.save()
    HarvestGatherError(message="list page 404", job=job).save()
    old = HarvestGatherError(message="old", job=job)
    old.save()
    model.Session.execute(
        sa.text("UPDATE harvest_gather_error SET created = created - interval '2 days' WHERE id = :id"),
        {"id": old.id},
    )
    obj = HarvestObject(job=job, source=source, guid="a")
    obj.save()
    for message in ("bad date", "no title"):
        HarvestObjectError(message=message, object=obj, stage="Import").save()
    model.Session.commit()


@pytest.mark.ckan_config("ckanext.hlj.metrics.token", TOKEN)
def test_metrics_need_the_token_or_a_sysadmin(app):
    assert app.get("/api/hlj/metrics").status_code == 403
    assert app.get("/api/hlj/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    response = app.get("/api/hlj/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    sysadmin = factories.SysadminWithToken()
    assert app.get("/api/hlj/metrics", headers={"Authorization": sysadmin["token"]}).status_code == 200
    user = factories.UserWithToken()
    assert app.get("/api/hlj/metrics", headers={"Authorization": user["token"]}).status_code == 403


def test_metrics_count_harvest_errors_of_the_last_day_per_source(make_organization):
    harvest_errors(make_organization)
    values = samples(metrics.render())
    assert values['hlj_harvest_errors_24h{source="fgw-xxgk",stage="gather"}'] == 1
    assert values['hlj_harvest_errors_24h{source="fgw-xxgk",stage="object"}'] == 2
    assert values['hlj_harvest_jobs{status="new"}'] == 1


def test_metrics_report_health_queues_and_search(app):
    assert app.get("/dataset").body
    text = metrics.render()
    values = samples(text)
    assert values['hlj_up{check="postgres"}'] == 1 and values['hlj_up{check="solr"}'] == 1
    assert 'hlj_up{check="workers"}' in values
    assert values["hlj_search_duration_seconds_count"] >= 1
    assert 'hlj_search_duration_seconds{quantile="0.5"}' in values
    assert "# TYPE hlj_deadline_overdue gauge" in text
    assert 'hlj_harvest_queue_depth{stage="gather"}' in values
    # Every sample line is valid exposition format.
    for line in text.splitlines():
        assert line.startswith("# ") or re.fullmatch(
            r'[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.eE+-]+|NaN', line
        ), line


def test_overdue_counts_come_from_the_indexed_statuses(monkeypatch):

    real = tk.get_action("package_search")

    def search(context, data_dict):
        result = real(context, {**data_dict, "rows": 0})
        result["facets"] = {
            INDEX_RULE_STATES: {
                "proactive_disclosure_20wd:overdue": 4,
                "proactive_disclosure_20wd:on_time": 9,
                "consultation_feedback:overdue": 1,
            }
        }
        return result

    monkeypatch.setattr(tk, "get_action", lambda name: search if name == "package_search" else real)
    assert metrics.overdue_by_rule() == {"proactive_disclosure_20wd": 4, "consultation_feedback": 1}


def test_the_cli_prints_the_same_metrics():
    result = CliRunner().invoke(hlj, ["metrics"])
    assert result.exit_code == 0, result.output
    assert "# TYPE hlj_up gauge" in result.output
