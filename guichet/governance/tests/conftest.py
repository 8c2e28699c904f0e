"""Fixtures of the governance tests (none applies by itself: a test asks for it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from guichet.accounts.models import User
from guichet.governance.tests.factories import governance_cleared


@pytest.fixture
def cleared(demo: dict[str, Any]) -> dict[str, Any]:
    """The demo people, without the demo's decisions, proxies and associates: the test makes
    the associates it needs. The demo coordinator stays a coordinator (not an associate)."""
    governance_cleared()
    mail.outbox.clear()
    return demo


@pytest.fixture
def coordinator(cleared: dict[str, Any]) -> User:
    person: User = cleared["coordinator"]
    return person
