"""The site header at a common desktop width: brand, menu and language button on one line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import ContextFactory, Site

# Top edges within this many pixels are one line (the items differ in height a little).
SAME_LINE = 12


@pytest.mark.browser
@pytest.mark.parametrize("viewer", ["anonymous", "coordinator"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("url_name", ["needs:request_new", "web:dashboard"])
def test_the_header_keeps_to_one_line_at_1280_pixels(
    site: Site, new_context: ContextFactory, viewer: str, lang: str, url_name: str
) -> None:
    page = new_context(viewer, lang).new_page()  # 1280 px wide
    prefix = "/en" if lang == "en" else ""
    page.goto(prefix + reverse(url_name))

    tops = page.evaluate(
        """() => [".brand", ".site-header nav", ".site-header .lang, .site-header form.lang"]
            .map((s) => document.querySelector(s))
            .filter(Boolean)
            .map((el) => el.getBoundingClientRect().top)"""
    )

    assert len(tops) == 3
    assert max(tops) - min(tops) <= SAME_LINE, f"the header wraps on {page.url}: tops {tops}"
