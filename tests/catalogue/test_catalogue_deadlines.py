"""The deadline-rule registry: every rule has a basis and computes; due dates, states and errors.

Due dates are checked against the State Council notices (see test_catalogue_workdays.py for the notice dates used).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from ckanext.hlj.catalogue import codelists, deadlines, workdays
from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.deadlines import check_minimum, compute, rule, rules, status
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.catalogue.workdays import CalendarYearMissing

D = date


def _sh(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def _sample_start(item):
    return {"hours": _sh(2026, 3, 2, 9, 0), "fixed_date": None, "annual_date": 2025}.get(
        item.unit, D(2026, 3, 2)
    )


# --------------------------------------------------------------------------------------------------------------
# The registry


def test_the_registry_covers_the_code_list_and_the_milestones():
    ids = [item.id for item in rules()]
    for code in (choice.code for choice in codelists.codelist("deadline_rule")):
        assert code in ids
    for extra in (
        "application_reply_extended_20wd",
        "directory_18_departments_2018",
        "directory_all_departments_2019",
    ):
        assert extra in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", rules(), ids=lambda item: item.id)
def test_every_rule_has_a_basis_and_computes(item):
    assert item.title_zh and item.title_en
    assert item.basis
    for basis in item.basis:
        assert basis.document and basis.document_en
        assert basis.status in deadlines.BASIS_STATUSES
        if basis.status != "knowledge":
            assert basis.checked, "say where the text was read"
    assert item.basis_text("zh") and item.basis_text("en")
    assert item.unit in deadlines.UNITS and item.kind in deadlines.KINDS
    assert item.stop.field and item.stop.zh and item.stop.en
    assert item.applies_to
    assert (item.start is None) == (item.unit == "fixed_date")
    if item.runs_on:
        assert item.unit == "calendar_days"
    result = compute(_sample_start(item), rule=item.id)
    assert result.rule == item.id
    assert result.kind == item.kind
    assert result.basis("zh") == item.basis_text("zh")
    assert result.basis("en") == item.basis_text("en")
    assert result.provisional is False
    assert isinstance(result.due, datetime) is (item.unit == "hours")


def test_the_legal_bases():
    assert "第二十六条" in rule("proactive_disclosure_20wd").basis_text()
    assert "第三十三条" in rule("application_reply_20wd").basis_text()
    assert "第四十九条第一款" in rule("annual_report_jan31").basis_text()  # art. 49, not 50 (its contents)
    assert "第四十九条第二款" in rule("annual_report_government_mar31").basis_text()
    seven = rule("decision_publication_7wd")
    assert seven.basis[0].status == "confirmed"
    assert "7个工作日内上网公开" in seven.basis[0].quote
    assert "国办发〔2015〕51号" in seven.basis_text()
    for hours_rule in ("incident_release_5h", "incident_press_24h", "opinion_response_48h"):
        item = rule(hours_rule)
        assert item.basis[0].status == "confirmed"
        assert "三、（五）" in item.basis[0].article
        assert "小时内" in item.basis[0].quote
    assert "国办发〔2016〕80号" in rule("incident_release_5h").basis_text()
    assert "国办发〔2016〕61号" in rule("opinion_response_48h").basis_text()
    assert "国办发〔2016〕61号" not in rule("incident_release_5h").basis_text()
    assert "公布30日内" in rule("work_plan_30d").basis[0].quote
    assert "不少于30日" in rule("consultation_min_30d").basis[0].quote
    assert len(rule("directory_18_departments_2018").departments) == 18
    extended = rule("application_reply_extended_20wd")
    assert (extended.extends, extended.extension, extended.amount) == ("application_reply_20wd", 20, 40)


def test_rule_lookup():
    assert rule("work_plan_30d").unit == "calendar_days"
    assert rule(rule("work_plan_30d")) is rule("work_plan_30d")
    assert rule("work_plan_30d").title("en").startswith("Work plans")
    with pytest.raises(InvalidValue) as err:
        rule("publish_whenever")
    assert err.value.code == "deadline_rule_unknown"
    with pytest.raises(InvalidValue):
        rule(None)


# --------------------------------------------------------------------------------------------------------------
# Working-day rules


@pytest.mark.parametrize(
    ("rule_id", "start", "due"),
    [
        (
            "decision_publication_7wd",
            D(2024, 2, 8),
            D(2024, 2, 23),
        ),  # 2024 Spring Festival, 2/18 (Sun) worked
        ("decision_publication_7wd", D(2024, 2, 10), D(2024, 2, 26)),  # decided on a holiday
        ("decision_publication_7wd", D(2024, 2, 4), D(2024, 2, 19)),  # decided on a make-up Sunday
        ("decision_publication_7wd", D(2025, 9, 26), D(2025, 10, 13)),
        (
            "decision_publication_7wd",
            D(2019, 9, 27),
            D(2019, 10, 12),
        ),  # 2019: 9/29 (Sun) and 10/12 (Sat) worked
        ("proactive_disclosure_20wd", D(2026, 2, 12), D(2026, 3, 18)),
        ("proactive_disclosure_20wd", D(2023, 9, 20), D(2023, 10, 24)),  # 中秋国庆 2023, 10/7–10/8 worked
        ("application_reply_20wd", D(2026, 9, 15), D(2026, 10, 19)),
        ("application_reply_extended_20wd", D(2026, 9, 15), D(2026, 11, 16)),
        ("application_reply_20wd", D(2021, 1, 29), D(2021, 3, 3)),  # 2021 Spring Festival
    ],
)
def test_working_day_rules(rule_id, start, due):
    result = compute(start, rule=rule_id)
    assert result.due == due
    assert (result.unit, result.provisional, result.years) == ("working_days", False, ())
    assert compute(start, working_days=rule(rule_id).amount).due == due


def test_an_extension_ends_where_twenty_more_working_days_end():
    for start in (D(2019, 1, 25), D(2020, 1, 10), D(2024, 1, 20), D(2025, 9, 1), D(2026, 9, 15)):
        first = compute(start, rule="application_reply_20wd").due
        assert (
            compute(first, working_days=20).due == compute(start, rule="application_reply_extended_20wd").due
        )


def test_a_datetime_start_counts_by_its_shanghai_date():
    assert compute(datetime(2024, 2, 7, 17, tzinfo=UTC), rule="decision_publication_7wd").due == D(
        2024, 2, 23
    )
    assert compute("2024年2月8日 下午3时", rule="decision_publication_7wd").due == D(2024, 2, 23)


# --------------------------------------------------------------------------------------------------------------
# Calendar-day, hour, annual and fixed rules


def test_calendar_day_rules_run_on_past_rest_days():
    assert compute(D(2017, 3, 20), rule="work_plan_30d").due == D(2017, 4, 19)
    assert compute(D(2025, 9, 1), rule="work_plan_30d").due == D(2025, 10, 9)  # 10/1 in the holiday -> 10/9
    assert compute(D(2025, 9, 1), rule="work_plan_30d", run_on=False).due == D(2025, 10, 1)
    assert compute(D(2024, 1, 5), days=30).due == D(2024, 2, 4)  # a make-up Sunday is a working day
    assert compute(D(2024, 1, 11), days=30).due == D(2024, 2, 18)
    assert compute(D(2024, 3, 1), days=30).due == D(2024, 4, 1)
    adhoc = compute(D(2025, 9, 1), days=30)
    assert (adhoc.rule, adhoc.unit, adhoc.amount) == (None, "calendar_days", 30)
    assert "30" in adhoc.basis("zh") and "30" in adhoc.basis("en")


def test_hour_rules_run_on_the_wall_clock_through_holidays():
    assert compute(_sh(2026, 2, 16, 22, 30), rule="incident_release_5h").due == _sh(2026, 2, 17, 3, 30)
    assert compute(datetime(2026, 2, 16, 22, 30), rule="incident_press_24h").due == _sh(2026, 2, 17, 22, 30)
    assert compute("2024-10-01 09:00", rule="opinion_response_48h").due == _sh(2024, 10, 3, 9, 0)
    assert compute(datetime(2024, 10, 1, 1, 0, tzinfo=UTC), hours=48).due == _sh(2024, 10, 3, 9, 0)
    assert compute(_sh(2024, 10, 1, 9, 0), hours=0.5).due == _sh(2024, 10, 1, 9, 30)


@pytest.mark.parametrize("start", [D(2026, 2, 16), "2026-02-16", "2026年2月16日"])
def test_a_date_is_not_enough_for_an_hour_rule(start):
    with pytest.raises(InvalidValue) as err:
        compute(start, rule="incident_release_5h")
    assert err.value.code == "deadline_needs_time"
    with pytest.raises(InvalidValue):
        compute(start, hours=5)


def test_annual_reports_are_due_on_fixed_days():
    # 2025-01-31 lay inside the Spring Festival holiday (1/28–2/4); the date is set by the regulation and not moved.
    assert compute(2024, rule="annual_report_jan31").due == D(2025, 1, 31)
    assert not workdays.is_workday(D(2025, 1, 31))
    assert compute(D(2024, 6, 1), rule="annual_report_jan31").due == D(2025, 1, 31)
    assert compute(2025, rule="annual_report_government_mar31").due == D(2026, 3, 31)
    # An annual date needs no calendar: a report on 2026 is due 2027-01-31 without any provisional estimate.
    assert compute(2026, rule="annual_report_jan31").provisional is False
    with pytest.raises(InvalidValue):
        compute(1066, rule="annual_report_jan31")


def test_directory_milestones():
    assert compute(None, rule="directory_18_departments_2018").due == D(2018, 6, 30)  # a Saturday, not moved
    assert compute(D(2017, 3, 20), rule="directory_all_departments_2019").due == D(2019, 6, 30)
    assert status(None, D(2018, 6, 29), rule="directory_18_departments_2018").state == "on_time"
    late = status(None, D(2018, 7, 2), rule="directory_18_departments_2018")
    assert (late.state, late.late_by, late.late_by_unit) == ("late", 2, "calendar_days")


# --------------------------------------------------------------------------------------------------------------
# The minimum rule


def test_consultation_minimum():
    assert compute(D(2024, 3, 1), rule="consultation_min_30d").due == D(2024, 3, 31)  # the earliest close
    assert compute(D(2024, 3, 1), rule="consultation_min_30d").kind == "minimum"
    ok = check_minimum(D(2024, 3, 1), D(2024, 3, 31))
    assert (ok.ok, ok.days, ok.short_by, ok.earliest_end) == (True, 30, 0, D(2024, 3, 31))
    short = check_minimum(D(2024, 3, 1), D(2024, 3, 30))  # 1–30 March: only 29 days after the opening day
    assert (short.ok, short.short_by) == (False, 1)
    assert check_minimum(D(2025, 9, 1), D(2025, 10, 1)).ok  # no run-on for a minimum
    with pytest.raises(InvalidValue) as err:
        check_minimum(D(2024, 3, 31), D(2024, 3, 1))
    assert err.value.code == "deadline_stop_before_start"
    with pytest.raises(InvalidValue) as err:
        check_minimum(D(2024, 3, 1), D(2024, 3, 31), rule="work_plan_30d")
    assert err.value.code == "deadline_rule_kind"
    with pytest.raises(InvalidValue) as err:
        status(D(2024, 3, 1), D(2024, 3, 31), rule="consultation_min_30d")
    assert err.value.code == "deadline_rule_kind"


# --------------------------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "deadline_arguments"),
        ({"rule": "work_plan_30d", "days": 30}, "deadline_arguments"),
        ({"working_days": 7, "hours": 5}, "deadline_arguments"),
        ({"rule": "no_such_rule"}, "deadline_rule_unknown"),
        ({"working_days": -1}, "deadline_amount_negative"),
        ({"days": -30}, "deadline_amount_negative"),
        ({"hours": -5}, "deadline_amount_negative"),
        ({"working_days": 7.5}, "deadline_amount_type"),
        ({"working_days": True}, "deadline_amount_type"),
        ({"days": "30"}, "deadline_amount_type"),
        ({"hours": float("nan")}, "deadline_amount_type"),
    ],
)
def test_bad_arguments(kwargs, code):
    start = _sh(2026, 3, 2, 9, 0) if "hours" in kwargs else D(2026, 3, 2)
    with pytest.raises(InvalidValue) as err:
        compute(start, **kwargs)
    assert err.value.code == code
    assert err.value.zh and err.value.en


def test_bad_starts():
    with pytest.raises(InvalidValue) as err:
        compute(None, rule="decision_publication_7wd")
    assert err.value.code == "deadline_start_missing"
    with pytest.raises(InvalidValue) as err:
        compute(None, hours=5)
    assert err.value.code == "deadline_start_missing"
    with pytest.raises(InvalidValue) as err:
        compute(20240208, rule="decision_publication_7wd")
    assert err.value.code == "deadline_start_type"
    with pytest.raises(InvalidValue) as err:
        compute("not a date", working_days=7)
    assert err.value.code == "date_format"


# --------------------------------------------------------------------------------------------------------------
# A year without a notice


def test_a_missing_year_raises_unless_provisional():
    with pytest.raises(CalendarYearMissing) as err:
        compute(D(2026, 12, 28), rule="decision_publication_7wd")
    assert err.value.year == 2027
    assert "2027" in err.value.zh and "2027" in err.value.en
    with pytest.raises(CalendarYearMissing):
        compute(D(2026, 12, 20), rule="work_plan_30d")
    estimate = compute(D(2026, 12, 28), rule="decision_publication_7wd", provisional=True)
    assert (estimate.due, estimate.provisional, estimate.years) == (D(2027, 1, 7), True, (2027,))
    # Hours and fixed dates need no calendar.
    assert compute(_sh(2027, 1, 1, 9, 0), rule="incident_press_24h").due == _sh(2027, 1, 2, 9, 0)


# --------------------------------------------------------------------------------------------------------------
# Status


def test_status_of_working_day_rules():
    rule_id = "decision_publication_7wd"  # decided 2024-02-08, due 2024-02-23 (a Friday)
    on_time = status(D(2024, 2, 8), D(2024, 2, 23), rule=rule_id)
    assert (on_time.state, on_time.due, on_time.late_by, on_time.late_by_delta) == (
        "on_time",
        D(2024, 2, 23),
        None,
        None,
    )
    late = status(D(2024, 2, 8), datetime(2024, 2, 27, 10, 0), rule=rule_id)
    assert (late.state, late.late_by, late.late_by_unit, late.late_by_delta) == (
        "late",
        2,
        "working_days",
        timedelta(days=4),
    )
    saturday = status(D(2024, 2, 8), D(2024, 2, 24), rule=rule_id)
    assert (saturday.state, saturday.late_by, saturday.late_by_delta) == ("late", 1, timedelta(days=1))
    pending = status(D(2024, 2, 8), None, rule=rule_id, now=D(2024, 2, 23))
    assert (pending.state, pending.late_by) == ("pending", None)
    overdue = status(D(2024, 2, 8), None, rule=rule_id, now=_sh(2024, 3, 2, 12, 0))
    assert (overdue.state, overdue.late_by, overdue.late_by_delta) == ("overdue", 5, timedelta(days=8))
    assert overdue.provisional is False
    with pytest.raises(InvalidValue) as err:
        status(D(2024, 2, 8), D(2024, 2, 7), rule=rule_id)
    assert err.value.code == "deadline_stop_before_start"


def test_status_of_calendar_day_and_annual_rules():
    late = status(D(2025, 9, 1), D(2025, 10, 10), rule="work_plan_30d")
    assert (late.state, late.due, late.late_by, late.late_by_unit) == (
        "late",
        D(2025, 10, 9),
        1,
        "calendar_days",
    )
    assert status(D(2025, 9, 1), D(2025, 10, 9), rule="work_plan_30d").state == "on_time"
    report = status(2024, D(2025, 2, 5), rule="annual_report_jan31")
    assert (report.state, report.late_by, report.late_by_delta) == ("late", 5, timedelta(days=5))
    assert status(2025, None, rule="annual_report_jan31", now=D(2026, 1, 31)).state == "pending"
    assert status(2025, None, rule="annual_report_jan31", now=_sh(2026, 2, 1, 0, 5)).state == "overdue"


def test_status_of_hour_rules():
    start = _sh(2026, 2, 16, 22, 30)
    assert status(start, _sh(2026, 2, 17, 3, 30), rule="incident_release_5h").state == "on_time"
    late = status(start, _sh(2026, 2, 17, 4, 0), rule="incident_release_5h")
    assert (late.state, late.late_by, late.late_by_unit, late.late_by_delta) == (
        "late",
        0.5,
        "hours",
        timedelta(minutes=30),
    )
    overdue = status(start, None, rule="incident_press_24h", now=_sh(2026, 2, 18, 0, 30))
    assert (overdue.state, overdue.late_by) == ("overdue", 2.0)
    assert status(start, None, rule="incident_press_24h", now=_sh(2026, 2, 17, 12, 0)).state == "pending"
    with pytest.raises(InvalidValue) as err:
        status(start, D(2026, 2, 17), rule="incident_release_5h")
    assert err.value.code == "deadline_needs_time"
    with pytest.raises(InvalidValue) as err:
        status(start, None, rule="incident_release_5h", now=D(2026, 2, 17))
    assert err.value.code == "deadline_needs_time"
    with pytest.raises(InvalidValue) as err:
        status(start, _sh(2026, 2, 16, 20, 0), rule="incident_release_5h")
    assert err.value.code == "deadline_stop_before_start"


@freeze_time("2027-01-01 02:00:00")  # 10:00 in Shanghai, New Year's Day of a year with no notice loaded
def test_status_on_new_years_day_of_an_unloaded_year():
    assert workdays.today() == D(2027, 1, 1)
    pending = status(D(2026, 12, 28), None, rule="decision_publication_7wd")
    assert (pending.state, pending.due, pending.provisional) == ("pending", D(2027, 1, 7), True)
    overdue = status(
        D(2026, 12, 10), None, rule="decision_publication_7wd"
    )  # due 2026-12-21: no estimate needed
    assert (overdue.state, overdue.due) == ("overdue", D(2026, 12, 21))
    assert (overdue.late_by, overdue.provisional) == (
        8,
        True,
    )  # 12/22–12/31 count; 1/1 is an estimated holiday
    with pytest.raises(CalendarYearMissing):
        status(D(2026, 12, 28), None, rule="decision_publication_7wd", provisional=False)
    done = status(D(2026, 12, 10), D(2026, 12, 18), rule="decision_publication_7wd", provisional=False)
    assert (done.state, done.provisional) == ("on_time", False)
    hours = status(_sh(2026, 12, 31, 22, 0), None, rule="incident_release_5h")
    assert (hours.state, hours.late_by) == ("overdue", 7.0)
