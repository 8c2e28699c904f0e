"""Account pages: API tokens, sign-up and email verification, sign-in, two-factor."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.hashers import check_password, identify_hasher
from django.core import mail
from django.tasks.signals import task_enqueued
from django.test import Client, override_settings
from django.urls import reverse

from config.settings import base as base_settings
from config.settings import test as test_settings
from guichet.accounts.models import ApiToken, User
from guichet.accounts.services import api_token_authenticate, api_token_create
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def last_sequence() -> int:
    """The audit log already holds the demo's records: a test looks only at what follows."""
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def actions(since: int) -> list[str]:
    """The actions recorded after record `since`, in order."""
    entries = AuditEntry.objects.filter(sequence__gt=since).order_by("sequence")
    return list(entries.values_list("action", flat=True))


# API tokens ------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_on_the_page_that_creates_it(client_as: Any) -> None:
    person = UserFactory.create()
    client = client_as(person)

    created = client.post(reverse("accounts:tokens"), {"name": "Sync", "days": "30"})

    token = ApiToken.objects.get(user=person)
    shown = re.search(r'value="(gch_[^"]+)"', created.content.decode())
    assert shown is not None
    secret = shown[1]
    assert created.status_code == 200
    assert api_token_authenticate(secret) == token
    listed = client.get(reverse("accounts:tokens"))
    assert secret not in listed.content.decode()
    assert token.prefix in listed.content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Assurez-vous que cette valeur est supérieure ou égale à 1."),
        ("366", "Assurez-vous que cette valeur est inférieure ou égale à 365."),
        ("deux", "Saisissez un nombre entier."),
    ],
)
def test_a_token_lifetime_outside_one_to_365_days_is_refused_in_french(
    client_as: Any, days: str, message: str
) -> None:
    client = client_as(UserFactory.create())

    response = client.post(reverse("accounts:tokens"), {"name": "Sync", "days": days})

    assert response.status_code == 400
    assert response.context["form"].errors["days"] == [message]
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client_as: Any) -> None:
    client = client_as(UserFactory.create())

    response = client.post(reverse("accounts:tokens"), {"name": "   ", "days": "30"})

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_creating_a_token_records_the_address_it_was_asked_from(client_as: Any) -> None:
    client = client_as(UserFactory.create())

    client.post(
        reverse("accounts:tokens"), {"name": "Sync", "days": "30"}, REMOTE_ADDR="203.0.113.42"
    )

    assert AuditEntry.objects.get(action="api_token.create").ip_address == "203.0.113.42"


