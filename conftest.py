"""Fixtures shared by the whole non-browser suite.

The demo data is the cast of every cross-app test: one login per role, two member
organisations ("libre-et-local" and "atelier-du-code-commun") and a client body.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from guichet.accounts.models import User
from guichet.core.demo_data import DEMO_PASSWORD, load_all

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


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    """The demo people by login key: coordinator, member, associate, client, member_other, staff."""
    return {login.key: User.objects.get(email=login.email) for login in load_all()}


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
