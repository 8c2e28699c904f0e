"""A new version of the charter asks every member to sign again, from its organisation's space."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ORG_X
from guichet.core.models import AuditEntry
from guichet.network.models import Charter, CharterSignature, Organisation
from guichet.network.services.charter import charter_draft, charter_publish

VALUES = [("Sobriété", "Sufficiency", "Nous visons la sobriété.", "We aim for sufficiency.")]


@pytest.fixture
def new_version(demo: dict[str, Any]) -> Charter:
    return charter_publish(charter=charter_draft(values=VALUES))


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_member_s_manager_sees_the_new_version_unsigned_and_signs_it(
    demo: dict[str, Any], new_version: Charter
) -> None:
    client = as_person(demo["member"])
    space = reverse("network:organisation_space", args=[ORG_X])
    sign = reverse("network:organisation_charter_sign", args=[ORG_X])

    before = client.get(space)
    signed = client.post(sign)
    after = client.get(space)

    assert before.context["can_sign"]
    assert not before.context["signed_current"]
    assert f'action="{sign}"' in before.content.decode()
    assert signed.status_code == 302
    assert signed["Location"] == space
    signature = CharterSignature.objects.get(charter=new_version, organisation__slug=ORG_X)
    assert signature.signed_by == demo["member"]
    assert AuditEntry.objects.filter(
        action="charter.sign", actor_id=demo["member"].pk, object_id=str(signature.organisation_id)
    ).exists()
    assert after.context["signed_current"]
    assert f'action="{sign}"' not in after.content.decode()


def test_signing_twice_keeps_one_signature(demo: dict[str, Any], new_version: Charter) -> None:
    client = as_person(demo["member"])
    sign = reverse("network:organisation_charter_sign", args=[ORG_X])

    client.post(sign)
    client.post(sign)

    assert CharterSignature.objects.filter(charter=new_version, organisation__slug=ORG_X).count()


@pytest.mark.parametrize(
    ("key", "status"),
    [("associate", 403), ("coordinator", 403), ("member_other", 404), ("client", 404)],
)
def test_only_a_manager_of_the_organisation_signs_for_it(
    demo: dict[str, Any], new_version: Charter, key: str, status: int
) -> None:
    response = as_person(demo[key]).post(reverse("network:organisation_charter_sign", args=[ORG_X]))

    assert response.status_code == status
    assert not CharterSignature.objects.filter(
        charter=new_version, organisation__slug=ORG_X
    ).exists()


def test_a_member_that_signed_the_current_version_is_not_asked_again(
    demo: dict[str, Any],
) -> None:
    response = as_person(demo["member"]).get(reverse("network:organisation_space", args=[ORG_X]))

    assert response.context["signed_current"]
    assert not response.context["can_sign"]


def test_a_client_organisation_is_not_asked_to_sign(demo: dict[str, Any]) -> None:
    client_org = Organisation.objects.get(slug="ville-de-saint-aubin")

    response = as_person(demo["client"]).get(
        reverse("network:organisation_space", args=[client_org.slug])
    )

    assert not response.context["can_sign"]
    assert 'id="charter-title"' not in response.content.decode()
