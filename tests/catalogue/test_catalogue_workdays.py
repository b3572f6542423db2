"""The working-day calendar: State Council notices, counting rules, missing and provisional years, SQL ordinals.

Expected dates are taken from the notices themselves (国务院办公厅关于某年部分节假日安排的通知), not from the packages:
2019 春节 2/4–2/10 with 2/2 (Sat) and 2/3 (Sun) worked; 2020 春节 extended to 2/2 (国办发明电〔2020〕1号) with 1/19
(Sun) worked; 2021 春节 2/11–2/17, 2/7 (Sun) and 2/20 (Sat) worked; 2023 春节 1/21–1/27, 1/28–1/29 worked, 中秋国庆
9/29–10/6, 10/7–10/8 worked; 2024 春节 2/10–2/17, 2/4 (Sun) and 2/18 (Sun) worked, 除夕 2/9 an ordinary working day;
2025 春节 1/28–2/4, 1/26 (Sun) and 2/8 (Sat) worked, 国庆中秋 10/1–10/8, 9/28 (Sun) and 10/11 (Sat) worked; 2026 (notice
of 2025-11-04) 元旦 1/1–1/3 with 1/4 (Sun) worked, 春节 2/15–2/23 with 2/14 and 2/28 (Sat) worked, 清明 4/4–4/6, 劳动节
5/1–5/5 with 5/9 (Sat) worked, 国庆 10/1–10/7 with 9/20 (Sun) and 10/10 (Sat) worked; 2006 (国办发明电〔2005〕35号)
元旦 1/1–1/3 with 2005-12-31 (Sat) worked.
"""

import json
import pickle
import shutil
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar
import holidays
import pytest
import yaml
from freezegun import freeze_time
from holidays.countries.china import ChinaStaticHolidays

from ckanext.hlj.catalogue import workdays
from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.catalogue.workdays import (
    CalendarYearMissing,
    Due,
    add_days,
    add_hours,
    add_workdays,
    calendar_rows,
    count_workdays,
    day_info,
    due_by_ordinal,
    due_days,
    due_workdays,
    is_workday,
    next_workday,
    workdays_between,
)

D = date


TODAY = "2026-11-25 10:00:00"  # the notices used below must not lie in the future, whatever the machine's clock says


@pytest.fixture
def overrides(tmp_path):
    """A private copy of the override file, in use for the test (add_year writes there, not into the package)."""
    copy = tmp_path / "calendar_overrides.yaml"
    shutil.copy(workdays.DEFAULT_OVERRIDES, copy)
    workdays.set_overrides_path(copy)
    yield copy
    workdays.set_overrides_path(None)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --------------------------------------------------------------------------------------------------------------
# Sources and coverage


def test_sources_cover_the_documented_years():
    # chinesecalendar 1.11.0 covers 2004–2026 and stops there; holidays 0.109 has notice data for 2001–2026.
    assert (workdays.PACKAGE_FIRST_YEAR, workdays.PACKAGE_LAST_YEAR) == (2004, 2026)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))
    notice_years = ChinaStaticHolidays.special_public_holidays
    assert (min(notice_years), max(notice_years)) == (2001, 2026)
    coverage = workdays.coverage()
    assert list(coverage) == list(range(2004, 2027))
    assert coverage[2006] == "chinesecalendar+override"
    assert coverage[2026] == "chinesecalendar"
    assert workdays.missing_years(2025, 2028) == [2027, 2028]


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2019, 2, 2), "makeup_workday"),
        (D(2019, 2, 3), "makeup_workday"),
        (D(2019, 2, 4), "holiday"),
        (D(2019, 2, 8), "holiday"),
        (D(2020, 1, 19), "makeup_workday"),
        (D(2020, 1, 31), "holiday"),  # the COVID-19 extension, a Friday
        (D(2020, 2, 1), "holiday"),  # planned as a make-up Saturday, cancelled by the extension
        (D(2020, 2, 3), "workday"),
        (D(2021, 2, 7), "makeup_workday"),
        (D(2021, 2, 20), "makeup_workday"),
        (D(2023, 1, 28), "makeup_workday"),
        (D(2023, 10, 6), "holiday"),
        (D(2023, 10, 8), "makeup_workday"),
        (D(2024, 2, 4), "makeup_workday"),
        (D(2024, 2, 9), "workday"),  # 除夕 2024 was not a day off
        (D(2024, 2, 10), "holiday"),
        (D(2024, 2, 16), "holiday"),
        (D(2024, 2, 18), "makeup_workday"),
        (D(2025, 1, 26), "makeup_workday"),
        (D(2025, 1, 28), "holiday"),  # 除夕, statutory from 2025
        (D(2025, 2, 8), "makeup_workday"),
        (D(2025, 5, 2), "holiday"),
        (D(2025, 10, 8), "holiday"),
        (D(2025, 10, 11), "makeup_workday"),
        (D(2026, 1, 2), "holiday"),
        (D(2026, 1, 4), "makeup_workday"),
        (D(2026, 2, 14), "makeup_workday"),
        (D(2026, 2, 23), "holiday"),
        (D(2026, 2, 28), "makeup_workday"),
        (D(2026, 4, 6), "holiday"),  # 清明 on a Sunday, compensated on Monday
        (D(2026, 5, 9), "makeup_workday"),
        (D(2026, 9, 20), "makeup_workday"),
        (D(2026, 9, 25), "holiday"),
        (D(2026, 10, 7), "holiday"),
        (D(2026, 10, 10), "makeup_workday"),
        (D(2026, 11, 28), "weekend"),
        (D(2026, 11, 25), "workday"),
        (D(2005, 12, 31), "makeup_workday"),  # the override file's correction of chinesecalendar
    ],
)
def test_days_as_the_notices_say(day, kind):
    info = day_info(day)
    assert info.kind == kind
    assert info.is_workday is (kind in ("workday", "makeup_workday"))
    assert is_workday(day) is info.is_workday
    assert info.provisional is False
    if kind in ("holiday", "makeup_workday") and day.year > 2005:
        assert info.name


