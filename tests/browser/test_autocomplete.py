"""Software names are suggested in the directory while typing, when JavaScript runs;
without it the field is plain text and the server finds the software."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import ContextFactory

pytestmark = pytest.mark.browser

SUGGESTIONS = (
    "() => [...document.querySelectorAll('#id_software-suggestions option')].map(o => o.value)"
)


def test_typing_part_of_a_name_suggests_catalogue_entries(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    page.goto(reverse("network:directory"))
    page.locator("#id_software").press_sequentially("glp", delay=50)
    # Polled from here: the page's CSP forbids the eval behind wait_for_function.
    suggestions: list[str] = []
    for _ in range(50):
        suggestions = page.evaluate(SUGGESTIONS)
        if suggestions:
            break
        page.wait_for_timeout(100)
    assert "GLPI" in suggestions


def test_without_javascript_the_typed_name_is_found_by_the_server(
    new_context: ContextFactory,
) -> None:
    page = new_context(javascript=False).new_page()
    page.goto(reverse("network:directory"))
    assert page.locator("datalist").count() == 0
    page.fill("#id_software", "GLPI")
    page.get_by_role("button", name="Rechercher").click()
    assert page.locator("ol.results li").count() >= 3
    assert "GLPI" in page.locator("ol.results").inner_text()
