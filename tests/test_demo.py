"""`manage.py load_demo`: the demo every reviewer and the browser suite start from."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import override_settings

from guichet.accounts.models import College, RoleGrant, User
from guichet.core.models import AuditEntry
from guichet.network.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def demo_counts() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "colleges": College.objects.count(),
        "roles": RoleGrant.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_the_demo_can_be_loaded_twice_without_duplicating_anything() -> None:
    call_command("load_demo", "--force", stdout=StringIO())
    first = demo_counts()

    call_command("load_demo", "--force", stdout=StringIO())

    assert demo_counts() == first
    assert first["people"] == 6
    assert first["organisations"] == 3


def test_the_demo_prints_every_demo_login() -> None:
    out = StringIO()

    call_command("load_demo", "--force", stdout=out)

    for email in User.objects.values_list("email", flat=True):
        assert email in out.getvalue()


def test_the_demo_refuses_to_run_without_debug() -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert User.objects.count() == 0


@override_settings(DEBUG=True)
def test_the_demo_runs_with_debug() -> None:
    call_command("load_demo", stdout=StringIO())

    assert User.objects.count() == 6