def test_day_names_are_chinese():
    assert day_info(D(2024, 2, 12)).name == "春节"
    assert day_info(D(2024, 2, 18)).name == "春节"
    assert day_info(D(2026, 10, 10)).name == "国庆节"
    assert day_info(D(2005, 12, 31)).name == "元旦"
    assert day_info(D(2026, 11, 28)).name is None


# --------------------------------------------------------------------------------------------------------------
# Working-day periods


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2024, 2, 1), 7, D(2024, 2, 9)),  # through the make-up Sunday 2/4
        (D(2024, 2, 8), 7, D(2024, 2, 23)),  # across the 2024 Spring Festival, 2/18 (Sun) counted
        (
            D(2024, 2, 10),
            1,
            D(2024, 2, 18),
        ),  # start on a holiday; the make-up Sunday is the first working day
        (D(2024, 2, 17), 1, D(2024, 2, 18)),
        (D(2024, 2, 18), 1, D(2024, 2, 19)),  # start on a make-up Sunday
        (D(2019, 1, 31), 3, D(2019, 2, 3)),  # 2/2 and 2/3 worked in 2019
        (D(2020, 1, 20), 5, D(2020, 2, 4)),  # the extended 2020 Spring Festival
        (D(2021, 2, 5), 3, D(2021, 2, 9)),  # 2/7 (Sun) worked
        (D(2023, 10, 5), 2, D(2023, 10, 8)),  # start inside 国庆; 10/7 and 10/8 worked
        (D(2025, 1, 27), 1, D(2025, 2, 5)),  # 除夕 1/28 off from 2025
        (D(2025, 9, 26), 7, D(2025, 10, 13)),  # across 国庆中秋 2025, 9/28 and 10/11 worked
        (D(2026, 2, 12), 20, D(2026, 3, 18)),  # 2/14 and 2/28 (Sat) worked
        (D(2026, 9, 15), 20, D(2026, 10, 19)),  # 中秋 9/25, 9/20 (Sun) and 10/10 (Sat) worked
        (D(2026, 9, 15), 40, D(2026, 11, 16)),
        (D(2026, 4, 3), 1, D(2026, 4, 7)),  # 清明 4/4–4/6
        (D(2026, 4, 30), 1, D(2026, 5, 6)),  # 劳动节 5/1–5/5
    ],
)
def test_add_workdays(start, n, due):
    assert add_workdays(start, n) == due
    assert due_workdays(start, n) == Due(due, False, ())
    assert workdays_between(start, due) == n
    assert is_workday(due)


def test_zero_working_days_is_the_start_day():
    assert add_workdays(D(2024, 2, 12), 0) == D(2024, 2, 12)  # even on a holiday
    assert workdays_between(D(2024, 2, 12), D(2024, 2, 12)) == 0


def test_datetimes_count_by_their_shanghai_date():
    late_evening_utc = datetime(2024, 2, 7, 17, 0, tzinfo=UTC)  # 2024-02-08 01:00 in Shanghai
    assert add_workdays(late_evening_utc, 7) == D(2024, 2, 23)
    assert add_workdays("2024年2月8日", 7) == D(2024, 2, 23)


