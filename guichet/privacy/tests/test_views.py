"""Self-service personal data pages: download, erase."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guichet.accounts.models import User
from guichet.accounts.tests.factories import UserFactory
from guichet.core.demo_data import DEMO_PASSWORD
from guichet.core.models import AuditEntry
from guichet.network.models import Membership


def in_french(message: str) -> str:
    with translation.override("fr"):
        translated = gettext(message)
    assert translated != message, f"no French translation for {message!r}"
    return translated


def test_the_export_is_a_json_download_of_the_person_s_own_data(
    demo: dict[str, Any], client_as: Any
) -> None:
    response = client_as(demo["member"]).get(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["accounts"]["email"] == "membre@demo.guichet.test"
    assert data["network"]["memberships"][0]["organisation"] == "Libre et Local"
    assert AuditEntry.objects.latest("sequence").action == "privacy.export"


def test_the_my_data_page_names_every_kind_of_data_held(
    demo: dict[str, Any], client_as: Any
) -> None:
    response = client_as(demo["member"]).get(reverse("privacy:my_data"))

    assert response.status_code == 200
    assert {"accounts", "network", "core"} <= set(response.context["apps"])


def erase(client: Any, **data: str) -> Any:
    return client.post(reverse("privacy:erase"), data)


def test_erasing_with_the_password_and_the_confirmation_erases_and_signs_out(
    demo: dict[str, Any], client_as: Any
) -> None:
    person = demo["associate"]
    client = client_as(person)

    response = erase(client, password=DEMO_PASSWORD, confirm="on")

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert (person.email, person.is_active) == (f"erased-{person.pk}@erased.invalid", False)
    assert not Membership.objects.filter(person=person).exists()
    home = client.get(response["Location"])
    farewell = in_french("Your account has been erased. Goodbye, and thank you.")
    assert farewell in home.content.decode()


def test_a_wrong_password_erases_nothing_and_says_so_in_french(
    demo: dict[str, Any], client_as: Any
) -> None:
    person = demo["associate"]
    client = client_as(person)

    response = erase(client, password="not my password", confirm="on")

    assert response.status_code == 400
    message = in_french("This password is not the right one.")
    assert response.context["form"].errors["password"] == [message]
    assert message in response.content.decode()
    assert User.objects.get(pk=person.pk).email == "associe@demo.guichet.test"
    assert Membership.objects.filter(person=person).exists()
    assert "_auth_user_id" in client.session


def test_erasing_without_ticking_the_confirmation_erases_nothing(
    demo: dict[str, Any], client_as: Any
) -> None:
    person = demo["associate"]

    response = erase(client_as(person), password=DEMO_PASSWORD)

    assert response.status_code == 400
    assert response.context["form"].errors["confirm"] == ["Ce champ est obligatoire."]
    assert User.objects.get(pk=person.pk).is_active


@pytest.mark.django_db
def test_the_erase_page_asks_before_it_acts(client_as: Any) -> None:
    person = UserFactory.create()

    response = client_as(person).get(reverse("privacy:erase"))

    assert response.status_code == 200
    assert User.objects.get(pk=person.pk).is_active
