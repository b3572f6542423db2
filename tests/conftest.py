"""Shared fixtures. Every test that touches CKAN runs against the real services `make test` started."""

from __future__ import annotations

import pytest
from ckan import plugins
from ckan.tests import factories

# Plugins with database migrations of their own; CKAN's stock clean_db rebuilds only the core tables.
MIGRATED_PLUGINS = ("activity", "harvest")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    from ckanext.hlj import tables  # noqa: PLC0415

    # Our tables reference CKAN's users and datasets: drop them before CKAN empties its tables.
    tables.drop_all()
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        if plugins.plugin_loaded(plugin):
            migrate_db_for(plugin)
    tables.create_all()


class Organization(factories.Organization):
    """CKAN's organization factory with the fields our organization schema requires (a provincial department)."""

    org_kind = "department"
    admin_level = "province"
    region_code = "230000"
    # Tests about other rules publish at once; tests of the confidentiality review turn it on.
    review_required = False


@pytest.fixture
def make_organization():
    return Organization