def test_workdays_between():
    assert workdays_between(D(2024, 2, 8), D(2024, 2, 19)) == 3  # 2/9, 2/18, 2/19
    assert workdays_between(D(2024, 2, 19), D(2024, 2, 8)) == -3
    assert workdays_between(D(2024, 2, 10), D(2024, 2, 17)) == 0
    assert workdays_between(D(2025, 12, 31), D(2026, 1, 5)) == 2  # 1/4 (Sun) and 1/5
    assert count_workdays(D(2019, 1, 1), D(2026, 12, 31)).workdays == sum(
        chinese_calendar.is_workday(d) for d in _days(D(2019, 1, 2), D(2026, 12, 31))
    )


def test_counting_is_additive_across_years():
    for start in _days(D(2019, 1, 1), D(2026, 9, 30)):
        first = add_workdays(start, 20)
        assert add_workdays(first, 20) == add_workdays(start, 40)


def test_find_workday_trap():
    # chinese_calendar.find_workday first moves a rest day to the next working day, then counts: one too late.
    assert chinese_calendar.find_workday(1, D(2024, 2, 10)) == D(2024, 2, 19)
    assert add_workdays(D(2024, 2, 10), 1) == D(2024, 2, 18)
    # From a working day the two agree.
    assert chinese_calendar.find_workday(7, D(2024, 2, 8)) == add_workdays(D(2024, 2, 8), 7)


@pytest.mark.parametrize("n", [-1, 1.5, True, "7", None])
def test_bad_counts(n):
    with pytest.raises(InvalidValue) as err:
        add_workdays(D(2024, 2, 8), n)
    assert err.value.code in ("calendar_count_type", "calendar_count_negative")


def test_bad_dates():
    with pytest.raises(InvalidValue):
        add_workdays(20240208, 1)
    with pytest.raises(InvalidValue):
        is_workday("2024-02-30")


def test_next_workday():
    assert next_workday(D(2024, 2, 8)) == D(2024, 2, 8)
    assert next_workday(D(2024, 2, 10)) == D(2024, 2, 18)
    assert next_workday(D(2026, 11, 28)) == D(2026, 11, 30)
    assert next_workday(D(2025, 10, 1)) == D(2025, 10, 9)


# --------------------------------------------------------------------------------------------------------------
# Calendar-day periods (民法典 art. 203) and hours


def test_calendar_day_periods_run_on_past_rest_days():
    assert add_days(D(2025, 9, 1), 30) == D(2025, 10, 9)  # ends 10/1, inside 国庆中秋 10/1–10/8
    assert add_days(D(2025, 9, 1), 30, run_on=False) == D(2025, 10, 1)
    assert add_days(D(2024, 3, 1), 30) == D(2024, 4, 1)  # ends on a Sunday
    assert add_days(D(2024, 1, 5), 30) == D(2024, 2, 4)  # ends on a make-up Sunday: a working day, no run-on
    assert add_days(D(2024, 1, 10), 30) == D(2024, 2, 9)  # ends on 除夕 2024, a working day
    assert add_days(D(2024, 1, 11), 30) == D(2024, 2, 18)  # ends 2/10 (holiday) -> the make-up Sunday 2/18
    assert add_days(D(2017, 3, 20), 30) == D(2017, 4, 19)


def test_hours_on_the_shanghai_wall_clock():
    start = datetime(2026, 2, 16, 22, 30, tzinfo=SHANGHAI)
    assert add_hours(start, 5) == datetime(
        2026, 2, 17, 3, 30, tzinfo=SHANGHAI
    )  # across midnight, in a holiday
    assert add_hours(datetime(2026, 2, 16, 22, 30), 5) == datetime(
        2026, 2, 17, 3, 30, tzinfo=SHANGHAI
    )  # naive
    utc = add_hours(datetime(2024, 1, 1, 20, 0, tzinfo=UTC), 5)
    assert utc == datetime(2024, 1, 2, 9, 0, tzinfo=SHANGHAI)
    assert utc.utcoffset() == timedelta(hours=8)
    assert add_hours("2024-10-01 09:00", 48) == datetime(2024, 10, 3, 9, 0, tzinfo=SHANGHAI)
    assert add_hours(start, 1.5) == datetime(2026, 2, 17, 0, 0, tzinfo=SHANGHAI)
    # No daylight saving: a year of hours lands on the same wall-clock time, and equals the elapsed time.
    new_year = datetime(2026, 1, 1, 9, 0, tzinfo=SHANGHAI)
    later = add_hours(new_year, 24 * 365)
    assert later == datetime(2027, 1, 1, 9, 0, tzinfo=SHANGHAI)
    assert later.astimezone(UTC) - new_year.astimezone(UTC) == timedelta(days=365)
    assert add_hours(datetime(2024, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))), 0).hour == 1


