"""Security settings and headers: what a browser is told, what production refuses to run without."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

import config.settings

BASE_DIR = Path(__file__).resolve().parent.parent


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/en/", "/comptes/login/", "/api/v1/docs", "/nulle-part/"],
    ids=["home", "home-en", "login", "api-docs", "not-found"],
)
def test_html_pages_carry_a_strict_content_security_policy(client: Client, path: str) -> None:
    response = client.get(path)

    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    for directive, sources in csp.items():
        assert "'unsafe-inline'" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
        assert "*" not in sources, directive
        assert all(s.startswith("'") or s == "data:" for s in sources), directive


@pytest.mark.django_db
def test_html_pages_cannot_be_framed_sniffed_or_leak_their_address(client: Client) -> None:
    response = client.get(reverse("web:home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(
    client: Client, demo: dict[str, Any], demo_password: str
) -> None:
    client.post(
        reverse("account_login"), {"login": demo["client"].email, "password": demo_password}
    )

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# Production settings -------------------------------------------------------------------

PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "guichet.example.org",
    "GUICHET_BASE_URL": "https://guichet.example.org",
}


def production_settings(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> dict[str, Any]:
    """The production settings, base included, evaluated afresh with this environment."""
    for name, value in {**PRODUCTION_ENV, **env}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    # Forget the base settings the suite runs with, so that they read this environment.
    monkeypatch.delitem(sys.modules, "config.settings.base")
    monkeypatch.setattr(config.settings, "base", config.settings.base)
    return runpy.run_module("config.settings.production")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        production_settings(monkeypatch, SECRET_KEY=None)


def test_production_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        production_settings(monkeypatch, SECRET_KEY="x" * 49)


def test_production_refuses_to_start_without_its_host_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        production_settings(monkeypatch, ALLOWED_HOSTS=None)


def settings_in_subprocess(
    module: str, expression: str, tmp_path: Path, **env: str | None
) -> subprocess.CompletedProcess[str]:
    """Import the settings `module` in a fresh interpreter with this environment (the
    machine's, without Django's, the database's or the site's own settings) and print
    `expression` evaluated on it."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "GUICHET_", "PYTEST"))
        and key not in {"HOST", "PORT", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update({"GUICHET_VAR_DIR": str(tmp_path), "PYTHONWARNINGS": "ignore"})
    clean.update({key: value for key, value in env.items() if value is not None})
    code = f"import {module} as settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_the_site_s_address(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "GUICHET_BASE_URL": None}

    result = settings_in_subprocess(
        "config.settings.production", "settings.GUICHET_BASE_URL", tmp_path, **env
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "GUICHET_BASE_URL" in result.stderr


def test_production_builds_emailed_links_on_the_address_it_is_given(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "GUICHET_BASE_URL": "https://guichet.example.org/"}

    result = settings_in_subprocess(
        "config.settings.production", "settings.GUICHET_BASE_URL", tmp_path, **env
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://guichet.example.org"


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", "8101", "http://127.0.0.1:8101"),
        ("localhost", "8124", "http://localhost:8124"),
        ("0.0.0.0", "8102", "http://127.0.0.1:8102"),  # noqa: S104 (an address, not bound to)
        (None, None, "http://127.0.0.1:8000"),
    ],
)
def test_the_demo_emails_links_to_the_port_it_serves_on(
    tmp_path: Path, host: str | None, port: str | None, expected: str
) -> None:
    """`make demo PORT=8101` passes HOST and PORT to the server and the task worker."""
    result = settings_in_subprocess(
        "config.settings.dev",
        "settings.GUICHET_BASE_URL",
        tmp_path,
        HOST=host,
        PORT=port,
        SECRET_KEY="development-only-" + "x" * 40,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_address_set_for_the_demo_wins_over_its_host_and_port(tmp_path: Path) -> None:
    result = settings_in_subprocess(
        "config.settings.dev",
        "settings.GUICHET_BASE_URL",
        tmp_path,
        HOST="127.0.0.1",
        PORT="8101",
        GUICHET_BASE_URL="https://demo.example.org",
        SECRET_KEY="development-only-" + "x" * 40,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://demo.example.org"


def test_production_speaks_only_https_and_says_so_for_a_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production = production_settings(monkeypatch)

    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["LANGUAGE_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["ALLOWED_HOSTS"] == ["guichet.example.org"]


def test_production_hashes_passwords_with_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    production = production_settings(monkeypatch)

    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_django_s_deployment_checklist_passes_with_production_settings(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "PYTEST"))
    }
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "GUICHET_VAR_DIR": str(tmp_path),
            "PYTHONWARNINGS": "ignore",
        }
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# The administration ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_administration_refuses_people_who_are_not_staff(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_the_administration_opens_for_staff(demo: dict[str, Any], client_as: Any) -> None:
    assert client_as(demo["staff"]).get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_administration_signs_in_through_the_site_s_sign_in_page(
    client: Client, demo: dict[str, Any], demo_password: str
) -> None:
    # Django's own admin login form would skip two-factor authentication.
    response = client.post(
        reverse("admin:login"),
        {"username": demo["staff"].email, "password": demo_password},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
