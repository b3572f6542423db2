"""Deadline actions.

    GET /api/3/action/hlj_deadline_compute?start=2024-02-08&rule=decision_publication_7wd
    GET /api/3/action/hlj_deadline_compute?start=2027-01-29&working_days=20&provisional=true
    GET /api/3/action/hlj_deadline_status_show?id=<dataset>
    GET /api/3/action/hlj_deadline_report_show?organization=hlj-fgw&rule=proactive_disclosure_20wd&start_from=2024-01-01

Messages are Chinese by default and English under the /en/ URL prefix.
"""

from __future__ import annotations

import math
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import dates, deadlines
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.deadline import report as deadline_report
from ckanext.hlj.deadline import status as deadline_status
from ckanext.hlj.logic.validators import request_language

__all__ = ["hlj_deadline_compute", "hlj_deadline_report_show", "hlj_deadline_status_show"]

PERIODS = ("working_days", "days", "hours")


def _field_of(error: InvalidValue) -> str:
    """The request parameter an error is about, so the 409 names it."""
    if error.code in ("deadline_rule_unknown", "deadline_arguments", "deadline_rule_kind"):
        return "rule"
    if error.code in ("deadline_amount_negative", "deadline_amount_type"):
        return "amount"
    return "start"  # bad or missing dates and times, calendar years not loaded


def _invalid(error: InvalidValue) -> tk.ValidationError:
    return tk.ValidationError({_field_of(error): [error.message(request_language())]})


def _bool(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _number(data_dict: dict[str, Any], name: str) -> int | float | None:
    value = data_dict.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise tk.ValidationError({name: [_msg("必须是数字", "Must be a number")]}) from None
    if not math.isfinite(
        number
    ):  # float() accepts "inf" and "nan"; int() of them raises (a 500, found by fuzzing)
        raise tk.ValidationError({name: [_msg("必须是有限的数字", "Must be a finite number")]})
    return int(number) if name != "hours" and number == int(number) else number


def _msg(zh: str, en: str) -> str:
    return en if request_language().startswith("en") else zh


@tk.side_effect_free
def hlj_deadline_compute(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The due date of a rule or of a period, counted on China's working-day calendar.

    :param start: the start date (``2024-02-08``, ``2024年2月8日``, ``二〇二四年二月八日``) or, for hour rules, a
        date and time (Asia/Shanghai unless it carries an offset); the start day itself is not counted
    :param rule: a rule id (see ``deadline_rules.yaml``), or one of:
    :param working_days: a number of working days
    :param days: a number of calendar days (a period ending on a rest day runs to the next working day)
    :param hours: a number of hours (wall clock)
    :param provisional: ``true`` to accept an estimate for a year whose holiday notice is not loaded yet
    :returns: ``due`` (date, or datetime for hours), ``rule``, ``basis``, ``unit``, ``amount``, ``provisional`` and
        ``provisional_years``
    """
    tk.check_access("hlj_deadline_compute", context, data_dict)
    start = data_dict.get("start")
    if start in (None, ""):
        raise tk.ValidationError({"start": [_msg("缺少开始日期", "Missing start date")]})
    periods = {name: _number(data_dict, name) for name in PERIODS}
    rule = data_dict.get("rule") or None
    try:
        if rule is None and not any(v is not None for v in periods.values()):
            raise InvalidValue(
                "deadline_arguments", "须指定规则或期限（工作日、天数或小时数）", "Give a rule or a period"
            )
        deadline = deadlines.compute(
            start, rule=rule, provisional=_bool(data_dict.get("provisional")), **periods
        )
    except InvalidValue as error:
        raise _invalid(error) from None
    lang = request_language()
    return {
        "due": deadline.due.isoformat(),
        "rule": deadline.rule,
        "kind": deadline.kind,
        "basis": deadline.basis(lang),
        "unit": deadline.unit,
        "amount": deadline.amount,
        "provisional": deadline.provisional,
        "provisional_years": list(deadline.years),
    }


@tk.side_effect_free
def hlj_deadline_status_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """A dataset's deadline: the rule that binds it, its due date and its state (on_time, late, pending,
    overdue), or ``{"rule": null}`` when no deadline applies. Visible to whoever may see the dataset.

    :param id: the dataset's id or name
    """
    tk.check_access("hlj_deadline_status_show", context, data_dict)
    package = tk.get_action("package_show")(context, {"id": data_dict.get("id")})
    status = deadline_status.dataset_status(package)
    if status is None:
        return {"id": package["id"], "rule": None}
    lang = request_language()
    item = deadlines.rule(status["rule"])
    return {
        "id": package["id"],
        **status,
        "state_label": deadline_status.state_label(status["state"], lang),
        "title": item.title(lang),
        "basis": item.basis_text(lang),
    }


@tk.side_effect_free
def hlj_deadline_report_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Timeliness per organisation and rule: counts of on_time, late, pending and overdue, and the on-time rate
    (on time / all that have fallen due). Datasets are counted as the caller may see them; 双公示 records are
    counted over every record loaded (counts only).

    :param rule: a rule id, e.g. ``proactive_disclosure_20wd`` (policy documents) or ``decision_publication_7wd``
        (双公示 records); default every rule that binds records
    :param organization: an organisation's id or name (default: all)
    :param start_from: count obligations whose clock started on or after this date
    :param start_to: … on or before this date
    """
    tk.check_access("hlj_deadline_report_show", context, data_dict)
    rule = data_dict.get("rule") or None
    if rule is not None:
        try:
            known = deadlines.rule(rule)
        except InvalidValue as error:
            raise _invalid(error) from None
        if known.kind != "due" or known.unit in ("fixed_date", "annual_date"):
            raise tk.ValidationError(
                {
                    "rule": [
                        _msg(f"{rule} 不是按记录计算的时限规则", f"{rule} is not a per-record deadline rule")
                    ]
                }
            )
    organization = data_dict.get("organization") or None
    if organization:
        from ckan import model  # noqa: PLC0415

        group = model.Group.get(organization)
        if group is None or not group.is_organization:
            raise tk.ObjectNotFound(_msg("找不到该机构", "Organisation not found"))
        organization = group.id
    bounds = {}
    for name in ("start_from", "start_to"):
        value = data_dict.get(name)
        if value:
            try:
                bounds[name] = dates.parse_date(value).isoformat()
            except InvalidValue as error:
                raise tk.ValidationError({name: [error.message(request_language())]}) from None
    return deadline_report.report(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        rule=rule,
        organization=organization,
        lang=request_language(),
        **bounds,
    )
