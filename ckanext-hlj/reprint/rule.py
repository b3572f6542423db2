"""The watch rule as a supervisor edits it: which issuer levels and which 主题分类 make a document reprint-required.

The two options are declared in config_declaration.yaml and made editable at run time through CKAN's own
mechanism (IConfigurer.update_config_schema → ``config_option_update``, stored in ``system_info``), so the change
is audited by CKAN's activity of that action, needs no restart and survives one. :func:`.check.rule` reads the stored
value afresh at every check — a jobs worker started before the change sees it too.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue.codelists import validate_choices
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.logic.validators import request_language

LEVELS = "ckanext.hlj.reprint.watch_levels"
TOPICS = "ckanext.hlj.reprint.watch_topics"
CODELIST = {LEVELS: "issuer_level", TOPICS: "policy_topic"}


def _codes_validator(option: str):
    def validator(value: Any) -> str:
        """Codes or labels of the option's code list → the codes, space-separated (how the ini file holds them)."""
        if isinstance(value, str):
            value = value.split()
        try:
            return " ".join(validate_choices(CODELIST[option], list(value or [])))
        except InvalidValue as error:
            raise tk.Invalid(error.message(request_language())) from error

    return validator


def add_editable_options(schema: dict[str, Any]) -> dict[str, Any]:
    ignore_missing = tk.get_validator("ignore_missing")
    for option in (LEVELS, TOPICS):
        schema[option] = [ignore_missing, _codes_validator(option)]
    return schema


def update(context: dict[str, Any], levels: Any, topics: Any) -> dict[str, Any]:
    """Store a new rule (sysadmins: config_option_update checks it)."""
    return tk.get_action("config_option_update")(context, {LEVELS: levels, TOPICS: topics})
