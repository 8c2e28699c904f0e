"""The sign-in pages (drawn by allauth) say things the way the rest of the site does."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def page(client: Client, url_name: str, lang: str) -> tuple[str, str, str]:
    """The page's title, its main content as text, and the header's as text."""
    with translation.override(lang):
        url = reverse(url_name)
    html = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None

    def text(part: str) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())

    main = html[html.index("<main") : html.index("</main>")]
    header = html[html.index("<header") : html.index("</header>")]
    return text(title.group(1)), text(main), text(header)


def test_signing_in_says_sign_in_as_the_menu_does(client: Client) -> None:
    title, main, header = page(client, "account_login", "en")

    assert "Sign in" in header
    assert title.startswith("Sign in —")
    assert main.startswith("Sign in ")  # the heading
    assert main.endswith("Sign in")  # the button
    assert "Remember me" in main
    assert "Sign In" not in main + title
    assert "Remember Me" not in main


def test_creating_an_account_says_create_an_account_as_the_menu_does(client: Client) -> None:
    title, main, header = page(client, "account_signup", "en")

    assert "Create an account" in header
    assert title.startswith("Create an account —")
    assert main.startswith("Create an account ")
    assert main.endswith("Create an account")
    assert "Sign Up" not in main
    assert "Signup" not in title


def test_the_forgotten_password_pages_speak_in_sentence_case(client: Client) -> None:
    title, main, _ = page(client, "account_reset_password", "en")

    assert title.startswith("Password reset —")
    assert "Reset my password" in main
    assert "Password Reset" not in title + main
    assert "Reset My Password" not in main


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [("account_login", "Se connecter"), ("account_signup", "Créer un compte")],
)
def test_in_french_the_pages_use_the_menu_s_words(
    client: Client, url_name: str, heading: str
) -> None:
    title, main, header = page(client, url_name, "fr")

    assert heading in header
    assert title.startswith(f"{heading} —")
    assert main.startswith(f"{heading} ")
    assert main.endswith(heading)
    assert "Connexion" not in title + main
    assert "Inscription" not in title


def test_in_french_the_forgotten_password_page_says_courriel_as_the_site_does(
    client: Client,
) -> None:
    _, main, _ = page(client, "account_reset_password", "fr")

    assert "adresse électronique" in main
    assert "e-mail" not in main
