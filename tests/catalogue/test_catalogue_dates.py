from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ckanext.hlj.catalogue import dates
from ckanext.hlj.catalogue.dates import SHANGHAI, parse_date, parse_date_or_datetime, parse_datetime
from ckanext.hlj.catalogue.errors import InvalidValue

MARCH_20 = date(2017, 3, 20)


@pytest.mark.parametrize(
    "raw",
    [
        "2017-03-20",
        "2017-3-20",
        "2017/3/20",
        "2017/03/20",
        "2017.3.20",
        "20170320",
        "2017年3月20日",
        "2017年03月20日",
        "2017 年 3 月 20 日",
        "2017年3月20号",
        "2017年3月20",
        "二〇一七年三月二十日",
        "二零一七年三月二十日",
        "二○一七年三月二十日",
        "２０１７年３月２０日",
        "２０１７－０３－２０",
        " 2017-03-20 ",
    ],
)
def test_dates(raw):
    assert parse_date_or_datetime(raw) == MARCH_20
    assert type(parse_date_or_datetime(raw)) is date
    assert parse_date(raw) == MARCH_20


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2017-03-20 10:30", (10, 30, 0)),
        ("2017-03-20 10:30:15", (10, 30, 15)),
        ("2017/3/20 9:05", (9, 5, 0)),
        ("2017-03-20T10:30:00", (10, 30, 0)),
        ("2017年3月20日 10时30分", (10, 30, 0)),
        ("2017年3月20日10时30分", (10, 30, 0)),
        ("2017年3月20日 10点30分15秒", (10, 30, 15)),
        ("2017年3月20日 10:30", (10, 30, 0)),
        ("2017年3月20日 10：30", (10, 30, 0)),
        ("2017年3月20日下午3时", (15, 0, 0)),
        ("2017年3月20日 下午3点半", (15, 30, 0)),
        ("2017年3月20日上午10时", (10, 0, 0)),
        ("2017年3月20日中午12时", (12, 0, 0)),
        ("2017年3月20日晚上8时", (20, 0, 0)),
        ("二〇一七年三月二十日十时三十分", (10, 30, 0)),
        ("二〇一七年三月二十日十时零五分", (10, 5, 0)),
    ],
)
def test_date_times_are_aware_in_shanghai(raw, expected):
    value = parse_date_or_datetime(raw)
    assert isinstance(value, datetime)
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(hours=8)
    assert (value.date(), (value.hour, value.minute, value.second)) == (MARCH_20, expected)


def test_written_offsets_are_converted():
    assert parse_datetime("2017-03-20T02:30:00Z") == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)
    assert parse_datetime("2017-03-20T10:30:00+08:00") == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)
    assert parse_datetime("2017-03-20 10:30:00.250-0500").hour == 23
    assert parse_date("2017-03-19T20:00:00Z") == MARCH_20  # the Shanghai calendar day


def test_parse_datetime_of_a_bare_date():
    assert parse_datetime("2017年3月20日") == datetime(2017, 3, 20, tzinfo=SHANGHAI)
    with pytest.raises(InvalidValue) as info:
        parse_datetime("2017年3月20日", require_time=True)
    assert info.value.code == "time_missing"


def test_python_objects_are_accepted():
    assert parse_date_or_datetime(MARCH_20) == MARCH_20
    naive = datetime(2017, 3, 20, 10, 30)
    assert parse_datetime(naive) == datetime(2017, 3, 20, 10, 30, tzinfo=SHANGHAI)
    aware = datetime(2017, 3, 20, 2, 30, tzinfo=UTC)
    assert parse_datetime(aware) == aware
    assert parse_datetime(aware).utcoffset() == timedelta(hours=8)
    assert parse_date(datetime(2017, 3, 19, 20, 0, tzinfo=timezone.utc)) == MARCH_20  # noqa: UP017
    assert parse_date(20170320) == MARCH_20


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2017年2月30日", "date_invalid"),
        ("二〇一七年二月三十日", "date_invalid"),
        ("2017-02-29", "date_invalid"),
        ("2017-13-01", "date_invalid"),
        ("2017年0月1日", "date_invalid"),
        ("2017/4/31", "date_invalid"),
        ("1800-01-01", "date_year"),
        ("2017-03-20 24:00", "time_invalid"),
        ("2017-03-20 10:60", "time_invalid"),
        ("2017年3月20日 上午15时", "time_invalid"),
        ("2017年3月20日 10时六十分", "time_invalid"),
        ("2017-03-20 10:30+25:00", "time_offset"),
        ("2017年3月", "date_format"),
        ("2017-03", "date_format"),
        ("2017-03/20", "date_format"),
        ("20170230", "date_invalid"),
        ("03/20/2017", "date_format"),
        ("二〇一七年十三十月一日", "date_format"),
        ("二〇一七年一十月一日", "date_format"),
        ("2O17年3月20日", "date_format"),
        ("两〇一七年三月二十日", "date_format"),
        ("发布时间：2017-03-20", "date_format"),
        ("昨天", "date_format"),
        ("", "date_empty"),
        (None, "date_type"),
        (2017.0320, "date_type"),
    ],
)
def test_invalid(raw, code):
    with pytest.raises(InvalidValue) as info:
        parse_date_or_datetime(raw)
    assert info.value.code == code


def test_leap_day():
    assert parse_date("二〇二〇年二月二十九日") == date(2020, 2, 29)


def test_format_date_zh():
    assert dates.format_date_zh(MARCH_20) == "2017年3月20日"


# --- properties -------------------------------------------------------------------------------------------------

CN = "〇一二三四五六七八九"


def cn_year(year: int) -> str:
    return "".join(CN[int(d)] for d in str(year))


def cn_small(n: int) -> str:
    tens, units = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN[tens] + "十")) + (
        "" if units == 0 and tens else CN[units]
    )


some_dates = st.dates(date(dates.MIN_YEAR, 1, 1), date(dates.MAX_YEAR, 12, 31))


@given(some_dates)
def test_every_written_form_of_a_date_parses_back(day):
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        day.strftime("%Y%m%d"),
        f"{day.year}年{day.month}月{day.day}日",
        f"{cn_year(day.year)}年{cn_small(day.month)}月{cn_small(day.day)}日",
        f"{cn_year(day.year).replace('〇', '零')}年{cn_small(day.month)}月{cn_small(day.day)}日",
        dates.format_date_zh(day),
    ]
    for form in forms:
        assert parse_date_or_datetime(form) == day, form


# Asia/Shanghai is UTC+8 without daylight saving since 1992 (before: local mean time, then DST in 1986–1991).
@given(
    st.dates(date(1992, 1, 1), date(dates.MAX_YEAR, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
)
def test_date_times_parse_back(day, hour, minute, second):
    expected = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)
    assert parse_datetime(f"{day.isoformat()} {hour:02d}:{minute:02d}:{second:02d}") == expected
    assert parse_datetime(f"{day.year}年{day.month}月{day.day}日 {hour}时{minute}分{second}秒") == expected
    assert parse_datetime(expected.isoformat()) == expected
    assert parse_datetime(expected.astimezone(UTC).isoformat()) == expected


@given(st.integers(1, 99))
def test_chinese_small_numbers(n):
    assert dates._small_number(cn_small(n), "") == n
