"""Writes on API tokens and roles."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import ApiToken, Role, RoleGrant
from guichet.accounts.services import (
    MAX_TOKEN_DAYS,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    role_grant,
    role_revoke,
)
from guichet.accounts.tests.factories import CollegeFactory, UserFactory
from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_token_s_secret_is_returned_once_and_only_its_hash_is_stored() -> None:
    person = UserFactory.create()

    token, secret = api_token_create(user=person, name="  sync script ", days=30)

    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("gch_")
    assert len(secret) > 40
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix)
    assert secret not in {getattr(stored, f.attname) for f in ApiToken._meta.concrete_fields}
    assert stored.name == "sync script"


def test_two_tokens_never_share_a_secret() -> None:
    person = UserFactory.create()

    _, first = api_token_create(user=person, name="a")
    _, second = api_token_create(user=person, name="b")

    assert first != second


def test_a_token_lives_the_days_asked_for() -> None:
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False):
        token, _ = api_token_create(user=UserFactory.create(), name="a", days=7)

    assert token.expires_at == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_a_token_without_a_lifetime_gets_the_configured_default(settings: Any) -> None:
    settings.GUICHET_API_TOKEN_DAYS = 12
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False):
        token, _ = api_token_create(user=UserFactory.create(), name="a")

        assert token.expires_at - timezone.now() == timedelta(days=12)


@pytest.mark.parametrize("days", [0, -1, MAX_TOKEN_DAYS + 1])
def test_a_token_lifetime_outside_one_to_365_days_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="365"):
        api_token_create(user=UserFactory.create(), name="a", days=days)

    assert not ApiToken.objects.exists()


def test_creating_a_token_is_audited_without_its_secret() -> None:
    person = UserFactory.create()

    token, secret = api_token_create(user=person, name="a", days=5)

    entry = AuditEntry.objects.get(action="api_token.create")
    assert (entry.actor_id, entry.object_id, entry.data) == (person.pk, str(token.pk), {"days": 5})
    assert secret not in str(entry.chained_fields())


def test_a_valid_secret_authenticates_its_owner_and_marks_the_token_used() -> None:
    person = UserFactory.create()
    token, secret = api_token_create(user=person, name="a")

    found = api_token_authenticate(secret)

    assert found == token
    assert found.user == person
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "gch_", "gch_not-a-real-one", "not-even-the-prefix"])
def test_an_unknown_secret_authenticates_no_one(secret: str) -> None:
    api_token_create(user=UserFactory.create(), name="a")

    assert api_token_authenticate(secret) is None


def test_an_expired_token_no_longer_authenticates() -> None:
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False) as traveller:
        _, secret = api_token_create(user=UserFactory.create(), name="a", days=1)
        traveller.shift(timedelta(hours=23, minutes=59))
        assert api_token_authenticate(secret) is not None

        traveller.shift(timedelta(minutes=2))

        assert api_token_authenticate(secret) is None


def test_a_revoked_token_no_longer_authenticates() -> None:
    person = UserFactory.create()
    token, secret = api_token_create(user=person, name="a")

    api_token_revoke(token=token, by=person)

    assert api_token_authenticate(secret) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor_id=person.pk).count() == 1


def test_revoking_a_token_twice_keeps_the_first_date_and_audits_once() -> None:
    person = UserFactory.create()
    token, _ = api_token_create(user=person, name="a")
    api_token_revoke(token=token, by=person)
    first_date = token.revoked_at

    api_token_revoke(token=token, by=person)

    assert token.revoked_at == first_date
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_the_token_of_a_deactivated_person_no_longer_authenticates() -> None:
    person = UserFactory.create()
    _, secret = api_token_create(user=person, name="a")
    person.is_active = False
    person.save()

    assert api_token_authenticate(secret) is None


def test_an_associate_sits_in_the_college_given() -> None:
    college = CollegeFactory.create()

    grant = role_grant(user=UserFactory.create(), role=Role.ASSOCIATE, college=college)

    assert grant.college == college


def test_an_associate_without_a_college_is_refused() -> None:
    person = UserFactory.create()

    with pytest.raises(ValueError, match="college"):
        role_grant(user=person, role=Role.ASSOCIATE)

    assert not person.role_grants.exists()


def test_a_role_other_than_associate_is_granted_without_a_college() -> None:
    grant = role_grant(user=UserFactory.create(), role=Role.MEMBER, college=CollegeFactory.create())

    assert grant.college is None


def test_the_database_refuses_an_associate_without_a_college() -> None:
    person = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=person, role=Role.ASSOCIATE, college=None)


def test_the_database_refuses_a_college_for_someone_who_is_not_an_associate() -> None:
    person = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=person, role=Role.CLIENT, college=CollegeFactory.create())


def test_a_person_holds_a_role_only_once() -> None:
    person = UserFactory.create()
    role_grant(user=person, role=Role.MEMBER)

    role_grant(user=person, role=Role.MEMBER)

    assert person.role_grants.count() == 1


def test_granting_and_revoking_roles_is_audited() -> None:
    person, coordinator = UserFactory.create(), UserFactory.create()
    college = CollegeFactory.create(slug="contributeurs")
    last = AuditEntry.objects.order_by("-sequence").first()  # the demo's records come before

    role_grant(user=person, role=Role.ASSOCIATE, college=college, by=coordinator)
    role_revoke(user=person, role=Role.ASSOCIATE, by=coordinator)

    new = AuditEntry.objects.filter(sequence__gt=last.sequence if last else 0)
    actions = list(new.order_by("sequence").values_list("action", "actor_id", "data"))
    assert actions == [
        ("role.grant", coordinator.pk, {"role": "associate", "college": "contributeurs"}),
        ("role.revoke", coordinator.pk, {"role": "associate"}),
    ]
    assert audit_verify() is None


def test_revoking_a_role_the_person_does_not_hold_changes_nothing() -> None:
    assert role_revoke(user=UserFactory.create(), role=Role.COORDINATOR) is False
    assert not AuditEntry.objects.filter(action="role.revoke").exists()
