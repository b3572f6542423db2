"""The types that carry deadlines — 征求意见 (consultation), 政务舆情回应 (response) and the register of 依申请公开
applications (disclosure-application) — through the real stack: created with package_create and over HTTP,
validated, given statuses (on time, late, pending, overdue; hours across midnight; 40 working days when extended),
counted in the status facet, exported to Excel, and — applications — never visible to anonymous users."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers
from ckan.tests.helpers import call_action
from ckanext.scheming.helpers import scheming_get_dataset_schema
from openpyxl import load_workbook

from ckanext.hlj import excel
from ckanext.hlj.catalogue import dates, deadlines
from ckanext.hlj.deadline import status as deadline_status

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

NEW_TYPES = ["consultation", "response", "disclosure-application"]


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def org(make_organization):
    return make_organization(name="hlj-sfj", title="黑龙江省司法厅", review_required=False)


def now() -> dt.datetime:
    return dt.datetime.now(dates.SHANGHAI).replace(microsecond=0)


def consultation(org, name="draft-a", **overrides):
    data = {
        "type": "consultation",
        "name": name,
        "title": f"关于公开征求《黑龙江省某办法（征求意见稿）》意见的公告{name}",
        "owner_org": org["id"],
        "draft_kind": "policy_measure",
        "notes": "起草背景和主要内容",
        "opens_on": "2024-03-01",
        "closes_on": "2024-03-31",
        "comment_channels": ["gov_website", "email"],
        "comment_contact": "zqyj@example.gov.cn",
    }
    data.update(overrides)
    return data


def response(org, name, severity, event_at, **overrides):
    data = {
        "type": "response",
        "name": name,
        "title": f"舆情{name}",
        "owner_org": org["id"],
        "severity": severity,
        "event_at": event_at,
    }
    data.update(overrides)
    return data


def application(org, name, received_on, **overrides):
    data = {
        "type": "disclosure-application",
        "name": name,
        "title": f"申请公开某项目环评批复{name}",
        "owner_org": org["id"],
        "applicant_kind": "natural_person",
        "received_on": received_on,
    }
    data.update(overrides)
    return data


def create(user, data):
    return call_action("package_create", context={"user": user["name"]}, **data)


def status_of(name, when=None):
    """The dataset's status: as of ``when`` when given (through the status module), else through the action."""
    if when is None:
        return call_action("hlj_deadline_status_show", id=name)
    return deadline_status.dataset_status(call_action("package_show", id=name), when)


def facet(dataset_type, field="hlj_deadline_status", **context):
    result = call_action(
        "package_search",
        context=context or None,
        fq=f'+dataset_type:"{dataset_type}"',
        include_private=True,
        **{"facet.field": f'["{field}"]'},
    )
    return result["facets"][field]


# --- consultation: the 30-day window ---------------------------------------------------------------------------


def test_a_window_under_30_days_is_refused_on_closes_on_unless_a_reason_is_given(app, sysadmin, org):
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, consultation(org, closes_on="2024年3月30日"))
    errors = error.value.error_dict
    assert list(errors) == ["closes_on"]
    assert "30" in errors["closes_on"][0] and "2024-03-31" in errors["closes_on"][0]
    assert "期限不足30日的理由" in errors["closes_on"][0], "tells what to fill in"

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, consultation(org, opens_on="2024-03-10", closes_on="2024-03-05"))
    assert list(error.value.error_dict) == ["closes_on"], "closing before opening"

    created = create(
        sysadmin,
        consultation(org, closes_on="2024-03-20", short_period_reason="上位法修改，须在4月1日前出台"),
    )
    assert created["closes_on"] == "2024-03-20"
    assert created["short_period_reason"] == "上位法修改，须在4月1日前出台"
    minimum = deadline_status.dataset_status(call_action("package_show", id="draft-a"))["minimum"]
    assert minimum == {
        "rule": "consultation_min_30d",
        "ok": False,
        "days": 19,
        "short_by": 11,
        "earliest_end": "2024-03-31",
        "reason": "上位法修改，须在4月1日前出台",
    }
    assert facet("consultation", "hlj_deadline_minimum") == {"short": 1}
    page = BeautifulSoup(app.get("/consultation/draft-a").body, "html.parser").get_text(" ")
    assert "上位法修改，须在4月1日前出台" in page, "the reason is shown with the record"


