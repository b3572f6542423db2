"""What the platform's scheming schemas say about their fields, for code that works on any dataset type."""

from __future__ import annotations

from typing import Any

from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.hlj.catalogue import codelists


def code_list_fields(dataset_type: str) -> dict[str, Any]:
    """``{field: (codelist, multiple)}`` for the type's code-list fields; repeating fields map to the same kind of
    dict for their subfields."""
    schema = scheming_get_dataset_schema(dataset_type) or {}
    return _code_lists(schema.get("dataset_fields", []))


def _code_lists(fields: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        if "repeating_subfields" in field:
            out[field["field_name"]] = _code_lists(field["repeating_subfields"])
        elif "codelist" in field:
            out[field["field_name"]] = (field["codelist"], field.get("preset") == "hlj_codelist_multiple")
    return out


def as_stored(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A record with code-list labels replaced by the codes the schema stores (labels are what people write)."""
    out = dict(record)
    for key, spec in fields.items():
        value = out.get(key)
        if value in (None, "", []):
            continue
        if isinstance(spec, dict):
            out[key] = [as_stored(item, spec) for item in value]
        elif spec[1]:
            out[key] = codelists.validate_choices(spec[0], value)
        else:
            out[key] = codelists.validate_choice(spec[0], value)
    return out
