"""Scoreboard action.

GET /api/3/action/hlj_scoreboard_show[?since=2017-01-01&until=2017-12-31]          every organisation and region
GET /api/3/action/hlj_scoreboard_show?organization=<id or name>[&since=&until=]   one organisation, with its items
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.hlj.logic.action.reprint import report_date
from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.scoreboard import board

__all__ = ["hlj_scoreboard_show"]


@tk.side_effect_free
def hlj_scoreboard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The openness scoreboard: per organisation the four measures — ``timeliness`` (obligations met on time / due),
    ``reprint`` (watched items reprinted / due), ``interpretation`` (own documents interpreted in step / documents),
    ``directory`` (五公开 categories covered / 5) —, each ``{value, numerator, denominator}`` (value null when there
    is nothing to measure), and the weighted ``score`` (0–100, weights in ``weights``); per region the pooled
    figures; by month the trend. With ``organization``: that organisation's figures, its monthly trend and the items
    behind each number (missing reprints, documents without an interpretation in step, missing categories).

    Counts follow what the caller may see. Public.

    :param organization: id or name of one organisation (optional)
    :param since: count only what started (was decided, published) on or after this date, YYYY-MM-DD
    :param until: … on or before this date
    :param items: with every organisation's items behind the numbers (the whole board; default false)
    """
    tk.check_access("hlj_scoreboard_show", context, data_dict)
    en = request_language().startswith("en")
    errors: dict[str, list[str]] = {}
    since = report_date(data_dict, "since", errors, en)
    until = report_date(data_dict, "until", errors, en)
    if since and until and since > until:
        errors["until"] = ["Must not be before since" if en else "不能早于开始日期"]
    org = None
    if data_dict.get("organization"):
        group = model.Group.get(data_dict["organization"])
        if group is None or not group.is_organization or group.state != "active":
            errors["organization"] = ["No such organisation" if en else "没有这个机构"]
        else:
            org = next((o for o in board.m.organizations() if o["id"] == group.id), None)
    if errors:
        raise tk.ValidationError(errors)
    reader = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
    if org is not None:
        return board.organization_board(reader, org, since, until)
    return board.board(reader, since, until, with_items=tk.asbool(data_dict.get("items", False)))