def test_exactly_30_days_passes_and_the_opening_day_is_not_counted(sysadmin, org):
    created = create(sysadmin, consultation(org, opens_on="2024-03-01", closes_on="2024-03-31"))
    minimum = deadline_status.dataset_status(call_action("package_show", id=created["id"]))["minimum"]
    assert minimum["ok"] is True and minimum["days"] == 30 and minimum["reason"] is None


def test_over_http_the_error_is_409_on_closes_on_in_english_under_en(app, sysadmin, org):
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    headers = {"Authorization": token["token"]}
    payload = consultation(org, name="draft-http", closes_on="2024-03-15")

    zh = app.post("/api/3/action/package_create", json=payload, headers=headers, status=409).json
    en = app.post("/en/api/3/action/package_create", json=payload, headers=headers, status=409).json
    assert set(zh["error"]) - {"__type"} == {"closes_on"}
    assert "期限一般不少于30日" in zh["error"]["closes_on"][0]
    message = en["error"]["closes_on"][0]
    assert message.isascii() and "at least 30 days" in message and "2024-03-31" in message

    payload["short_period_reason"] = "Urgent"
    created = app.post("/en/api/3/action/package_create", json=payload, headers=headers, status=200).json
    assert created["result"]["short_period_reason"] == "Urgent"


# --- consultation: feedback due with the decision -------------------------------------------------------------


def test_feedback_is_pending_until_the_decision_then_due_with_it(sysadmin, org):
    create(sysadmin, consultation(org, "waiting"))
    create(sysadmin, consultation(org, "missing", decision_published_at="2024-04-20T10:00"))
    create(
        sysadmin,
        consultation(
            org,
            "together",
            decision_published_at="2024-04-20T10:00",
            feedback_published_at="2024-04-20T16:00",
        ),
    )
    create(
        sysadmin,
        consultation(org, "after", decision_published_at="2024-04-20", feedback_published_at="2024年4月23日"),
    )

    waiting = status_of("waiting", now())
    assert (waiting["state"], waiting["due"], waiting["rule"]) == (
        "pending",
        None,
        deadline_status.FEEDBACK_RULE,
    )
    missing = status_of("missing", dt.datetime(2024, 4, 25, 9, 0, tzinfo=dates.SHANGHAI))
    assert (missing["state"], missing["due"], missing["late_by"], missing["late_by_unit"]) == (
        "overdue",
        "2024-04-20",
        5,
        "calendar_days",
    )
    assert status_of("together", now())["state"] == "on_time"
    after = status_of("after", now())
    assert (after["state"], after["late_by"]) == ("late", 3)
    assert facet("consultation") == {"pending": 1, "overdue": 1, "on_time": 1, "late": 1}

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, consultation(org, "too-early", decision_published_at="2024-03-15"))
    assert list(error.value.error_dict) == ["decision_published_at"], "no decision before comments close"


def test_the_status_action_shows_a_consultation(sysadmin, org):
    create(sysadmin, consultation(org, "shown", decision_published_at="2024-04-20"))
    shown = call_action("hlj_deadline_status_show", id="shown")
    assert shown["state"] == "overdue" and shown["minimum"]["ok"] is True


def test_the_fallback_feedback_rule_is_a_valid_registry_rule():
    rule = deadline_status._rule(deadline_status.FEEDBACK_RULE)
    assert rule.kind == "due" and rule.unit == "calendar_days" and rule.amount == 0
    due = deadlines.compute("2024-04-20T10:00", rule=rule)
    assert due.due == dt.date(2024, 4, 20) and "五、（二）" in due.basis("zh")


# --- response: 5 h / 24 h for major emergencies, 48 h for the rest ---------------------------------------------