@pytest.mark.parametrize("bad", [D(2026, 2, 16), "2026-02-16"])
def test_hours_need_a_time(bad):
    with pytest.raises(InvalidValue) as err:
        add_hours(bad, 5)
    assert err.value.code == "calendar_hours_need_time"


def test_hours_must_be_a_non_negative_number():
    start = datetime(2026, 2, 16, 22, 30, tzinfo=SHANGHAI)
    for bad in (-1, float("nan"), float("inf"), True, "5"):
        with pytest.raises(InvalidValue):
            add_hours(start, bad)


# --------------------------------------------------------------------------------------------------------------
# Missing and provisional years


def test_missing_year_raises_naming_it():
    with pytest.raises(CalendarYearMissing) as err:
        is_workday(D(2027, 1, 4))
    assert err.value.year == 2027
    assert err.value.code == "calendar_year_missing"
    assert "2027" in err.value.zh
    assert "2027" in err.value.en
    assert isinstance(err.value, InvalidValue)
    assert err.value.estimable
    again = pickle.loads(pickle.dumps(err.value))
    assert (again.year, again.code, again.en) == (2027, err.value.code, err.value.en)

    for call in (
        lambda: add_workdays(D(2026, 12, 28), 7),
        lambda: workdays_between(D(2026, 12, 1), D(2027, 1, 10)),
        lambda: next_workday(D(2027, 1, 1)),
        lambda: add_days(D(2026, 12, 20), 30),
        lambda: due_workdays(D(2026, 12, 28), 7),
        lambda: day_info(D(2027, 2, 6)),
        lambda: calendar_rows(D(2026, 12, 1), D(2027, 1, 31), provisional=False),
    ):
        with pytest.raises(CalendarYearMissing) as err:
            call()
        assert err.value.year == 2027


def test_a_due_date_inside_the_loaded_year_needs_no_estimate():
    assert add_workdays(D(2026, 12, 1), 5) == D(2026, 12, 8)
    assert add_workdays(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert due_workdays(D(2026, 12, 1), 5, provisional=True) == Due(D(2026, 12, 8), False, ())


def test_years_that_cannot_be_estimated():
    for year in (2003, 2101):
        with pytest.raises(CalendarYearMissing) as err:
            day_info(D(year, 3, 3), provisional=True)
        assert err.value.code == "calendar_year_unsupported"
        assert not err.value.estimable


def test_provisional_results_are_marked():
    due = due_workdays(D(2026, 12, 28), 7, provisional=True)
    assert due == Due(D(2027, 1, 7), True, (2027,))  # 1/1 元旦 (estimated), then the weekend
    assert due_days(D(2026, 12, 20), 30, provisional=True) == Due(D(2027, 1, 19), True, (2027,))
    assert due_days(D(2026, 12, 2), 30, provisional=True) == Due(
        D(2027, 1, 4), True, (2027,)
    )  # 1/1 + weekend
    span = count_workdays(D(2026, 12, 31), D(2027, 1, 8), provisional=True)
    assert (span.workdays, span.provisional, span.years) == (5, True, (2027,))
    info = day_info(D(2027, 2, 6), provisional=True)
    assert (info.kind, info.provisional, info.name) == ("holiday", True, "春节（推定）")
    assert day_info(D(2026, 2, 16), provisional=True).provisional is False


def test_provisional_2027_spring_festival():
    # 2027: 除夕 Friday 5 February, 初一 Saturday 6 February; the two weekend days are compensated on 2/9 and 2/10.
    festival = {day for day, names in workdays.statutory_holidays(2027).items() if "春节" in names}
    assert festival == {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)}
    rest = workdays.estimated_rest_days(2027)
    assert [d for d in rest if d.month == 2] == [D(2027, 2, d) for d in range(5, 11)]
    assert rest[D(2027, 2, 9)] == "春节（补假，推定）"
    assert due_workdays(D(2027, 2, 4), 1, provisional=True).date == D(2027, 2, 11)
    assert due_workdays(D(2027, 2, 4), 7, provisional=True).date == D(2027, 2, 19)
    # No make-up working days in an estimated year: every Saturday and Sunday is a rest day.
    weekend = [d for d in _days(D(2027, 1, 1), D(2027, 12, 31)) if d.weekday() >= 5]
    assert not any(day_info(d, provisional=True).is_workday for d in weekend)