def test_a_revoked_token_no_longer_opens_the_api(client_as: Any) -> None:
    person = UserFactory.create()
    token, secret = api_token_create(user=person, name="Sync")
    client = client_as(person)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:tokens")
    assert api_token_authenticate(secret) is None
    me = Client().get(reverse("api-1:me"), headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401


def test_someone_else_s_token_cannot_be_revoked(client_as: Any) -> None:
    token, secret = api_token_create(user=UserFactory.create(), name="Not yours")
    client = client_as(UserFactory.create())

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert api_token_authenticate(secret) == token


def test_a_token_is_not_revoked_by_a_simple_link(client_as: Any) -> None:
    person = UserFactory.create()
    token, secret = api_token_create(user=person, name="Sync")

    response = client_as(person).get(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 405
    assert api_token_authenticate(secret) == token


# Sign-up and email verification --------------------------------------------------------


def test_signing_up_sends_a_link_that_verifies_the_address(client: Client) -> None:
    enqueued: list[str] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        enqueued.append(task_result.task.module_path)

    since = last_sequence()
    task_enqueued.connect(record)
    try:
        response = client.post(
            reverse("account_signup"),
            {"email": "Nouvelle@Exemple.test", "password1": PASSWORD, "password2": PASSWORD},
        )
    finally:
        task_enqueued.disconnect(record)

    assert response.status_code == 302
    # The message leaves through the task worker, so a slow mail server never slows the page.
    assert enqueued == ["guichet.core.tasks.send_email"]
    person = User.objects.get(email="nouvelle@exemple.test")
    assert not EmailAddress.objects.get(user=person).verified
    assert signed_in_as(client) is None
    [message] = mail.outbox
    assert message.to == ["nouvelle@exemple.test"]
    assert message.subject.startswith("[Guichet] ")
    assert "Guichet" in message.body
    found = re.search(r"https?://testserver(/\S+)", str(message.body))
    assert found is not None
    link = found[1]

    assert client.get(link).status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("web:dashboard")
    assert EmailAddress.objects.get(user=person).verified
    assert signed_in_as(client) == person.pk
    assert actions(since) == ["account.signup", "account.email_confirmed", "account.login"]


def test_an_unverified_address_cannot_sign_in(client: Client) -> None:
    person = UserFactory.create(verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    sign_in(client, person.email)

    assert signed_in_as(client) is None
    assert len(mail.outbox) == 1
    assert "confirm-email" in mail.outbox[0].body


def test_a_confirmation_link_cannot_be_forged(client: Client) -> None:
    person = UserFactory.create(verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    client.post(reverse("account_confirm_email", args=["MQ:forged:signature"]))

    assert not EmailAddress.objects.get(user=person).verified


def test_account_pages_use_the_site_s_own_layout(client: Client) -> None:
    response = client.get(reverse("account_login"))

    assert "web/base.html" in [template.name for template in response.templates]
    assert '<html lang="fr">' in response.content.decode()


# Sign-in ---------------------------------------------------------------------------------


def test_signing_in_is_audited_with_the_address_it_came_from(client: Client) -> None:
    person = UserFactory.create()

    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.23",
    )

    assert response.status_code == 302
    assert signed_in_as(client) == person.pk
    entry = AuditEntry.objects.get(action="account.login")
    assert (entry.actor_id, entry.ip_address) == (person.pk, "198.51.100.23")


def test_a_failed_sign_in_is_audited_without_the_email_tried(client: Client) -> None:
    person = UserFactory.create()

    response = sign_in(client, person.email, "not the password")

    assert response.status_code == 200
    assert signed_in_as(client) is None
    entry = AuditEntry.objects.get(action="account.login_failed")
    assert entry.actor_id is None
    assert person.email not in str(entry.chained_fields())


def test_signing_out_is_audited(client: Client) -> None:
    person = UserFactory.create()
    since = last_sequence()
    sign_in(client, person.email)

    client.post(reverse("account_logout"))

    assert signed_in_as(client) is None
    assert actions(since) == ["account.login", "account.logout"]


def test_repeated_failed_sign_ins_end_up_refused_even_with_the_right_password(
    client: Client,
) -> None:
    person = UserFactory.create()
    for _ in range(5):
        sign_in(client, person.email, "not the password")

    response = sign_in(client, person.email)

    assert signed_in_as(client) is None
    assert "Trop de tentatives de connexion échouées" in response.content.decode()


def test_the_sign_in_limit_is_per_account_so_others_can_still_sign_in(client: Client) -> None:
    target, other = UserFactory.create(), UserFactory.create()
    for _ in range(5):
        sign_in(client, target.email, "not the password")

    sign_in(client, other.email)

    assert signed_in_as(client) == other.pk


def test_the_sign_in_limit_is_lifted_after_a_while(client: Client) -> None:
    person = UserFactory.create()
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False) as traveller:
        for _ in range(5):
            sign_in(client, person.email, "not the password")
        traveller.shift(timedelta(minutes=6))

        sign_in(client, person.email)

        assert signed_in_as(client) == person.pk


# Passwords ---------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_outside_the_test_suite() -> None:
    assert base_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    # The suite only prepends a fast hasher; it does not change what production uses.
    assert test_settings.PASSWORD_HASHERS[1:] == base_settings.PASSWORD_HASHERS

    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        person = UserFactory.build()
        person.set_password(PASSWORD)

        assert identify_hasher(person.password).algorithm == "argon2"
        assert check_password(PASSWORD, person.password)


@pytest.mark.parametrize("password", ["court", "password1234", "12345678901234"])
def test_a_weak_password_is_refused_at_sign_up(client: Client, password: str) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "nouvelle@exemple.test", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="nouvelle@exemple.test").exists()


# Two-factor authentication ---------------------------------------------------------------


def current_code(secret: str) -> str:
    period: int = mfa_settings.TOTP_PERIOD
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // period))
    return code


def activate_totp(client: Client, person: User, django_capture_on_commit_callbacks: Any) -> str:
    """The journey of a person turning on an authenticator app; returns the app's secret."""
    sign_in(client, person.email)
    asked = client.get(reverse("mfa_activate_totp"))
    # Turning on two-factor asks for the password again.
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret: str = client.session[SECRET_SESSION_KEY]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=person).exists()

    # The clock stands still while the code is made and checked: a 30-second period that
    # ended between the two would refuse a right code (and make this test flaky).
    with (
        time_machine.travel(time.time(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert activated.status_code == 302
    client.post(reverse("account_logout"))
    return secret


def recovery_codes_of(person: User) -> list[str]:
    authenticator = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES)
    codes: list[str] = RecoveryCodes(authenticator).get_unused_codes()
    return codes


def test_turning_on_two_factor_is_audited_and_comes_with_recovery_codes(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory.create()

    activate_totp(client, person, django_capture_on_commit_callbacks)

    assert set(Authenticator.objects.filter(user=person).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert len(recovery_codes_of(person)) == 10
    added = AuditEntry.objects.filter(action="mfa.added")
    assert {(entry.actor_id, entry.data["type"]) for entry in added} == {
        (person.pk, "totp"),
        (person.pk, "recovery_codes"),
    }
    assert audit_verify() is None


def test_with_two_factor_on_the_password_alone_no_longer_signs_in(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory.create()
    secret = activate_totp(client, person, django_capture_on_commit_callbacks)

    response = sign_in(client, person.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None
    client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert signed_in_as(client) is None

    with time_machine.travel(time.time() + mfa_settings.TOTP_PERIOD, tick=False):
        client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert signed_in_as(client) == person.pk


def test_a_recovery_code_signs_in_once_only(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory.create()
    activate_totp(client, person, django_capture_on_commit_callbacks)
    code = recovery_codes_of(person)[0]

    sign_in(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_as(client) == person.pk
    assert code not in recovery_codes_of(person)
    client.post(reverse("account_logout"))

    sign_in(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert signed_in_as(client) is None
