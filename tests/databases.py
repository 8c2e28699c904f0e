"""The test database, whichever tests are collected.

pytest-django creates the test database only for the aliases its collected tests are marked
for (`django_db`). The browser tests are not marked (they share one committed live-server
database), so running one browser test file alone used to reach the suite's fixtures with no
test database: the demo then loaded into the development database, or failed with "no such
table". The root `django_db_setup` makes sure of the test database first.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import setup_databases


def is_test_database(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the connection points at a test database (never write to a real one)."""
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    test_name = connection.settings_dict.get("TEST", {}).get("NAME")
    return name == test_name or name.startswith("test_")


def ensure_test_database(*, keepdb: bool) -> Any:
    """Create the default test database when pytest-django has not; returns what
    `teardown_databases` needs to drop it, or None when it was there already."""
    created = None
    if not is_test_database():
        created = setup_databases(
            verbosity=0, interactive=False, keepdb=keepdb, aliases={DEFAULT_DB_ALIAS}
        )
    if not is_test_database():
        raise RuntimeError("Refusing to run the tests on a non-test database.")
    return created
