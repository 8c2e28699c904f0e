"""The JSON API at /api/v1/: its description, its authentication, the personal endpoints."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import ApiToken, Role
from guichet.accounts.services import api_token_create, api_token_revoke
from guichet.accounts.tests.factories import CollegeFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def person() -> Any:
    grant = RoleGrantFactory.create(role=Role.ASSOCIATE, college=CollegeFactory.create())
    RoleGrantFactory.create(user=grant.user, role=Role.MEMBER)
    return grant.user


@pytest.fixture
def secret(person: Any) -> str:
    return api_token_create(user=person, name="Script")[1]


def test_the_openapi_description_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Guichet API"
    assert {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["PersonalToken"]["scheme"] == "bearer"


def test_the_docs_page_loads_nothing_from_another_site(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    addresses += re.findall(r'"url":\s*"([^"]*)"', html)  # what Swagger UI fetches
    for address in addresses:
        if address.startswith("data:"):
            continue
        assert address.startswith(("/", "#")), address
        assert not address.startswith("//"), address
    assets = [a.removeprefix("/static/") for a in addresses if a.startswith("/static/")]
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is referenced but not served"


def test_who_am_i_answers_with_the_person_and_their_roles(
    client: Client, person: Any, secret: str
) -> None:
    response = client.get("/api/v1/me", headers=bearer(secret))

    assert response.status_code == 200
    assert response.json() == {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "is_staff": False,
        "roles": ["associate", "member"],
    }


def test_a_token_is_marked_as_used(client: Client, person: Any, secret: str) -> None:
    client.get("/api/v1/me", headers=bearer(secret))

    assert ApiToken.objects.get(user=person).last_used_at is not None


def test_the_browser_session_also_opens_the_api(client: Client, person: Any) -> None:
    client.force_login(person)

    assert client.get("/api/v1/me").json()["id"] == person.pk


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer gch_made-up"},
        {"Authorization": "Token gch_made-up"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["nothing", "empty", "made-up", "wrong-scheme", "basic"],
)
def test_without_a_valid_token_the_api_answers_401(client: Client, headers: dict[str, str]) -> None:
    response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401


def test_a_revoked_token_no_longer_opens_the_api(client: Client, person: Any) -> None:
    token, secret = api_token_create(user=person, name="Script")
    api_token_revoke(token=token, by=person)

    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_an_expired_token_no_longer_opens_the_api(client: Client, person: Any) -> None:
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False) as traveller:
        _, secret = api_token_create(user=person, name="Script", days=2)
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200

        traveller.shift(timedelta(days=2, seconds=1))

        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_the_token_list_shows_only_one_s_own_tokens_and_never_a_secret(
    client: Client, person: Any, secret: str
) -> None:
    api_token_create(user=UserFactory.create(), name="Someone else's")

    response = client.get("/api/v1/tokens", headers=bearer(secret))

    assert response.status_code == 200
    assert [t["name"] for t in response.json()] == ["Script"]
    assert secret not in response.content.decode()
    assert "key_hash" not in response.json()[0]


def test_one_s_own_token_can_be_revoked_through_the_api(
    client: Client, person: Any, secret: str
) -> None:
    other, other_secret = api_token_create(user=person, name="Old script")

    response = client.delete(
        reverse("api-1:token_revoke", kwargs={"token_id": other.pk}), headers=bearer(secret)
    )

    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=bearer(other_secret)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_someone_else_s_token_cannot_be_revoked_through_the_api(
    client: Client, secret: str
) -> None:
    token, their_secret = api_token_create(user=UserFactory.create(), name="Theirs")

    response = client.delete(
        reverse("api-1:token_revoke", kwargs={"token_id": token.pk}), headers=bearer(secret)
    )

    assert response.status_code == 404
    assert client.get("/api/v1/me", headers=bearer(their_secret)).status_code == 200


def test_a_signed_in_browser_cannot_be_made_to_revoke_a_token_from_another_site(
    person: Any,
) -> None:
    token, secret = api_token_create(user=person, name="Script")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)

    response = browser.delete(reverse("api-1:token_revoke", kwargs={"token_id": token.pk}))

    assert response.status_code == 403
    assert browser.get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_the_api_answers_in_the_language_asked_for_and_in_french_by_default(client):
    english = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    french = client.get("/api/v1/me")
    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"
