"""Shared fixtures. Every test that touches CKAN runs against the real services `make test` started."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from database_state import reset_database


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    reset_database(reset_db, migrate_db_for)


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
