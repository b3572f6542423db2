"""Publication deadlines through the real stack: the compute API on China's working-day calendar, statuses of
policy documents in the index and as a facet, the daily refresh (pending → overdue), timeliness reports over
policy documents (Solr) and 双公示 rows (SQL joined to the calendar table in the DataStore database), the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from freezegun import freeze_time

from ckanext.hlj.cli import hlj
from ckanext.hlj.deadline import calendar_table, jobs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def compute(app, prefix="", status=200, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = app.get(f"{prefix}/api/3/action/hlj_deadline_compute?{query}", status=status)
    return response.json["result"] if status == 200 else response.json["error"]


# --- compute ---------------------------------------------------------------------------------------------------


def test_compute_counts_working_days_across_holidays_and_make_up_days(app):
    # Spring Festival 2024: 2/10–2/17 off, Sunday 2/18 a make-up working day.
    assert compute(app, start="2024-02-08", rule="decision_publication_7wd")["due"] == "2024-02-23"
    # National Day 2024: 10/1–10/7 off, Sunday 9/29 and Saturday 10/12 working days.
    result = compute(app, start="2024年9月27日", working_days=20)
    assert result["due"] == "2024-10-30" and result["provisional"] is False
    hours = compute(app, start="2024-05-01T22:00", rule="incident_release_5h")
    assert hours["due"] == "2024-05-02T03:00:00+08:00"
    assert "条例" in compute(app, start="2024-01-02", rule="proactive_disclosure_20wd")["basis"]


def test_a_year_without_its_notice_is_an_error_unless_provisional(app):
    error = compute(app, status=409, start="2027-01-29", working_days=20)
    assert "2027" in error["start"][0] and "add-year" in error["start"][0]
    english = compute(app, prefix="/en", status=409, start="2027-01-29", working_days=20)
    assert "2027" in english["start"][0] and english["start"][0].isascii()
    guess = compute(app, start="2027-01-29", working_days=20, provisional="true")
    assert guess["provisional"] is True and guess["provisional_years"] == [2027]


def test_bad_requests_name_the_field(app):
    assert "rule" in compute(app, status=409, start="2024-01-02", rule="no_such_rule")
    assert "start" in compute(app, status=409, start="2024-02-30", working_days=3)
    assert "start" in compute(app, status=409, working_days=3)
    assert "working_days" in compute(app, status=409, start="2024-01-02", working_days="three")
    assert compute(app, status=409, start="2024-01-02", days="inf")["days"] == ["必须是有限的数字"]
    assert "working_days" in compute(app, status=409, start="2024-01-02", working_days="nan")
    assert "start" in compute(app, status=409, start="2024-01-02", rule="incident_release_5h")  # needs a time


# --- statuses ----------------------------------------------------------------------------------------------------


@pytest.fixture
def org(make_organization):
    return make_organization(name="hlj-fgw", title="黑龙江省发展和改革委员会", review_required=False)


def policy(org, name, written, published=None, issuer="黑龙江省发展和改革委员会", **extra):
    return call_action(
        "package_create",
        context={"user": factories.Sysadmin()["name"]},
        type="policy",
        name=name,
        title=f"政策文件{name}",
        owner_org=org["id"],
        policy_role="document",
        issuer=issuer,
        issuer_level="provincial_department",
        written_date=written,
        disclosure_attribute="proactive",
        source_published_at=published or "",
        **extra,
    )


def test_documents_get_a_status_in_the_api_and_the_search_facet(app, org):
    policy(org, "ontime", "2024-09-27", "2024-10-30T09:00:00+08:00")
    policy(org, "late", "2024-09-27", "2024-10-31T09:00:00+08:00")
    policy(org, "reprint", "2024-09-27", "2025-01-31T09:00:00+08:00", issuer="国务院办公厅")
    today = dt.date.today()
    policy(org, "pending", today.isoformat())

    assert call_action("hlj_deadline_status_show", id="ontime")["state"] == "on_time"
    late = call_action("hlj_deadline_status_show", id="late")
    assert late["state"] == "late" and late["late_by"] == 1 and late["due"] == "2024-10-30"
    assert call_action("hlj_deadline_status_show", id="reprint")["rule"] is None, (
        "reprints follow the reprint SLA"
    )
    assert call_action("hlj_deadline_status_show", id="pending")["state"] == "pending"

    result = call_action(
        "package_search", fq='+dataset_type:"policy"', **{"facet.field": '["hlj_deadline_status"]'}
    )
    assert result["facets"]["hlj_deadline_status"] == {"on_time": 1, "late": 1, "pending": 1}
    record_page = app.get("/policy/late").body
    assert 'id="hlj-deadline"' in record_page and "逾期公开" in record_page and "2024-10-30" in record_page
    assert "Published late" in app.get("/en/policy/late").body
    page = app.get("/policy/?hlj_deadline_status=late").body
    assert "逾期公开" in page and "政策文件late" in page and "政策文件ontime" not in page


def test_the_daily_refresh_turns_pending_into_overdue(org):
    policy(org, "waiting", "2026-11-02")
    assert call_action("hlj_deadline_status_show", id="waiting")["state"] == "pending"

    with freeze_time("2027-02-01 09:00:00"):
        done = jobs.refresh("2027-02-01")
        assert done["reindexed"] == 1
    facet = call_action(
        "package_search", fq='+dataset_type:"policy"', **{"facet.field": '["hlj_deadline_status"]'}
    )
    assert facet["facets"]["hlj_deadline_status"] == {"overdue": 1}


# --- reports -----------------------------------------------------------------------------------------------------


def test_report_counts_documents_per_organisation(org, make_organization):
    other = make_organization(name="hlj-rst", title="黑龙江省人力资源和社会保障厅", review_required=False)
    policy(org, "doc-a", "2024-09-27", "2024-10-30T09:00:00+08:00")
    policy(org, "doc-b", "2024-09-27", "2024-11-20T09:00:00+08:00")
    policy(other, "doc-c", "2024-09-27", "2024-10-10T09:00:00+08:00", issuer=other["title"])
    policy(other, "doc-d", "2023-01-03", "2023-01-05T09:00:00+08:00", issuer=other["title"])

    result = call_action(
        "hlj_deadline_report_show", rule="proactive_disclosure_20wd", start_from="2024-01-01"
    )
    rows = {o["name"]: o for o in result["rules"][0]["organizations"]}
    assert (rows["hlj-fgw"]["on_time"], rows["hlj-fgw"]["late"], rows["hlj-fgw"]["on_time_rate"]) == (
        1,
        1,
        0.5,
    )
    assert (rows["hlj-rst"]["on_time"], rows["hlj-rst"]["total"]) == (1, 1), "d started before the period"
    assert result["rules"][0]["totals"]["total"] == 3


def test_report_counts_credit_rows_in_sql_against_the_calendar(app, make_organization, monkeypatch):
    from ckanext.hlj.credit import store  # noqa: PLC0415

    org = make_organization(
        name="hlj-gat", title="黑龙江省公安厅", uscc="11230500001755309F", review_required=False
    )
    sysadmin = factories.Sysadmin()
    pub = call_action(
        "hlj_credit_publication_create",
        context={"user": sysadmin["name"]},
        name="gat-xzcf",
        title="省公安厅行政处罚决定公示",
        owner_org=org["id"],
        credit_kind="penalty",
    )
    header = ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_WSH", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_GSJZQ"]
    rows = [
        header,
        [
            "甲公司",
            "法人及非法人组织",
            "91230500MA1B3N1N2M",
            "黑公罚决字〔2024〕1号",
            "警告",
            "警告",
            "2024-02-08",
            "2099-12-31",
        ],
        [
            "乙公司",
            "法人及非法人组织",
            "91110000600037341L",
            "黑公罚决字〔2024〕2号",
            "警告",
            "警告",
            "2024-02-05",
            "2099-12-31",
        ],
    ]
    # First seen on 2024-02-23: 7 working days after 2/8 (on time), 9 after 2/5 (late).
    monkeypatch.setattr(store, "now", lambda: dt.datetime(2024, 2, 23, 15, 0, tzinfo=dt.UTC))
    csv_text = "\n".join(",".join(r) for r in rows).encode("utf-8")
    import io  # noqa: PLC0415

    from werkzeug.datastructures import FileStorage  # noqa: PLC0415

    call_action(
        "hlj_credit_rows_upsert",
        context={"user": sysadmin["name"]},
        id=pub["id"],
        upload=FileStorage(io.BytesIO(csv_text), "cf.csv"),
    )
    result = call_action("hlj_deadline_report_show", rule="decision_publication_7wd")
    row = result["rules"][0]["organizations"][0]
    assert (row["name"], row["on_time"], row["late"], row["on_time_rate"]) == ("hlj-gat", 1, 1, 0.5)
    narrow = call_action("hlj_deadline_report_show", rule="decision_publication_7wd", start_from="2024-02-06")
    assert narrow["rules"][0]["totals"]["total"] == 1

    page = app.get("/timeliness?rule=decision_publication_7wd").body
    link = "/organization/hlj-gat/timeliness/credit-late"
    assert link in page, "the late count links to the records behind it"
    late = app.get(link).body
    assert "黑公罚决字〔2024〕2号" in late and "黑公罚决字〔2024〕1号" not in late
    assert "2024-02-05" in late and "2024-02-20" in late, (
        "decided and due (7 working days over Spring Festival)"
    )


def test_the_calendar_table_is_written_once_and_rewritten_when_the_calendar_changes():
    engine = model.meta.engine
    calendar_table.ensure(engine)
    assert calendar_table.ensure(engine) is False, "unchanged: not rewritten"
    with engine.connect() as conn:
        due = conn.execute(
            sa.text(
                "SELECT d.day FROM _hlj_workday s JOIN _hlj_workday d ON d.is_workday AND d.ordinal = s.ordinal + 7 "
                "WHERE s.day = '2024-02-08'"
            )
        ).scalar()
        assert due == dt.date(2024, 2, 23)
        conn.execute(sa.text("COMMENT ON TABLE _hlj_workday IS 'stale'"))
        conn.commit()
    assert calendar_table.ensure(engine) is True


def test_the_datastores_set_permissions_leaves_the_calendar_table_alone():
    """`ckan datastore set-permissions` (run by every `make run` and by operators) puts its full-text trigger on the
    DataStore's public tables; on the calendar table that trigger would make every rewrite fail."""
    from ckanext.datastore.backend.postgres import get_write_engine  # noqa: PLC0415
    from ckanext.datastore.cli import permissions_sql  # noqa: PLC0415

    engine = get_write_engine()
    calendar_table.ensure(engine)
    sql = permissions_sql("main", "datastore", "main", "writer", "reader")
    start = sql.index("-- migrate existing tables")
    migration = sql[start : sql.index("$body$;", start) + len("$body$;")]
    with engine.begin() as conn:
        conn.execute(sa.text(migration.replace(":", r"\:")))
        triggers = conn.execute(
            sa.text("SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal"),
            {"t": f"public.{calendar_table.TABLE}"},
        ).scalar()
        conn.execute(sa.text(f"COMMENT ON TABLE {calendar_table.TABLE} IS 'stale'"))
    assert triggers == 0
    assert calendar_table.ensure(engine) is True, "rewritten without the trigger getting in the way"


