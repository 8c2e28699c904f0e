"""After a form is sent with mistakes, the page comes back with the focus on its error summary.

Keyboard and screen reader users then start from the list of what to correct, each item a
link to its field, wherever the form was on the page (the mission page's forms sit low, in
folded sections). Checked on forms drawn by three different templates: a mission's details,
the request form, and allauth's sign-in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.core.registries.pages import registry

from .conftest import ContextFactory, Site
from .test_guichet_journey import field, fr

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const focused = document.activeElement;
    const summary = document.querySelector("[data-error-summary]");
    return {
        isSummary: summary !== null && focused === summary,
        focused: focused ? focused.outerHTML.slice(0, 120) : null,
        firstAlert: document.querySelector("[role=alert]") === summary,
    };
}"""


def assert_focus_on_the_summary(page: Any) -> None:
    seen = page.evaluate(FOCUSED)
    assert seen["isSummary"], f"the focus is on {seen['focused']}, not on the error summary"
    assert seen["firstAlert"], "the error summary is not the page's first alert"
    assert page.title().startswith(fr("Error:"))


def test_a_mission_s_details_sent_with_mistakes(site: Site, new_context: ContextFactory) -> None:
    page = new_context("coordinator").new_page()
    with translation.override("fr"):
        page.goto(registry.pages["mission-running"].path())
    page.get_by_text(fr("Change the mission's details")).click()
    edit = page.locator("#edit form")
    field(edit, fr("Title")).fill("   ")  # the browser lets blanks through; the site does not

    with page.expect_navigation():
        edit.get_by_role("button", name=fr("Save")).click()

    assert_focus_on_the_summary(page)
    assert page.locator("[data-error-summary] a").first.get_attribute("href") == "#mission_title"


def test_a_request_sent_empty(site: Site, new_context: ContextFactory) -> None:
    page = new_context().new_page()
    page.goto(reverse("needs:request_new"))

    with page.expect_navigation():
        page.get_by_role("main").locator("button[type=submit]").last.click()

    assert_focus_on_the_summary(page)


def test_a_sign_in_with_a_wrong_password(site: Site, new_context: ContextFactory) -> None:
    page = new_context().new_page()
    page.goto(reverse("account_login"))
    main = page.get_by_role("main")
    main.locator("input[name=login]").fill(site.emails["member"])
    main.locator("input[name=password]").fill("not the password")

    with page.expect_navigation():
        main.locator("button[type=submit]").click()

    assert_focus_on_the_summary(page)
