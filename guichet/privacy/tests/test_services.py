"""The right of access and the right to erasure, over every app's declaration."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import ApiToken, RoleGrant, User
from guichet.accounts.services import api_token_create
from guichet.core.audit import audit_record, audit_verify
from guichet.core.demo_data import DEMO_PASSWORD
from guichet.core.models import AuditEntry
from guichet.core.registries import personal_data as personal_data_registry
from guichet.core.registries.personal_data import declarations
from guichet.network.models import Membership
from guichet.privacy.services import personal_data_erase, personal_data_export

# Models that point at a person but hold nothing to export or erase, and why.
NOT_PERSONAL_DATA = {
    "admin.logentry": "the staff's own administration journal, kept as an accountability record",
}


def declared_fields() -> list[str]:
    return [name for declaration in declarations() for name in declaration.fields]


def test_every_declared_field_is_a_real_model_field() -> None:
    for name in declared_fields():
        app_label, model_name, field_name = name.split(".")
        model = apps.get_model(app_label, model_name)

        assert model._meta.get_field(field_name).concrete, name


def test_every_model_that_points_at_a_person_is_declared() -> None:
    declared_models = {name.rsplit(".", 1)[0].lower() for name in declared_fields()}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)

    for model in apps.get_models():
        label = model._meta.label_lower
        points_at_a_person = model is user_model or any(
            isinstance(field, models.ForeignKey) and field.related_model is user_model
            for field in model._meta.get_fields()
        )
        if points_at_a_person and label not in NOT_PERSONAL_DATA:
            assert label in declared_models, f"{label} holds personal data but is not declared"


def test_every_app_with_models_of_its_own_declares_its_personal_data() -> None:
    declared_apps = {declaration.app for declaration in declarations()}
    project_apps = {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("guichet.") and list(config.get_models())
    }

    assert project_apps <= declared_apps


@pytest.fixture
def associate(demo: dict[str, Any]) -> User:
    """The demo associate, with a token, an authenticator app and a sign-in behind her."""
    person: User = demo["associate"]
    api_token_create(user=person, name="Script")
    TOTP.activate(person, generate_totp_secret())
    audit_record(action="account.login", actor=person, target=person, ip_address="192.0.2.5")
    return person


@pytest.mark.django_db
def test_the_export_holds_the_account_roles_memberships_and_security_records(
    associate: User,
) -> None:
    data = personal_data_export(person=associate)

    json.dumps(data, cls=DjangoJSONEncoder)  # ready for download as it is
    assert data["accounts"]["email"] == "associe@demo.guichet.test"
    assert data["accounts"]["full_name"] == "Léa Fontaine"
    assert sorted(data["accounts"]["roles"], key=lambda r: r["role"]) == [
        {"role": "associate", "college": "contributeurs"},
        {"role": "member", "college": None},
    ]
    assert data["accounts"]["two_factor_methods"] == ["totp"]
    assert [t["name"] for t in data["accounts"]["api_tokens"]] == ["Script"]
    assert [(m["organisation"], m["manager"]) for m in data["network"]["memberships"]] == [
        ("Libre et Local", False)
    ]
    assert {"action": "account.login", "ip_address": "192.0.2.5"}.items() <= data["core"][
        -1
    ].items()
    assert {"api_token.create", "account.login"} <= {r["action"] for r in data["core"]}


@pytest.mark.django_db
def test_the_export_holds_nothing_of_other_people(demo: dict[str, Any]) -> None:
    data = json.dumps(personal_data_export(person=demo["client"]), cls=DjangoJSONEncoder)

    for other in ("member", "associate", "coordinator", "member_other", "staff"):
        assert demo[other].email not in data
        assert demo[other].full_name not in data


@pytest.mark.django_db
def test_the_export_is_audited(associate: User) -> None:
    personal_data_export(person=associate)

    entry = AuditEntry.objects.latest("sequence")
    assert (entry.action, entry.actor_id) == ("privacy.export", associate.pk)


@pytest.mark.django_db
def test_erasure_anonymises_the_account_and_removes_what_leads_to_the_person(
    associate: User,
) -> None:
    pk = associate.pk

    personal_data_erase(person=associate, by=associate)

    erased = User.objects.get(pk=pk)
    assert erased.email == f"erased-{pk}@erased.invalid"
    assert erased.full_name == ""
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user_id=pk).exists()
    assert not RoleGrant.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(person_id=pk).exists()
    assert not ApiToken.objects.filter(user_id=pk).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()


@pytest.mark.django_db
def test_an_erased_person_can_no_longer_sign_in(associate: User) -> None:
    personal_data_erase(person=associate, by=associate)
    client = Client()

    client.post(
        reverse("account_login"),
        {"login": "associe@demo.guichet.test", "password": DEMO_PASSWORD},
    )

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_erasure_ends_every_session_of_the_person_and_only_theirs(
    associate: User, demo: dict[str, Any]
) -> None:
    phone, laptop, colleague = Client(), Client(), Client()
    phone.force_login(associate)
    laptop.force_login(associate)
    colleague.force_login(demo["member"])

    personal_data_erase(person=associate, by=associate)

    assert Session.objects.count() == 1
    assert phone.get(reverse("web:dashboard")).status_code == 302
    assert laptop.get(reverse("web:dashboard")).status_code == 302
    assert colleague.get(reverse("web:dashboard")).status_code == 200


@pytest.mark.django_db
def test_erasure_keeps_the_audit_log_whole_and_records_itself(associate: User) -> None:
    before = AuditEntry.objects.count()

    touched = personal_data_erase(person=associate, by=associate)

    assert AuditEntry.objects.count() == before + 1
    assert audit_verify() is None
    entry = AuditEntry.objects.latest("sequence")
    assert (entry.action, entry.actor_id, entry.data) == ("privacy.erase", associate.pk, touched)
    assert touched["network"] == 1
    assert "Fontaine" not in json.dumps([e.chained_fields() for e in AuditEntry.objects.all()])


@pytest.mark.django_db
def test_erasure_leaves_other_people_untouched(associate: User, demo: dict[str, Any]) -> None:
    others = {
        key: (person.email, person.role_grants.count(), person.memberships.count())
        for key, person in demo.items()
        if key != "associate"
    }

    personal_data_erase(person=associate, by=associate)

    for key, person in demo.items():
        if key != "associate":
            assert (
                person.email,
                person.role_grants.count(),
                person.memberships.count(),
            ) == others[key]


@pytest.mark.django_db
def test_erasure_is_all_or_nothing(associate: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_erase(person: Any) -> int:
        raise RuntimeError("disk full")

    # The account goes last: by then the memberships are already deleted, and must come back.
    accounts = personal_data_registry._registry["accounts"]
    monkeypatch.setitem(
        personal_data_registry._registry, "accounts", replace(accounts, erase=failing_erase)
    )

    with pytest.raises(RuntimeError):
        personal_data_erase(person=associate, by=associate)

    assert Membership.objects.filter(person=associate).exists()
    assert AuditEntry.objects.filter(action="privacy.erase").count() == 0
