"""Who may see the openness scoreboard: everyone. It is computed from public records (published documents, the
public reprint report, public directories) as the visitor may see them, and evaluation results of government openness
are meant to be published (the 2017 opinions: 公开通报)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["hlj_scoreboard_show"]


@tk.auth_allow_anonymous_access
def hlj_scoreboard_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}