def test_provisional_2027_other_festivals():
    rest = workdays.estimated_rest_days(2027)
    expected = {
        D(2027, 1, 1),
        D(2027, 4, 5),  # 清明, a Monday
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 5, 3),
        D(2027, 5, 4),  # 劳动节 on the weekend, compensated Monday and Tuesday
        D(2027, 6, 9),  # 端午
        D(2027, 9, 15),  # 中秋
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
        D(2027, 10, 4),
        D(2027, 10, 5),
    }
    assert {d for d in rest if d.month != 2} == expected


def test_statutory_holidays_follow_the_2024_amendment():
    # 元旦 1, 春节 4 (除夕 + 初一–初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3 = 13 days from 2025 on.
    for year in range(2025, 2101):
        statutory = workdays.statutory_holidays(year)
        festivals = [name for names in statutory.values() for name in names]
        assert len(festivals) == 13, year
        assert festivals.count("春节") == 4
        assert festivals.count("劳动节") == 2
        assert festivals.count("国庆节") == 3
        assert {
            D(year, 1, 1),
            D(year, 5, 1),
            D(year, 5, 2),
            D(year, 10, 1),
            D(year, 10, 2),
            D(year, 10, 3),
        } <= set(statutory)
        # 清明 is a solar term: check the lunar/solar computation of holidays against chinese_calendar's.
        (qingming,) = [d for d, names in statutory.items() if "清明节" in names]
        assert chinese_calendar.get_solar_terms(qingming, qingming) == [(qingming, "清明")]
    # Before the amendment 除夕 was not statutory (2014–2024), and 劳动节 had one day.
    assert len(workdays.statutory_holidays(2024)) == 11


@pytest.mark.parametrize(
    ("year", "new_year", "dragon_boat", "mid_autumn"),
    [
        (2027, D(2027, 2, 6), D(2027, 6, 9), D(2027, 9, 15)),
        (2028, D(2028, 1, 26), D(2028, 5, 28), D(2028, 10, 3)),
        (2029, D(2029, 2, 13), D(2029, 6, 16), D(2029, 9, 22)),
        (2030, D(2030, 2, 3), D(2030, 6, 5), D(2030, 9, 12)),
    ],
)
def test_lunar_dates_of_coming_years(year, new_year, dragon_boat, mid_autumn):
    statutory = workdays.statutory_holidays(year)
    spring = sorted(d for d, names in statutory.items() if "春节" in names)
    assert spring == [new_year + timedelta(days=k) for k in (-1, 0, 1, 2)]
    assert "端午节" in statutory[dragon_boat]
    assert "中秋节" in statutory[mid_autumn]


def test_statutory_days_are_rest_days_in_the_official_calendars():
    # The amendment as the packages read it agrees with the notices of 2025 and 2026.
    for year in (2025, 2026):
        for day in workdays.statutory_holidays(year):
            assert not is_workday(day), day


# --------------------------------------------------------------------------------------------------------------
# Cross-check: chinesecalendar against holidays


def test_chinesecalendar_and_holidays_agree_except_documented_days():
    """Day by day over 2004–2026, the years both packages take from the notices.

    Documented difference: 2005-12-31 (Sat), a make-up working day of the 2006 notice (国办发明电〔2005〕35号: "12月31日
    （星期六）上班"). holidays has it; chinesecalendar 1.11.0 does not. The override file carries the 2006 notice, so
    the calendar of this module agrees with holidays on every day.
    """
    china = holidays.China(years=range(2004, 2027))
    raw = {
        day
        for day in _days(D(2004, 1, 1), D(2026, 12, 31))
        if chinese_calendar.is_workday(day) != china.is_working_day(day)
    }
    assert raw == {D(2005, 12, 31)}
    ours = {
        day for day in _days(D(2004, 1, 1), D(2026, 12, 31)) if is_workday(day) != china.is_working_day(day)
    }
    assert ours == set()
    # holidays stores the make-up days separately; they are all weekend days and all working days here.
    for day in china.weekend_workdays:
        if day.year >= 2004:
            assert day.weekday() >= 5
            assert is_workday(day)


