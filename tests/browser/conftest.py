"""The browser suite: Debian's Chromium driven by Playwright, against a live Django server.

Chromium comes from the system (`sudo apt-get install chromium`), never downloaded. When it is
missing, the browser tests are skipped with that command as the reason; with
GUICHET_REQUIRE_BROWSER=1 (CI), they fail instead.

One live server and one browser serve the whole package: the demo data is loaded once and
committed, and the database is put back as it was when the package ends (a transactional
database per test would flush and reload it for every page). Tests sign in by a session
cookie made for the demo person; the page tests reuse one tab per viewer, language and
JavaScript setting (see Tabs).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from tests.databases import is_test_database

from .figures import pytest_runtest_logreport, pytest_terminal_summary

__all__ = ["pytest_runtest_logreport", "pytest_terminal_summary"]

ENABLE_COMMAND = "sudo apt-get install chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
LANGUAGES = ("fr", "en")


def find_chromium() -> str | None:
    """Debian's Chromium: `chromium` on the PATH, then /usr/bin/chromium."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return None


def browser_required() -> bool:
    return os.environ.get("GUICHET_REQUIRE_BROWSER", "").strip() in {"1", "true", "yes"}


def missing_browser_message() -> str:
    return f"Chromium is not installed: run `{ENABLE_COMMAND}` to enable the browser tests."


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    # With `pytest -n N --dist loadgroup`, one worker runs them all: one server, one browser.
    if config.pluginmanager.hasplugin("xdist"):
        for item in browser_tests:
            item.add_marker(pytest.mark.xdist_group("browser"))
    if find_chromium() or browser_required():
        return
    skip = pytest.mark.skip(reason=missing_browser_message())
    for item in browser_tests:
        item.add_marker(skip)


# --- The live site -------------------------------------------------------------------------


@dataclass
class Site:
    """The live server and the demo people who sign in to it."""

    url: str
    emails: dict[str, str] = field(default_factory=dict)

    def user(self, viewer: str) -> Any:
        from guichet.accounts.models import User

        if viewer not in self.emails:
            raise KeyError(
                f"No demo login {viewer!r}: viewers are the keys of the demo data "
                f"({', '.join(sorted(self.emails))}) or 'anonymous'."
            )
        return User.objects.get(email=self.emails[viewer])


def create_mfa_demo_person() -> str:
    """The suite's demo person with an authenticator app and recovery codes (idempotent)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from guichet.accounts.models import Role, User
    from guichet.accounts.pages import MFA_EMAIL, MFA_FULL_NAME
    from guichet.accounts.services import role_grant
    from guichet.core.demo_data import DEMO_PASSWORD

    user = User.objects.filter(email=MFA_EMAIL).first()
    if user is None:
        user = User.objects.create_user(MFA_EMAIL, DEMO_PASSWORD, full_name=MFA_FULL_NAME)
        role_grant(user=user, role=Role.MEMBER)
    EmailAddress.objects.update_or_create(
        user=user, email=MFA_EMAIL, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return MFA_EMAIL


@pytest.fixture(scope="package")
def site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Site]:
    """A live server on the test database, with the demo data, for the whole package.

    The data is committed (the server runs in another thread), so the database is put back as
    it was when the package ends: tests that run afterwards find what they expect.
    """
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from pytest_django.live_server_helper import LiveServer

    from guichet.accounts.pages import MFA_VIEWER
    from guichet.core.demo_data import load_all

    with django_db_blocker.unblock():
        # The root django_db_setup has made sure of the test database (tests/databases.py).
        assert is_test_database(DEFAULT_DB_ALIAS), "Refusing to run on a non-test database."
        connection = connections[DEFAULT_DB_ALIAS]
        before = connection.creation.serialize_db_to_string()
        emails = {login.key: login.email for login in load_all()}
        emails[MFA_VIEWER] = create_mfa_demo_person()
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1"))
        server._live_server_modified_settings.enable()
        try:
            yield Site(url=server.url, emails=emails)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            if is_test_database(DEFAULT_DB_ALIAS):
                call_command(
                    "flush",
                    verbosity=0,
                    interactive=False,
                    database=DEFAULT_DB_ALIAS,
                    inhibit_post_migrate=True,
                )
                connection.creation.deserialize_db_from_string(before)


# --- The browser ---------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(site: Site) -> Iterator[Any]:
    """Chromium, launched once for the package."""
    executable = find_chromium()
    if executable is None:
        if browser_required():
            pytest.fail(f"GUICHET_REQUIRE_BROWSER is set, but {missing_browser_message()}")
        pytest.skip(missing_browser_message())
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which Django takes
    # for an async context; the tests are plain sync code, so allow the ORM while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        # While Playwright's loop runs, Django keeps its connections apart from the ones it
        # had before (asgiref's context-local storage): close them before the loop stops.
        from django.db import connections

        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def session_cookie(site: Site, viewer: str) -> dict[str, Any]:
    """A signed-in session for `viewer`, as allauth leaves it after a password sign-in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = site.user(viewer)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # A password just confirmed again, so that the pages asking for it show themselves.
    store["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    store["account_authentication_methods_user"] = str(user.pk)
    store.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": store.session_key,
        "url": site.url,
        "httpOnly": True,
        "sameSite": "Lax",
    }


