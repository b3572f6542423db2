"""The platform's own database tables, kept next to CKAN's in its database.

They live on one ``MetaData`` of ours, so CKAN's own rebuild of its core tables (``ckan db init``, the test suite's
``reset_db``) neither owns nor drops them; they are created where missing at start-up and before first use, so a
portal whose database is initialised after start-up still gets them. Modules define their tables on
:data:`metadata` (review decisions, background import jobs, …) and call :func:`create_all` before touching them.
"""

from __future__ import annotations

from ckan import model
from sqlalchemy import MetaData, inspect

metadata = MetaData()

_ready = False  # a per-process cache of a fact about the database


def create_all() -> bool:
    """Create our tables where missing, once CKAN's own tables exist; cheap when they do. Returns whether they
    are there."""
    global _ready  # noqa: PLW0603
    if _ready:
        return True
    _import_table_modules()
    engine = model.meta.engine
    if not inspect(engine).has_table("package"):
        return False
    metadata.create_all(engine, checkfirst=True)
    _ready = True
    return True


def drop_all() -> None:
    """Drop our tables (tests do, before CKAN empties its own tables, which ours reference)."""
    global _ready  # noqa: PLW0603
    _import_table_modules()
    metadata.drop_all(model.meta.engine, checkfirst=True)
    _ready = False


def _import_table_modules() -> None:
    # Every module that defines a table on ``metadata``, so create_all sees them all whoever calls it first.
    from ckanext.hlj import review  # noqa: F401, PLC0415
    from ckanext.hlj.excel import jobs  # noqa: F401, PLC0415
    from ckanext.hlj.harvesters import state  # noqa: F401, PLC0415
    from ckanext.hlj.reprint import check  # noqa: F401, PLC0415
    from ckanext.hlj.security import audit  # noqa: F401, PLC0415