def test_the_estimate_against_holidays_own_estimate():
    """For the years no notice covers, holidays (observed=True) guesses too: statutory days plus weekend compensation.

    Documented difference: when 中秋 and 国庆 fall on the same Monday–Friday (2028, 2031, 2058, 2077, 2085) the
    estimate here compensates the coinciding day, as the 2020 notice did (中秋 = 国庆 = 10/1, 8 days off); holidays
    does not. On a weekend coincidence (2039, 2066) both compensate twice and agree.
    """
    weekday_coincidences = []
    for year in range(2027, 2101):
        ours = set(workdays.estimated_rest_days(year))
        theirs = {d for d in holidays.China(years=year) if d.year == year}
        extra = sum(len(n) - 1 for d, n in workdays.statutory_holidays(year).items() if d.weekday() < 5)
        assert theirs <= ours, year
        assert len(ours - theirs) == extra, year
        if extra:
            weekday_coincidences.append(year)
    assert weekday_coincidences == [2028, 2031, 2058, 2077, 2085]


# --------------------------------------------------------------------------------------------------------------
# The clock


def test_the_clock_is_shanghai_time():
    with freeze_time("2026-12-31 16:30:00"):  # UTC; already 1 January in Shanghai
        assert workdays.today() == D(2027, 1, 1)
        assert workdays.now() == datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)


@freeze_time("2027-01-01 09:00:00", tz_offset=0)
def test_new_year_of_an_unloaded_year():
    today = workdays.today()
    assert today == D(2027, 1, 1)
    assert workdays.missing_years() == [2027, 2028]
    with pytest.raises(CalendarYearMissing):
        is_workday(today)
    with pytest.raises(CalendarYearMissing):
        add_workdays(today, 7)
    assert day_info(today, provisional=True).kind == "holiday"
    assert due_workdays(today, 7, provisional=True) == Due(D(2027, 1, 12), True, (2027,))
    # Looking back still works on the official calendar.
    assert add_workdays(D(2026, 12, 1), 5) == D(2026, 12, 8)


# --------------------------------------------------------------------------------------------------------------
# Rows for SQL and the ordinal formula


def test_calendar_rows_shape():
    rows = list(calendar_rows(D(2024, 2, 8), D(2024, 2, 20)))
    assert rows[0] == (D(2024, 2, 8), True, 0, False)
    assert rows[1] == (D(2024, 2, 9), True, 1, False)
    assert [r[2] for r in rows[2:10]] == [1] * 8  # the holiday keeps the ordinal of 2/9
    assert rows[10] == (D(2024, 2, 18), True, 2, False)
    assert rows[-1] == (D(2024, 2, 20), True, 4, False)
    starting_on_holiday = list(calendar_rows(D(2024, 2, 10), D(2024, 2, 19)))
    assert starting_on_holiday[0] == (D(2024, 2, 10), False, 0, False)
    assert starting_on_holiday[-2:] == [(D(2024, 2, 18), True, 1, False), (D(2024, 2, 19), True, 2, False)]
    with pytest.raises(InvalidValue):
        calendar_rows(D(2024, 2, 20), D(2024, 2, 8))


def test_the_ordinal_formula_agrees_with_add_workdays():
    """For every start day of 2019–2026 and n in 1..40: the working day with ordinal(start) + n is the due date."""
    rows = list(calendar_rows(D(2019, 1, 1), D(2027, 3, 31), provisional=True))
    by_day = {row[0]: row for row in rows}
    by_ordinal = {row[2]: row[0] for row in rows if row[1]}
    assert len(by_ordinal) == sum(row[1] for row in rows)  # one working day per ordinal
    for start in _days(D(2019, 1, 1), D(2026, 12, 31)):
        ordinal = by_day[start][2]
        for n in range(1, 41):
            expected = due_workdays(start, n, provisional=True)
            assert by_ordinal[ordinal + n] == expected.date, (start, n)
            assert due_by_ordinal(rows, start, n) == expected, (start, n)
    for a, b in [
        (D(2019, 1, 1), D(2026, 12, 31)),
        (D(2024, 2, 10), D(2024, 2, 18)),
        (D(2025, 9, 30), D(2025, 10, 9)),
    ]:
        assert by_day[b][2] - by_day[a][2] == workdays_between(a, b)


def test_due_by_ordinal_limits():
    rows = list(calendar_rows(D(2024, 2, 1), D(2024, 2, 29)))
    assert due_by_ordinal(rows, D(2024, 2, 8), 7) == Due(D(2024, 2, 23))
    assert due_by_ordinal(iter(rows), D(2024, 2, 10), 0) == Due(D(2024, 2, 10))
    with pytest.raises(InvalidValue):
        due_by_ordinal(rows, D(2024, 2, 8), 30)
    with pytest.raises(InvalidValue):
        due_by_ordinal(rows, D(2024, 3, 8), 1)


