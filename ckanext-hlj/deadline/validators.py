"""CKAN validators of the records that carry deadlines (``consultation``, ``response``, ``disclosure-application``).

They are registered through :mod:`ckanext.hlj.logic.validators`, whose ``__all__`` ``tk.blanket.validators`` reads,
and answer in the request's language like every validator there. Fields are validated in key order, not schema
order (``closes_on`` before ``opens_on``), so a validator that reads another field parses it itself and leaves a bad
value to that field's own validator.

* ``hlj_moment`` — a date *and time of day*: the 5 h / 24 h / 48 h rules count hours, so a bare date is refused.
* ``hlj_minimum_period(start, reason[, rule])`` — on the end date of a period that must last a minimum
  (``consultation_min_30d``, :func:`ckanext.hlj.catalogue.deadlines.check_minimum`): shorter is an error unless the
  ``reason`` field explains it (the seed says “一般不少于30日”: as a rule, not always).
* ``hlj_not_before(other)`` — a date or moment that cannot come before another field's (a reply before the
  application was received); compared by date when either has no time of day.
* ``hlj_required_if(other)`` — required when another field is true (a yes/no field) or filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing
from ckanext.scheming.validation import scheming_validator

from ckanext.hlj.catalogue import dates, deadlines
from ckanext.hlj.catalogue.errors import InvalidValue

__all__ = ["hlj_minimum_period", "hlj_moment", "hlj_not_before", "hlj_required_if"]

FALSE_WORDS = ("", "false", "0", "no", "off", "否")


def _lang() -> str:
    from ckanext.hlj.logic.validators import request_language  # noqa: PLC0415 (that module imports this one)

    return request_language()


def _en() -> bool:
    return _lang().startswith("en")


def _empty(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip()) or value == []


def _label(schema: dict[str, Any] | None, name: str) -> str:
    """A field's label in the request's language, from the dataset schema (the field name when not found)."""
    for field in (schema or {}).get("dataset_fields", []):
        if field["field_name"] == name:
            label = field.get("label", name)
            if isinstance(label, dict):
                return label.get("en" if _en() else "zh_Hans_CN") or next(iter(label.values()), name)
            return str(label)
    return name


def _is_boolean(schema: dict[str, Any] | None, name: str) -> bool:
    for field in (schema or {}).get("dataset_fields", []):
        if field["field_name"] == name:
            return field.get("preset") == "hlj_boolean"
    return False


def hlj_moment(value: Any) -> Any:
    """A date with a time of day (Asia/Shanghai unless an offset is given), stored as ISO 8601 with its offset."""
    if _empty(value):
        return value
    try:
        return dates.parse_datetime(value, require_time=True).isoformat()
    except InvalidValue as error:
        if error.code == "time_missing":
            raise tk.Invalid(
                "Give the time of day as well as the date (hours are counted from it)"
                if _en()
                else "请填写具体时刻（日期和时:分），按小时计算的时限从此起算"
            ) from None
        raise tk.Invalid(error.message(_lang())) from None


def hlj_minimum_period(start: str, reason: str, rule: str = "consultation_min_30d") -> Callable[..., Any]:
    """On the end date of a period: it must last at least the ``rule``'s days from the ``start`` field, unless the
    ``reason`` field says why it is shorter. The end day must not come before the start day either way."""
    item = deadlines.rule(rule)  # a typo in a schema fails at start-up, not at the first submission
    if item.kind != "minimum":
        raise ValueError(f"hlj_minimum_period: {rule} is not a minimum-duration rule")

    @scheming_validator
    def bind(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
        def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
            end, begin = data.get(key), data.get((start,))
            if errors.get(key) or _empty(end) or _empty(begin):
                return
            try:
                first, last = dates.parse_date(begin), dates.parse_date(end)
            except InvalidValue:
                return  # the start field reports its own error
            try:
                check = deadlines.check_minimum(first, last, rule=item)
            except InvalidValue as error:
                errors[key].append(error.message(_lang()))
                return
            explained = data.get((reason,))
            if check.ok or not _empty(explained):
                return
            if _en():
                errors[key].append(
                    f"Must last at least {item.amount} days: {first} to {last} is {check.days} "
                    f"(the first day is not counted), so close on {check.earliest_end} or later, or give "
                    f"{_label(schema, reason)}"
                )
            else:
                errors[key].append(
                    f"期限一般不少于{item.amount}日：{first}至{last}仅{check.days}日（开始当日不计入），"
                    f"应不早于{check.earliest_end}截止；确需缩短的，请填写「{_label(schema, reason)}」"
                )

        return validator

    return bind


def _compare(value: dt.date | dt.datetime, other: dt.date | dt.datetime) -> tuple[Any, Any]:
    if isinstance(value, dt.datetime) and isinstance(other, dt.datetime):
        return value, other
    as_date = [v.date() if isinstance(v, dt.datetime) else v for v in (value, other)]
    return as_date[0], as_date[1]


def hlj_not_before(other: str) -> Callable[..., Any]:
    """The field's date or moment may not come before the ``other`` field's."""

    @scheming_validator
    def bind(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
        def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
            value, earlier = data.get(key), data.get((other,))
            if errors.get(key) or _empty(value) or _empty(earlier):
                return
            try:
                mine, theirs = _compare(
                    dates.parse_date_or_datetime(value), dates.parse_date_or_datetime(earlier)
                )
            except InvalidValue:
                return  # bad values are their own fields' errors
            if mine < theirs:
                label = _label(schema, other)
                errors[key].append(
                    f"Cannot be before {label} ({earlier})" if _en() else f"不能早于「{label}」（{earlier}）"
                )

        return validator

    return bind


def hlj_required_if(other: str) -> Callable[..., Any]:
    """Required when the ``other`` field is true (a yes/no field) or, for any other field, filled in."""

    @scheming_validator
    def bind(field: dict[str, Any], schema: dict[str, Any]) -> Callable[..., None]:
        boolean = _is_boolean(schema, other)

        def validator(key: Any, data: dict, errors: dict, context: dict) -> None:
            if not _empty(data.get(key)):
                return
            value = data.get((other,))
            if boolean:
                given = value is True or (
                    value not in (None, False, missing) and str(value).strip().lower() not in FALSE_WORDS
                )
            else:
                given = not _empty(value)
            if not given:
                return
            label = _label(schema, other)
            if boolean:
                errors[key].append(
                    f"Required when {label} is Yes" if _en() else f"「{label}」为「是」时必须填写"
                )
            else:
                errors[key].append(
                    f"Required when {label} is given" if _en() else f"填写了「{label}」时必须填写"
                )

        return validator

    return bind
