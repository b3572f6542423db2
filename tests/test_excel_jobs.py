"""Background Excel imports (ckanext.hlj.excel.jobs): queued on CKAN's real jobs queue (Redis), run by CKAN's own
forking worker, followed through hlj_import_show and the organisation's Excel page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action
from test_excel import BAD_USCC, service_item, service_workbook, stored

from ckanext.hlj.excel import jobs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor():
    return factories.UserWithToken()


@pytest.fixture
def org(make_organization, editor):
    return make_organization(
        name="hlj-zjt",
        title="黑龙江省住房和城乡建设厅",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )


@pytest.fixture
def empty_queue():
    ckan_jobs.get_queue().empty()
    yield
    ckan_jobs.get_queue().empty()


def work_off_queue() -> None:
    ckan_jobs.Worker().work(burst=True)


def upload(app, editor, org, content: bytes, prefix: str = "", **extra):
    response = app.post(
        f"{prefix}/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(content), "big.xlsx"),
            **extra,
        },
        headers={"Authorization": editor["token"]},
    )
    assert response.status_code == 200, response.body
    return response.json["result"]


def show(app, user, job_id, status=200):
    response = app.get(
        f"/api/3/action/hlj_import_show?id={job_id}", headers={"Authorization": user["token"]}, status=status
    )
    return response.json.get("result")


@pytest.mark.usefixtures("empty_queue")
@pytest.mark.ckan_config("ckanext.hlj.excel.inline_rows", 2)
def test_a_big_workbook_is_imported_by_the_worker_with_the_same_report(app, editor, org):
    rows = [service_item(n) for n in range(1, 4)] + [service_item(4, implementing_uscc=BAD_USCC)]
    result = upload(app, editor, org, service_workbook(rows))

    job = result["job"]
    assert job["status"] == "queued" and job["rows_total"] == 4 and "counts" not in result
    assert stored("service-item", org) == {}, "nothing is written before the worker runs"
    assert show(app, editor, job["id"])["status"] == "queued"

    work_off_queue()

    done = show(app, editor, job["id"])
    assert done["status"] == "finished" and done["done"] and done["rows_done"] == 4
    report = done["report"]
    assert report["counts"]["created"] == 3 and report["counts"]["failed"] == 1
    assert {e["row"] for e in report["errors"]} == {6}
    assert {e["label"] for e in report["errors"]} == {"实施主体统一社会信用代码", "实施编码"}
    assert len(stored("service-item", org)) == 3
    assert not list((jobs._storage_dir()).glob(f"{job['id']}*")), "the stored upload is removed"

    outsider = factories.UserWithToken()
    show(app, outsider, job["id"], status=403)
    show(app, editor, "no-such-job", status=404)


@pytest.mark.usefixtures("empty_queue")
def test_background_messages_follow_the_uploaders_language(app, editor, org):
    content = service_workbook([service_item(1, implementing_uscc=BAD_USCC)])
    job = upload(app, editor, org, content, prefix="/en", background="true")["job"]
    work_off_queue()
    report = show(app, editor, job["id"])["report"]
    assert report["summary"].startswith("created 0, updated 0, unchanged 0, failed 1")
    assert report["errors"] and all(e["message"].isascii() for e in report["errors"]), report["errors"]


@pytest.mark.usefixtures("empty_queue")
def test_small_workbooks_stay_inline_and_bad_choices_are_refused(app, editor, org):
    inline = upload(app, editor, org, service_workbook([service_item(1)]))
    assert inline["counts"]["created"] == 1 and "job" not in inline
    assert ckan_jobs.get_queue().count == 0

    response = app.post(
        "/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(service_workbook([service_item(2)])), "a.xlsx"),
            "background": "sometimes",
        },
        headers={"Authorization": editor["token"]},
        status=409,
    )
    assert "background" in response.json["error"]


@pytest.mark.usefixtures("empty_queue")
def test_an_unreadable_workbook_is_refused_before_anything_is_queued(app, editor, org):
    response = app.post(
        "/api/3/action/hlj_import_create",
        data={
            "type": "service-item",
            "owner_org": org["name"],
            "upload": (io.BytesIO(b"PK\x03\x04 not really a workbook"), "a.xlsx"),
            "background": "true",
        },
        headers={"Authorization": editor["token"]},
        status=409,
    )
    assert "无法读取上传的文件" in response.json["error"]["upload"][0]
    assert ckan_jobs.get_queue().count == 0


@pytest.mark.usefixtures("empty_queue")
@pytest.mark.ckan_config("ckanext.hlj.excel.inline_rows", 1)
def test_the_web_page_follows_the_job_to_its_report(app, editor, org):
    headers = {"Authorization": editor["token"]}
    content = service_workbook([service_item(1), service_item(2, item_type="许可")])
    response = app.post(
        f"/organization/{org['name']}/excel",
        data={"type": "service-item", "upload": (io.BytesIO(content), "filled.xlsx")},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert f"/organization/{org['name']}/excel/import/" in location

    waiting = app.get(location, headers=headers)
    assert 'data-status="queued"' in waiting.body and 'http-equiv="refresh"' in waiting.body

    work_off_queue()

    page = app.get(location, headers=headers)
    assert 'data-status="finished"' in page.body and 'http-equiv="refresh"' not in page.body
    assert 'data-count="created">1<' in page.body and "“许可”不是有效的事项类型" in page.body
    app.get(location, status=403)  # anonymous visitors never see the report


@pytest.mark.usefixtures("empty_queue")
def test_a_job_the_worker_never_finished_is_reported_failed_not_running(app, editor, org):
    job = upload(app, editor, org, service_workbook([service_item(1)]), background="true")["job"]
    old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=jobs.job_timeout() + 60)
    jobs._update(job["id"], status=jobs.RUNNING)
    from ckan import model  # noqa: PLC0415

    with model.meta.engine.begin() as conn:
        conn.execute(jobs.job_table.update().where(jobs.job_table.c.id == job["id"]).values(updated=old))
    shown = show(app, editor, job["id"])
    assert shown["status"] == "failed" and shown["done"] and "重新上传" in shown["error"]
    ckan_jobs.get_queue().empty()  # the queued run would find the job failed and do nothing
    assert call_action("hlj_import_show", id=job["id"])["status"] == "failed"