# --------------------------------------------------------------------------------------------------------------
# The override file: add_year


def _notice_2027():
    """A made-up 2027 notice for the tests (NOT the real one): the statutory days, a 调休 block and make-up days."""
    holidays_ = {d: "元旦" for d in _days(D(2027, 1, 1), D(2027, 1, 3))}
    holidays_ |= {d: "春节" for d in _days(D(2027, 2, 5), D(2027, 2, 12))}
    holidays_ |= {D(2027, 4, 5): "清明节"}
    holidays_ |= {d: "劳动节" for d in _days(D(2027, 5, 1), D(2027, 5, 5))}
    holidays_ |= {D(2027, 6, 9): "端午节", D(2027, 9, 15): "中秋节"}
    holidays_ |= {d: "国庆节" for d in _days(D(2027, 10, 1), D(2027, 10, 7))}
    workdays_ = [D(2027, 2, 20), D(2027, 5, 8), D(2027, 9, 26), D(2027, 10, 9)]
    source = {
        "title": "国务院办公厅关于2027年部分节假日安排的通知（测试用，虚构）",
        "number": "国办发明电〔2026〕99号",
        "date": D(2026, 11, 1),
        "url": "https://example.org/test-notice-2027",
        "note": "invented for the tests",
    }
    return holidays_, workdays_, source


@freeze_time(TODAY)
def test_add_year_round_trip(overrides):
    holidays_, workdays_, source = _notice_2027()
    assert workdays.add_year(2027, holidays_, workdays_, source) == overrides
    assert workdays.coverage()[2027] == "override"
    assert workdays.missing_years(2026, 2027) == []
    assert is_workday(D(2027, 2, 20))  # a make-up Saturday, no provisional flag needed
    assert day_info(D(2027, 2, 20)).kind == "makeup_workday"
    assert day_info(D(2027, 2, 11)) == workdays.DayInfo(D(2027, 2, 11), False, "holiday", "春节", False)
    assert add_workdays(D(2026, 12, 28), 7) == D(2027, 1, 7)
    assert due_workdays(D(2027, 2, 4), 1, provisional=True) == Due(D(2027, 2, 15), False, ())
    # The file reads back to the same entry, and keeps the 2006 correction and its header.
    text = overrides.read_text("utf-8")
    assert text.startswith("# State Council holiday notices")
    entry = yaml.safe_load(text)["years"][2027]
    assert entry["holidays"] == holidays_
    assert entry["workdays"] == workdays_
    assert entry["source"]["number"] == "国办发明电〔2026〕99号"
    assert 2006 in yaml.safe_load(text)["years"]
    workdays.set_overrides_path(overrides)  # a fresh load gives the same calendar
    assert is_workday(D(2027, 2, 20))
    with pytest.raises(InvalidValue) as err:
        workdays.add_year(2027, holidays_, workdays_, source)
    assert err.value.code == "calendar_year_exists"
    workdays.add_year(2027, holidays_, [*workdays_[:-1]], source, replace=True)
    assert not is_workday(D(2027, 10, 9))


@freeze_time(TODAY)
def test_add_year_leaves_the_calendar_in_use_alone_when_writing_elsewhere(overrides, tmp_path):
    holidays_, workdays_, source = _notice_2027()
    other = tmp_path / "elsewhere" / "overrides.yaml"
    workdays.add_year(2027, holidays_, workdays_, source, path=other)
    assert other.exists()
    assert workdays.missing_years(2027, 2027) == [2027]


