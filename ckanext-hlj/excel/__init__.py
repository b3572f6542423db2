"""Excel templates, bulk import and export of the platform's dataset types (openpyxl, .xlsx).

    template("service-item")                                    → openpyxl Workbook (blank template)
    import_workbook(file, "service-item", "hlj-scjgj", "admin") → ImportReport (created / updated / unchanged / errors)
    export("service-item", "hlj-scjgj", user="admin")           → Workbook (the template filled with the items)
    to_bytes(workbook)                                          → the .xlsx file's bytes

Everything about columns comes from the ckanext-scheming schemas (:mod:`.layout`); the items are written with
CKAN's own actions as the importing user (:mod:`.importer`); the web page, actions and ``ckan hlj`` commands call
these functions.
"""

from __future__ import annotations

from openpyxl import Workbook

from .importer import (
    ImportReport,
    Problem,
    WorkbookError,
    import_workbook,
    layout_for,
    organization,
    search_all,
)
from .layout import ITEM_KEYS, ZH, dataset_types
from .workbook import to_bytes

__all__ = [
    "ITEM_KEYS",
    "MIMETYPE",
    "ImportReport",
    "Problem",
    "WorkbookError",
    "dataset_types",
    "export",
    "filename",
    "import_workbook",
    "template",
    "to_bytes",
]

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(dataset_type: str, lang: str | None = ZH) -> Workbook:
    """The blank import template of ``dataset_type`` (labels in ``lang``: Chinese unless English)."""
    from .workbook import build  # noqa: PLC0415

    return build(layout_for(dataset_type), lang)


def export(dataset_type: str, owner_org: str, user: str | None = None, lang: str | None = ZH) -> Workbook:
    """The template filled with ``owner_org``'s items of ``dataset_type`` that ``user`` may see.

    ``user`` None exports as an anonymous visitor (public items only); the organisation's members and sysadmins
    also get its private items. Imported back unchanged, every row reports "unchanged".
    """
    from .workbook import build  # noqa: PLC0415

    type_layout = layout_for(dataset_type)
    org = organization(owner_org)
    return build(type_layout, lang, search_all(dataset_type, org.id, user))


def filename(dataset_type: str, owner_org: str | None = None, kind: str = "template") -> str:
    """An ASCII file name such as ``service-item-hlj-scjgj-export.xlsx``."""
    parts = [dataset_type, owner_org, kind]
    return "-".join(p for p in parts if p) + ".xlsx"
