"""Chinese-aware free-text search.

CKAN sends plain queries (no ``field:value``) to Solr's dismax parser over ``qf``. Its default fields use a
whitespace tokenizer, so a word inside an unspaced Chinese title is never found. Our Solr schema adds ``title_zh``
and ``text_zh`` (CJK bigram analysis, see solr/conf/hlj-schema-additions.xml) and ``ident_zh`` (a record's 文号,
codes and USCCs, so that an exact identifier ranks first); this module puts them into ``qf`` for every search that
did not choose its own fields.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

QF_OPTION = "ckanext.hlj.search.query_fields"


def query_fields() -> str:
    return tk.config.get(QF_OPTION)


def add_chinese_query_fields(search_params: dict[str, Any]) -> dict[str, Any]:
    """Use our query fields unless the caller set ``qf`` (an API client may search one field on purpose)."""
    if not search_params.get("qf"):
        search_params["qf"] = query_fields()
    return search_params