@freeze_time(TODAY)
def test_add_year_file_yaml_and_json(overrides, tmp_path):
    holidays_, workdays_, source = _notice_2027()
    as_yaml = tmp_path / "2027.yaml"
    lines = ["year: 2027", "source:"]
    lines += [
        f"  {key}: {value.isoformat() if hasattr(value, 'isoformat') else value}"
        for key, value in source.items()
    ]
    lines += ["holidays:"] + [f"  {day.isoformat()}: {name}" for day, name in holidays_.items()]
    lines += ["workdays:"] + [f"  - {day.isoformat()}" for day in workdays_]
    as_yaml.write_text("\n".join(lines) + "\n", "utf-8")  # unquoted dates: YAML reads them as dates
    assert workdays.read_year_file(as_yaml)["year"] == 2027
    workdays.add_year_file(as_yaml)
    assert is_workday(D(2027, 5, 8))

    as_json = tmp_path / "2027.json"
    as_json.write_text(
        json.dumps(
            {
                "year": 2027,
                "source": {**source, "date": "2026-11-01"},
                "holidays": {d.isoformat(): n for d, n in holidays_.items()},
                "workdays": [d.isoformat() for d in workdays_],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    workdays.add_year_file(as_json, replace=True)
    assert is_workday(D(2027, 5, 8))

    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2027\nholidays: {}\nextra: 1\n", "utf-8")
    with pytest.raises(InvalidValue):
        workdays.read_year_file(bad)
    with pytest.raises(InvalidValue):
        workdays.read_year_file(tmp_path / "absent.yaml")


def _broken(change):
    holidays_, workdays_, source = _notice_2027()
    args = {"year": 2027, "holidays": holidays_, "workdays": workdays_, "source": source}
    change(args)
    return args


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda a: a["workdays"].append(D(2027, 2, 17)), "not a Saturday or Sunday"),
        (lambda a: a["workdays"].append(D(2027, 2, 6)), "both a holiday and a working day"),
        (lambda a: a["workdays"].append(D(2027, 2, 20)), "listed twice"),
        (lambda a: a["holidays"].update({D(2025, 6, 2): "端午节"}), "neither in 2027"),
        (
            lambda a: a["holidays"].update({D(2027, 3, 13): "植树", D(2027, 3, 14): "植树"}),
            "entirely on a weekend",
        ),
        (lambda a: a["holidays"].pop(D(2027, 2, 5)), "statutory holidays 2027-02-05"),
        (lambda a: a["holidays"].update({D(2027, 8, 2): ""}), "has no name"),
        (lambda a: a.update(holidays={}), "no holidays"),
        (lambda a: a.update(workdays="2027-02-20"), "list of dates"),
        (lambda a: a.update(year=True), "whole number"),
        (lambda a: a.update(year=2003), "outside"),
        (lambda a: a["source"].pop("url"), "source.url"),
        (lambda a: a["source"].update(title="国务院办公厅关于部分节假日安排的通知"), "contain 2027"),
        (lambda a: a["source"].update(number="国办发〔2026〕1号"), "source.number"),
        (lambda a: a["source"].update(date=D(2026, 12, 24)), "in the future"),
        (lambda a: a["source"].update(date="soon"), "source.date"),
        (lambda a: a["source"].update(author="me"), "unknown source keys"),
        (lambda a: a.update(source=None), "source is missing"),
        (lambda a: a["holidays"].update({datetime(2027, 8, 2, 9): "x"}), "should be a date"),
    ],
)
@freeze_time(TODAY)
def test_add_year_validation(overrides, change, words):
    before = overrides.read_text("utf-8")
    with pytest.raises(InvalidValue) as err:
        workdays.add_year(**_broken(change))
    assert words in err.value.en
    assert err.value.zh
    assert overrides.read_text("utf-8") == before


def test_a_broken_override_file_fails_when_loaded(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "years:\n  2027:\n    holidays: {2027-02-17: 春节}\n    workdays: [2027-02-18]\n", "utf-8"
    )
    try:
        with pytest.raises(InvalidValue):
            workdays.set_overrides_path(broken)
    finally:
        workdays.set_overrides_path(None)
    assert workdays.overrides_path() == workdays.DEFAULT_OVERRIDES


@freeze_time(TODAY)
def test_the_environment_variable_selects_the_file(tmp_path, monkeypatch):
    holidays_, workdays_, source = _notice_2027()
    target = tmp_path / "env.yaml"
    workdays.add_year(2027, holidays_, workdays_, source, path=target)
    monkeypatch.setenv(workdays.OVERRIDES_ENV, str(target))
    try:
        assert workdays.overrides_path() == target
        assert is_workday(D(2027, 2, 20))
    finally:
        monkeypatch.delenv(workdays.OVERRIDES_ENV)
    with pytest.raises(CalendarYearMissing):
        is_workday(D(2027, 2, 20))


def test_the_packaged_override_file_is_valid():
    entries = workdays._read_overrides(workdays.DEFAULT_OVERRIDES)
    assert set(entries) == {2006}
    rest, work, source = entries[2006]
    assert source["number"] == "国办发明电〔2005〕35号"
    assert D(2005, 12, 31) in work
    # Apart from 2005-12-31 the entry agrees with chinesecalendar, which is why it is only a correction.
    assert all(not chinese_calendar.is_workday(d) for d in rest)
    assert all(chinese_calendar.is_workday(d) for d in work if d != D(2005, 12, 31))