# --- CLI ---------------------------------------------------------------------------------------------------------


def test_cli_due_and_report(org):
    runner = CliRunner()
    result = runner.invoke(hlj, ["deadline", "due", "2024-02-08", "--working-days", "7"])
    assert result.exit_code == 0 and result.output.strip() == "2024-02-23", result.output
    missing = runner.invoke(hlj, ["deadline", "due", "2027-01-29", "--working-days", "7"])
    assert missing.exit_code != 0 and "2027" in missing.output
    policy(org, "doc-x", "2024-09-27", "2024-10-30T09:00:00+08:00")
    report = runner.invoke(hlj, ["deadline", "report", "--rule", "proactive_disclosure_20wd", "--json"])
    assert report.exit_code == 0, report.output
    assert json.loads(report.output)["rules"][0]["totals"]["on_time"] == 1


# --- reminders ---------------------------------------------------------------------------------------------------


def test_daily_reminders_email_each_organisations_admins(org, make_organization, monkeypatch):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415
    from smtp_sink import SmtpSink  # noqa: PLC0415

    from ckanext.hlj.deadline import reminders  # noqa: PLC0415

    admin = factories.User(email="admin@fgw.hlj.gov.cn")
    editor = factories.User(email="editor@fgw.hlj.gov.cn")
    call_action("organization_member_create", id=org["id"], username=admin["name"], role="admin")
    call_action("organization_member_create", id=org["id"], username=editor["name"], role="editor")
    quiet = make_organization(name="hlj-rst", title="黑龙江省人力资源和社会保障厅", review_required=False)
    quiet_admin = factories.User(email="admin@rst.hlj.gov.cn")
    call_action("organization_member_create", id=quiet["id"], username=quiet_admin["name"], role="admin")
    today = dt.date.today()
    soon = policy(org, "doc-soon", (today - dt.timedelta(days=26)).isoformat())  # 20 wd ≈ 4 weeks
    policy(org, "doc-done", "2024-09-27", "2024-10-30T09:00:00+08:00")
    status = call_action("hlj_deadline_status_show", id=soon["id"])
    assert status["state"] in ("pending", "overdue")

    with SmtpSink() as sink:
        monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{sink.port}")
        monkeypatch.setitem(tk.config, "ckanext.hlj.deadline.remind_working_days", 10)
        result = reminders.send(today.isoformat())

    assert result == {"organisations": 1, "sent": 1, "failed": 0}, (
        "only admins, only organisations with items"
    )
    sender, recipients, message = sink.messages[0]
    assert recipients == ["admin@fgw.hlj.gov.cn"] and sender == tk.config.get("smtp.mail_from")
    assert "公开时限提醒" in message["Subject"] and "黑龙江省发展和改革委员会" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "政策文件doc-soon" in text and status["due"] in text and "/policy/doc-soon" in text
    assert "doc-done" not in text
