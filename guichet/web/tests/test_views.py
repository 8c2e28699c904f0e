"""The site's own pages: languages, my space, error pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from guichet.web import views

pytestmark = pytest.mark.django_db


def in_french(message: str) -> str:
    with translation.override("fr"):
        translated = gettext(message)
    assert translated != message, f"no French translation for {message!r}"
    return translated


def test_the_home_page_speaks_french_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_the_home_page_speaks_english_under_en(client: Client) -> None:
    response = client.get("/en/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_english_pages_link_to_english_pages(client: Client) -> None:
    response = client.get("/en/")

    assert 'href="/en/mentions-legales/"' in response.content.decode()


def test_an_address_without_a_language_prefix_is_french_whatever_the_browser_asks(
    client: Client,
) -> None:
    # The address alone decides the language, so that a shared or cached link shows the
    # same page to everyone; the language switch leads to the /en/ address.
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert '<html lang="fr">' in response.content.decode()


def test_the_language_switch_leads_to_the_same_page_in_english(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:legal")}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/mentions-legales/"


def test_the_language_switch_leads_back_to_french(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/en/mentions-legales/"}
    )

    assert response["Location"] == "/mentions-legales/"


def test_the_language_switch_never_sends_to_another_site(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert "evil.example" not in response.get("Location", "")


def test_my_space_shows_my_roles_and_organisations(demo: dict[str, Any], client_as: Any) -> None:
    response = client_as(demo["associate"]).get(reverse("web:dashboard"))

    assert response.status_code == 200
    assert sorted(g.role for g in response.context["grants"]) == ["associate", "member"]
    assert [m.organisation.slug for m in response.context["memberships"]] == ["libre-et-local"]
    assert response.context["mfa_enabled"] is False


def test_a_missing_page_is_a_french_404_in_the_site_s_layout(client: Client) -> None:
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert in_french("Page not found") in response.content.decode()
    assert "web/base.html" in [t.name for t in response.templates]


def test_a_missing_english_page_is_an_english_404(client: Client) -> None:
    response = client.get("/en/nowhere/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_server_error_page_shows_no_detail_of_the_error() -> None:
    request = RequestFactory().get("/")
    with translation.override("fr"):
        response = views.server_error(request)

    assert response.status_code == 500
    assert escape(in_french("Something went wrong")) in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_expired_form_is_explained_in_french(demo: dict[str, Any]) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo["member"])

    response = browser.post(reverse("accounts:tokens"), {"name": "Sync", "days": "30"})

    assert response.status_code == 403
    assert in_french("Form expired") in response.content.decode()
