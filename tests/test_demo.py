"""`manage.py load_demo`: the demo every reviewer and the browser suite start from.

The test database already holds the demo (the root conftest loads it once, as `load_demo`
does): these tests check its scale, then run the command again over it.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import override_settings

from guichet.accounts.models import College, Role, RoleGrant, User
from guichet.core.models import AuditEntry
from guichet.network.models import (
    Application,
    Charter,
    CharterSignature,
    Commune,
    EvaluatorAssignment,
    Evidence,
    Membership,
    Organisation,
    Software,
    SoftwareLink,
    ValueRating,
)
from guichet.network.services.admission import OPEN_STATUSES

pytestmark = pytest.mark.django_db


def demo_counts() -> dict[str, int]:
    """What the demo creates. Not the audit log: see `audit_after`."""
    return {
        "people": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "colleges": College.objects.count(),
        "roles": RoleGrant.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "communes": Commune.objects.count(),
        "software": Software.objects.count(),
        "links": SoftwareLink.objects.count(),
        "evidence": Evidence.objects.count(),
        "charters": Charter.objects.count(),
        "signatures": CharterSignature.objects.count(),
        "applications": Application.objects.count(),
        "assignments": EvaluatorAssignment.objects.count(),
        "ratings": ValueRating.objects.count(),
    }


def last_sequence() -> int:
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def audit_after(sequence: int) -> list[str]:
    entries = AuditEntry.objects.filter(sequence__gt=sequence).order_by("sequence")
    return list(entries.values_list("action", flat=True))


def test_the_demo_is_a_whole_network() -> None:
    members = Organisation.objects.filter(is_member=True)
    regions = set(
        members.filter(commune__isnull=False).values_list("commune__department__region", flat=True)
    )
    colleges = set(College.objects.values_list("slug", flat=True))
    with_associates = set(
        RoleGrant.objects.filter(role=Role.ASSOCIATE).values_list("college__slug", flat=True)
    )

    assert Organisation.objects.count() >= 30
    assert len(regions) >= 5
    assert User.objects.count() >= 60
    assert len(colleges) == 3
    assert with_associates == colleges
    assert Application.objects.filter(status__in=OPEN_STATUSES).exists()


def test_the_demo_can_be_loaded_twice_without_duplicating_anything() -> None:
    before = demo_counts()
    since = last_sequence()

    call_command("load_demo", "--force", stdout=StringIO())
    first = demo_counts()
    call_command("load_demo", "--force", stdout=StringIO())

    assert first == before
    assert demo_counts() == first
    # The audit log grows by one record per run, and only that: importing the SILL catalogue
    # is itself an audited event. No role granted, charter signed or application made again.
    assert audit_after(since) == ["catalogue.import_sill", "catalogue.import_sill"]


def test_the_demo_prints_every_demo_login(demo: dict[str, Any]) -> None:
    out = StringIO()

    call_command("load_demo", "--force", stdout=out)

    assert len(demo) >= 6
    for person in demo.values():
        assert person.email in out.getvalue()


def test_the_demo_refuses_to_run_without_debug() -> None:
    before = demo_counts()
    since = last_sequence()

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert demo_counts() == before
    assert audit_after(since) == []


@override_settings(DEBUG=True)
def test_the_demo_runs_with_debug(demo: dict[str, Any]) -> None:
    since = last_sequence()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "Demo data loaded" in out.getvalue()
    assert demo["coordinator"].email in out.getvalue()
    assert audit_after(since) == ["catalogue.import_sill"]