def test_hour_rules_by_severity_across_midnight(sysadmin, org):
    # 特别重大/重大: release within 5 h (22:00 → 03:00 the next day) and a press conference within 24 h.
    create(
        sysadmin,
        response(
            org,
            "flood",
            "major",
            "2024-05-01 22:00",
            first_release_at="2024-05-02T02:59:00+08:00",
            press_conference_at="2024-05-02 22:30",
        ),
    )
    # 较大/一般/not an emergency: a response within 48 h (23:30 → 23:30 two days later).
    create(
        sysadmin,
        response(
            org, "rumour", "general", "2024-05-01T23:30:00+08:00", response_at="2024-05-03T23:30:00+08:00"
        ),
    )
    create(sysadmin, response(org, "silent", "not_emergency", "2024-05-01T08:00:00+08:00"))
    create(
        sysadmin, response(org, "fresh", "particularly_major", (now() - dt.timedelta(hours=1)).isoformat())
    )

    flood = status_of("flood")
    assert [(o["rule"], o["state"]) for o in flood["obligations"]] == [
        ("incident_release_5h", "on_time"),
        ("incident_press_24h", "late"),
    ]
    assert flood["obligations"][0]["due"] == "2024-05-02T03:00:00+08:00"
    # The worst obligation at the top level: 30 minutes late for the press conference.
    assert (flood["rule"], flood["state"], flood["late_by"], flood["late_by_unit"]) == (
        "incident_press_24h",
        "late",
        0.5,
        "hours",
    )
    assert flood["due"] == "2024-05-02T22:00:00+08:00" and "24" in flood["title"]

    rumour = status_of("rumour")
    assert (rumour["rule"], rumour["state"], rumour["due"]) == (
        "opinion_response_48h",
        "on_time",
        "2024-05-03T23:30:00+08:00",
    )
    assert [o["rule"] for o in rumour["obligations"]] == ["opinion_response_48h"], "no 5 h / 24 h rule"

    silent = status_of("silent")
    assert silent["state"] == "overdue" and silent["late_by_unit"] == "hours" and silent["late_by"] > 48

    fresh = status_of("fresh")
    assert [o["state"] for o in fresh["obligations"]] == ["pending", "pending"]
    assert fresh["rule"] == "incident_release_5h", "the sooner due of two pending obligations"

    assert facet("response") == {"late": 1, "on_time": 1, "overdue": 1, "pending": 1}
    assert facet("response", "hlj_deadline_rule_state") == {
        "incident_release_5h:on_time": 1,
        "incident_press_24h:late": 1,
        "opinion_response_48h:on_time": 1,
        "opinion_response_48h:overdue": 1,
        "incident_release_5h:pending": 1,
        "incident_press_24h:pending": 1,
    }


def test_hour_fields_need_a_time_of_day_and_come_after_the_event(sysadmin, org):
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, response(org, "no-time", "major", "2024-05-01"))
    assert list(error.value.error_dict) == ["event_at"]
    assert "时:分" in error.value.error_dict["event_at"][0]

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(
            sysadmin,
            response(org, "backwards", "major", "2024-05-01 22:00", first_release_at="2024-05-01 21:00"),
        )
    assert list(error.value.error_dict) == ["first_release_at"]

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(sysadmin, response(org, "bad-level", "catastrophic", "2024-05-01 22:00"))
    assert list(error.value.error_dict) == ["severity"]


def test_the_response_search_page_has_the_severity_and_timeliness_facets(app, sysadmin, org):
    create(sysadmin, response(org, "flood", "major", "2024-05-01 22:00", first_release_at="2024-05-02 01:00"))
    text = BeautifulSoup(app.get("/response/").body, "html.parser").get_text(" ")
    for heading in ("突发事件级别", "公开时效", "重大", "已超期未公开"):
        assert heading in text
    english = BeautifulSoup(app.get("/en/response/").body, "html.parser").get_text(" ")
    assert "Emergency level" in english and "Major" in english and "Timeliness" in english


# --- disclosure-application: 20 working days, 40 when extended --------------------------------------------------


