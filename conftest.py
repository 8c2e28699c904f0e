"""Fixtures shared by the whole non-browser suite.

The demo data is the cast of every cross-app test: one login per role, two member
organisations ("libre-et-local" and "atelier-du-code-commun") and a client body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import teardown_databases
from django.utils import translation

from guichet.accounts.models import User
from guichet.core.demo_data import DEMO_PASSWORD, load_all
from tests.databases import ensure_test_database

# The browser suite's table of page figures prints at the end of any run, xdist included.
pytest_plugins = ["tests.browser.figures"]

ORG_X = "libre-et-local"
ORG_Y = "atelier-du-code-commun"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate limits, API throttles and used TOTP codes live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """A request under /en/ leaves English active in the thread; never let it leak to a test."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, django_db_keepdb: bool
) -> Iterator[dict[str, str]]:
    """The test database holds the demo from the start: loading it takes seconds, so once.

    Each test runs in a transaction rolled back at its end, so the demo comes back intact.
    The browser suite commits its own copy of the demo and restores the database when it ends.
    pytest-django creates the test database only when a collected test is marked for it; a
    browser test file run alone has none, so the database is made sure of here first.
    """
    with django_db_blocker.unblock():
        created = ensure_test_database(keepdb=django_db_keepdb)
        emails = {login.key: login.email for login in load_all()}
    yield emails
    if created is not None and not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture
def demo(db: None, django_db_setup: dict[str, str]) -> dict[str, Any]:
    """The demo people by login key: coordinator, member, associate, client, member_other…"""
    return {key: User.objects.get(email=email) for key, email in django_db_setup.items()}


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def client_as(client: Client) -> Any:
    """`client_as(user)`: the test client, signed in as that person (no sign-in form)."""

    def sign_in(user: Any) -> Client:
        client.force_login(user)
        return client

    return sign_in
