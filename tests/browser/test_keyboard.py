"""A keyboard-only journey: skip link, sign in, My space, switch to English.

After the first page load, the test touches the page only through `page.keyboard` (Tab,
Shift+Tab, Enter, typing), as a person without a mouse would.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from guichet.core.demo_data import DEMO_PASSWORD

from .conftest import ContextFactory, Site

MAX_TABS = 40

FOCUSED = """() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") || "",
    href: el.getAttribute("href") || "",
    type: el.getAttribute("type") || "",
    value: el.getAttribute("value") || "",
    classes: el.className || "",
    inHeader: !!el.closest("header"),
    text: (el.innerText || "").trim(),
  };
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def press_until(page: Any, wanted: Any, key: str = "Tab", what: str = "") -> dict[str, Any]:
    """Press `key` until the focused element matches `wanted`; fail after MAX_TABS presses."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if wanted(element):
            return element
        seen.append(f"{element['tag']}:{element['text'] or element['name'] or element['id']}")
    pytest.fail(f"{what or 'The element'} cannot be reached with {key}; focus went: {seen}")


@pytest.mark.browser
def test_skip_link_is_first_and_moves_focus_to_main(
    site: Site, new_context: ContextFactory
) -> None:
    page = new_context().new_page()
    page.goto(reverse("web:home"))
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["classes"], f"First focusable element is {first}"
    assert first["href"] == "#main"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab goes on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert not focused(page)["inHeader"]


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_sign_in_and_switch_language_with_the_keyboard_only(
    site: Site, new_context: ContextFactory, javascript: bool
) -> None:
    page = new_context(javascript=javascript).new_page()
    page.goto(reverse("web:home"))
    keyboard = page.keyboard

    # Skip to the content, then go back up to the header's "Sign in" link.
    keyboard.press("Tab")
    keyboard.press("Enter")
    login_path = reverse("account_login")
    press_until(
        page,
        lambda el: el["href"] == login_path and el["inHeader"],
        key="Shift+Tab",
        what="The header's sign-in link",
    )
    with page.expect_navigation():
        keyboard.press("Enter")
    assert page.url.endswith(login_path)

    # Sign in as the member.
    press_until(page, lambda el: el["name"] == "login", what="The email field")
    keyboard.type(site.emails["member"])
    press_until(page, lambda el: el["name"] == "password", what="The password field")
    keyboard.type(DEMO_PASSWORD)
    press_until(
        page,
        lambda el: el["tag"] == "button" and el["type"] == "submit" and not el["inHeader"],
        what="The sign-in button",
    )
    with page.expect_navigation():
        keyboard.press("Enter")

    # Landed in My space, in French.
    assert page.url.endswith(reverse("web:dashboard")), page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Yanis" in page.locator("h1").inner_text()

    # Switch to English with the header's language button.
    press_until(
        page,
        lambda el: el["tag"] == "button" and el["name"] == "language" and el["value"] == "en",
        what="The language switch",
    )
    with page.expect_navigation():
        keyboard.press("Enter")
    assert page.url.endswith("/en" + reverse("web:dashboard")), page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Hello, Yanis"
    assert page.get_by_role("heading", name="My roles in the network").count() == 1