def test_reply_statuses_on_working_days_and_the_extension(sysadmin, org):
    # Received Friday 2024-09-27: 20 working days end on 2024-10-30 (National Day holiday, 9/29 and 10/12 worked).
    create(
        sysadmin, application(org, "ontime", "2024-09-27", replied_on="2024-10-30", reply_type="disclosed")
    )
    create(sysadmin, application(org, "late", "2024-09-27", replied_on="2024-11-01", reply_type="withheld"))
    create(
        sysadmin,
        application(
            org,
            "extended",
            "2024-09-27",
            extended=True,
            extension_reason="需征求第三方意见",
            replied_on="2024-11-20",
            reply_type="partly_disclosed",
        ),
    )
    create(
        sysadmin,
        application(
            org,
            "corrected",
            "2024-09-02",
            correction_received_on="2024-09-27",
            replied_on="2024-10-30",
            reply_type="already_public",
        ),
    )
    create(sysadmin, application(org, "waiting", now().date().isoformat()))
    create(sysadmin, application(org, "forgotten", "2024-01-02"))

    assert status_of("ontime")["state"] == "on_time"
    late = status_of("late")
    assert (late["state"], late["due"], late["late_by"], late["late_by_unit"]) == (
        "late",
        "2024-10-30",
        2,
        "working_days",
    )
    extended = status_of("extended")
    assert (extended["rule"], extended["state"], extended["due"]) == (
        "application_reply_extended_20wd",
        "on_time",
        "2024-11-27",
    )
    corrected = status_of("corrected")
    assert (corrected["state"], corrected["start"]) == ("on_time", "2024-09-27"), (
        "counted from the correction"
    )
    waiting = status_of("waiting")
    assert waiting["state"] == "pending" and waiting["due"] > now().date().isoformat()
    forgotten = status_of("forgotten")
    assert forgotten["state"] == "overdue" and forgotten["due"] == "2024-01-30"

    assert facet("disclosure-application") == {"on_time": 3, "late": 1, "pending": 1, "overdue": 1}
    assert facet("disclosure-application", "hlj_deadline_rule") == {
        "application_reply_20wd": 5,
        "application_reply_extended_20wd": 1,
    }


def test_an_extension_needs_its_reason_and_a_reply_its_kind(sysadmin, org):
    with pytest.raises(helpers.logic.ValidationError) as error:
        create(
            sysadmin, application(org, "no-reason", "2024-09-27", extended="true", replied_on="2024-10-08")
        )
    errors = error.value.error_dict
    assert set(errors) == {"extension_reason", "reply_type"}
    assert errors["extension_reason"] == ["「延长答复期限」为「是」时必须填写"]

    with pytest.raises(helpers.logic.ValidationError) as error:
        create(
            sysadmin,
            application(org, "backwards", "2024-09-27", replied_on="2024-09-20", reply_type="disclosed"),
        )
    assert list(error.value.error_dict) == ["replied_on"]


# --- disclosure-application: never public ------------------------------------------------------------------------


@pytest.fixture
def register(sysadmin, org):
    editor = factories.User()
    call_action("organization_member_create", id=org["id"], username=editor["name"], role="editor")
    secret = create(editor, application(org, "shenqing-1", "2024-09-27", private=False))
    public = create(
        sysadmin, response(org, "public-one", "general", "2024-05-01 22:00", response_at="2024-05-02 09:00")
    )
    return {"editor": editor, "secret": secret, "public": public}


def test_applications_are_private_whatever_the_client_sends(sysadmin, register):
    assert register["secret"]["private"] is True
    assert register["public"]["private"] is False
    patched = call_action(
        "package_patch", context={"user": sysadmin["name"]}, id=register["secret"]["id"], private=False
    )
    assert patched["private"] is True


def test_anonymous_users_never_see_applications(app, register):
    secret = register["secret"]
    app.get(f"/api/3/action/package_show?id={secret['id']}", status=403)
    app.get(f"/api/3/action/hlj_deadline_status_show?id={secret['id']}", status=403)
    app.get("/disclosure-application/shenqing-1", status=404)

    anonymous = {"user": "", "ignore_auth": False}
    with pytest.raises(helpers.logic.NotAuthorized):
        call_action("package_show", context=anonymous, id=secret["id"])
    found = call_action(
        "package_search",
        context=anonymous,
        q="*:*",
        include_private=True,
        **{"facet.field": '["dataset_type", "applicant_kind", "hlj_deadline_status"]'},
    )
    assert [d["name"] for d in found["results"]] == ["public-one"]
    assert found["facets"]["dataset_type"] == {"response": 1}
    assert found["facets"]["applicant_kind"] == {}
    searched = app.get("/api/3/action/package_search?q=环评批复&include_private=true").json["result"]
    assert searched["count"] == 0
    assert "环评批复" not in app.get("/disclosure-application/").body

    # The organisation's members see the register.
    members = {"user": register["editor"]["name"], "ignore_auth": False}
    assert call_action("package_show", context=members, id=secret["id"])["title"] == secret["title"]
    assert facet("disclosure-application", **members) == {"overdue": 1}


