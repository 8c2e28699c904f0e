"""Screenshots of a few pages, for a person to look at: run with GUICHET_SCREENSHOTS=<folder>.

    GUICHET_SCREENSHOTS=/tmp/shots .venv/bin/pytest tests/browser/test_screenshots.py

Skipped otherwise: a screenshot proves nothing by itself, the other tests do the checking.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse, translate_url
from django.utils import translation

from guichet.core.registries.pages import ANONYMOUS, registry

from .conftest import ContextFactory

FOLDER = os.environ.get("GUICHET_SCREENSHOTS", "")

# (file name, page key, viewer, language, colour scheme, full page)
SHOTS = [
    ("home-fr-light", "home", ANONYMOUS, "fr", "light", True),
    ("home-fr-dark", "home", ANONYMOUS, "fr", "dark", True),
    ("home-en-mobile", "home", ANONYMOUS, "en", "light", False),
    ("login-fr", "login", ANONYMOUS, "fr", "light", True),
    ("login-fr-dark", "login", ANONYMOUS, "fr", "dark", True),
    ("dashboard-member-fr", "dashboard", "member", "fr", "light", True),
    ("dashboard-member-en-dark", "dashboard", "member", "en", "dark", True),
    ("email-member-fr", "email", "member", "fr", "light", True),
    ("mfa-index-fr", "mfa-index", "member_mfa", "fr", "light", True),
    ("totp-activate-fr", "totp-activate", "member", "fr", "light", True),
    ("totp-activate-fr-dark", "totp-activate", "member", "fr", "dark", False),
    ("recovery-codes-fr", "recovery-codes", "member_mfa", "fr", "light", True),
    ("tokens-fr", "api-tokens", "member", "fr", "light", True),
    ("signup-en", "signup", ANONYMOUS, "en", "light", True),
    ("directory-fr", "directory", ANONYMOUS, "fr", "light", True),
    ("api-docs", "api-docs", ANONYMOUS, "fr", "light", True),
    ("api-docs-dark", "api-docs", ANONYMOUS, "fr", "dark", False),
    ("admin-fr", "admin", "staff", "fr", "light", False),
    ("follow-shortlisted-fr", "request-follow-shortlisted", ANONYMOUS, "fr", "light", True),
    ("request-invite-en", "request-invite", ANONYMOUS, "en", "light", True),
    ("invitation-fr", "invitation", ANONYMOUS, "fr", "light", True),
    ("invitation-en-dark", "invitation", ANONYMOUS, "en", "dark", True),
    ("ranking-en", "coordination-lot-ranking", "coordinator", "en", "light", True),
    ("consortium-coordination-en", "coordination-consortium", "coordinator", "en", "light", True),
    ("consortium-member-fr", "member-consortium", "member", "fr", "light", True),
]


@pytest.mark.browser
@pytest.mark.skipif(not FOLDER, reason="Set GUICHET_SCREENSHOTS=<folder> to take screenshots.")
@pytest.mark.parametrize(("name", "key", "viewer", "lang", "scheme", "full"), SHOTS)
def test_screenshot(
    name: str,
    key: str,
    viewer: str,
    lang: str,
    scheme: str,
    full: bool,
    new_context: ContextFactory,
) -> None:
    page = registry.pages[key]
    with translation.override("fr"):
        path = translate_url(page.path(), lang)
    context: Any = new_context(viewer, lang, color_scheme=scheme)
    tab = context.new_page()
    if name.endswith("mobile"):
        tab.set_viewport_size({"width": 375, "height": 740})
    if page.prepare:
        page.prepare(tab)
    tab.goto(path)
    tab.wait_for_load_state("networkidle")
    Path(FOLDER).mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(Path(FOLDER) / f"{name}.png"), full_page=full)


@pytest.mark.browser
@pytest.mark.skipif(not FOLDER, reason="Set GUICHET_SCREENSHOTS=<folder> to take screenshots.")
def test_screenshot_of_errors(new_context: ContextFactory) -> None:
    """The login form after a wrong password, and the focus ring of the skip link."""
    tab = new_context().new_page()
    tab.goto(reverse("account_login"))
    tab.fill("input[name=login]", "nobody@demo.guichet.test")
    tab.fill("input[name=password]", "wrong password")
    with tab.expect_navigation():
        tab.press("input[name=password]", "Enter")
    tab.screenshot(path=str(Path(FOLDER) / "login-error-fr.png"), full_page=True)
    tab.keyboard.press("Tab")
    tab.screenshot(path=str(Path(FOLDER) / "skip-link-focus.png"))
