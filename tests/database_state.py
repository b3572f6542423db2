"""Emptying the database the way every test module expects it: shared by the clean_db fixture (tests/conftest.py)
and by modules that load a corpus once for all their tests (tests/test_search_relevance.py). A plain module, not a
conftest: `from conftest import …` finds whichever conftest.py comes first on sys.path (tests/catalogue/ has one)."""

from __future__ import annotations

from collections.abc import Callable

from ckan import plugins

# Plugins with database migrations of their own; CKAN's stock clean_db rebuilds only the core tables.
MIGRATED_PLUGINS = ("activity", "harvest")


def reset_database(reset_db: Callable[[], None], migrate_db_for: Callable[[str], None]) -> None:
    from ckanext.hlj import tables  # noqa: PLC0415

    # Our tables reference CKAN's users and datasets: drop them before CKAN empties its tables.
    tables.drop_all()
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        if plugins.plugin_loaded(plugin):
            migrate_db_for(plugin)
    tables.create_all()