def test_the_excel_export_of_applications_is_empty_for_anonymous_users(sysadmin, org, register):
    anonymous_rows = load_workbook(
        io.BytesIO(excel.to_bytes(excel.export("disclosure-application", org["name"])))
    )
    member_rows = load_workbook(
        io.BytesIO(excel.to_bytes(excel.export("disclosure-application", org["name"], user=sysadmin["name"])))
    )

    def values(wb):
        return [c.value for row in wb.worksheets[0].iter_rows(min_row=3) for c in row]

    assert register["secret"]["title"] not in values(anonymous_rows)
    assert register["secret"]["title"] in values(member_rows)


# --- Excel --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset_type", NEW_TYPES)
def test_every_new_type_has_a_template_derived_from_its_schema(dataset_type):
    assert dataset_type in excel.dataset_types()
    wb = excel.template(dataset_type)
    schema = scheming_get_dataset_schema(dataset_type)
    labels = {c.value for ws in wb.worksheets for c in ws[1]}
    for field in schema["dataset_fields"]:
        assert field.get("help_text"), f"{field['field_name']} has help text"
        if field.get("form_snippet", "") is None or field["field_name"] == "owner_org":
            continue
        assert field["label"]["zh_Hans_CN"] in labels, field["field_name"]
    english = excel.template(dataset_type, "en")
    assert english.worksheets[0].cell(row=1, column=1).value == schema["dataset_fields"][0]["label"]["en"]


def one_of_each(org):
    return {
        "consultation": consultation(
            org,
            "excel-consultation",
            closes_on="2024-03-20",
            short_period_reason="紧急",
            decision_published_at="2024-04-20T10:00:00+08:00",
            feedback_published_at="2024-04-20",
            feedback_summary="收到意见12条，采纳8条",
        ),
        "response": response(
            org,
            "excel-response",
            "major",
            "2024-05-01T22:00:00+08:00",
            first_release_at="2024-05-02T01:00:00+08:00",
            press_conference_at="2024-05-02T15:00:00+08:00",
            release_url="https://www.hlj.gov.cn/news/1.html",
        ),
        "disclosure-application": application(
            org,
            "excel-application",
            "2024-09-27",
            application_no="2024-0001",
            application_channel="online",
            extended=True,
            extension_reason="需征求第三方意见",
            replied_on="2024-11-20",
            reply_type="partly_disclosed",
        ),
    }


@pytest.mark.parametrize("dataset_type", NEW_TYPES)
def test_items_export_and_reimport_unchanged(sysadmin, org, dataset_type):
    created = create(sysadmin, one_of_each(org)[dataset_type])
    exported = excel.to_bytes(excel.export(dataset_type, org["name"], user=sysadmin["name"]))
    report = excel.import_workbook(exported, dataset_type, org["id"], sysadmin["name"])
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": 1, "failed": 0, "errors": 0}, (
        report.error_lines()
    )
    assert call_action("package_show", id=created["id"])["metadata_modified"] == created["metadata_modified"]


# --- pages ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset_type", NEW_TYPES)
def test_the_form_and_the_record_page_render(app, sysadmin, org, dataset_type):
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    headers = {"Authorization": token["token"]}
    form = BeautifulSoup(app.get(f"/{dataset_type}/new", headers=headers).body, "html.parser")
    schema = scheming_get_dataset_schema(dataset_type)
    names = {tag.get("name") for tag in form.select("input, select, textarea")}
    for field in schema["dataset_fields"]:
        if field.get("form_snippet", "") is not None and field["field_name"] not in ("owner_org", "name"):
            assert field["field_name"] in names, field["field_name"]
    created = create(sysadmin, one_of_each(org)[dataset_type])
    text = BeautifulSoup(
        app.get(f"/{dataset_type}/{created['name']}", headers=headers).body, "html.parser"
    ).get_text(" ")
    assert created["title"] in text