def without_cache(tab: Any) -> Any:
    """Measure every visit as a first one, with no HTTP cache (not even a revalidation, which
    would answer 304 without a body): in Playwright, routing requests disables the cache."""
    tab.route("**/*", lambda route: route.continue_())
    return tab


ContextFactory = Callable[..., Any]


@pytest.fixture
def new_context(browser: Any, site: Site) -> Iterator[ContextFactory]:
    """`new_context(viewer, lang, javascript=True, color_scheme="light")`: a fresh context,
    signed in as `viewer` (a demo login key) unless anonymous. Closed after the test."""
    from guichet.core.registries.pages import ANONYMOUS

    opened: list[Any] = []

    def open_context(
        viewer: str = ANONYMOUS,
        lang: str = "fr",
        javascript: bool = True,
        color_scheme: str = "light",
    ) -> Any:
        context = browser.new_context(
            base_url=site.url,
            locale=lang,
            java_script_enabled=javascript,
            color_scheme=color_scheme,
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(10_000)
        opened.append(context)
        if viewer != ANONYMOUS:
            context.add_cookies([session_cookie(site, viewer)])
        return context

    yield open_context
    for context in opened:
        context.close()


class Tabs:
    """One long-lived tab per (viewer, language, JavaScript on or off), reused across tests:
    opening a tab costs more than loading a page. Anonymous tabs lose their cookies before
    each use; signed-in ones keep only their session."""

    def __init__(self, browser: Any, site: Site) -> None:
        self.browser = browser
        self.site = site
        self.contexts: dict[tuple[str, str, bool], Any] = {}

    def get(self, viewer: str, lang: str, javascript: bool) -> Any:
        from guichet.core.registries.pages import ANONYMOUS

        key = (viewer, lang, javascript)
        if key not in self.contexts:
            context = self.browser.new_context(
                base_url=self.site.url,
                locale=lang,
                java_script_enabled=javascript,
                viewport={"width": 1280, "height": 800},
            )
            context.set_default_timeout(10_000)
            without_cache(context.new_page())
            self.contexts[key] = context
        context = self.contexts[key]
        context.clear_cookies()
        if viewer != ANONYMOUS:
            context.add_cookies([session_cookie(self.site, viewer)])
        tab = context.pages[0]
        tab.emulate_media(color_scheme="light")
        return tab

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="package")
def tabs(browser: Any, site: Site) -> Iterator[Tabs]:
    reused = Tabs(browser, site)
    yield reused
    reused.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")
