"""Which records the law keeps out of public view.

依申请公开 and 不予公开 items of a disclosure directory, 不予开放 data resources and every record of the register of
依申请公开 applications (type ``disclosure-application``) are never public, whatever ``private`` value a client
sends: the dataset is stored as private, and CKAN's own privacy handling then keeps it out of every anonymous or
other-organisation surface (show, search and facets, lists, activity, pages, downloads, DataStore reads).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.hlj.catalogue import codelists
from ckanext.hlj.catalogue.errors import InvalidValue

# (field, code) pairs whose presence makes a dataset private. The field name is also its code list's name, except
# ``type``: a dataset type all of whose records are private.
RESTRICTED: tuple[tuple[str, str], ...] = (
    ("disclosure_attribute", "on_request"),
    ("disclosure_attribute", "withheld"),
    ("open_type", "closed"),
    ("type", "disclosure-application"),
)


def restricting_reason(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (field, code) that keeps a record private, or None. Values may be codes or labels."""
    for field, code in RESTRICTED:
        value = values.get(field)
        if value in (None, ""):
            continue
        if field == "type":
            if value == code:
                return field, code
            continue
        try:
            if codelists.validate_choice(field, value) == code:
                return field, code
        except InvalidValue:
            continue  # the field's own validator reports it
    return None
