"""A lot's ranking at a common desktop width: the whole table shows, the shortlist last.

The shortlist column is the one a coordinator acts in; at 1280 pixels it used to fall past
the table's scroll box, out of sight until scrolled sideways.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from guichet.core.registries.pages import registry

from .conftest import ContextFactory, Site

RANKING_PAGES = ["coordination-lot-ranking", "coordination-lot-ranking-shortlisted"]

MEASURE = """() => {
    const box = document.querySelector("table.ranking").closest(".table-scroll");
    const cells = [...document.querySelectorAll("table.ranking tbody td:last-child")];
    return {
        overflow: box.scrollWidth - box.clientWidth,
        boxRight: box.getBoundingClientRect().right,
        viewport: document.documentElement.clientWidth,
        pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        rights: cells.flatMap((cell) => [...cell.querySelectorAll("button, .badge")])
            .map((element) => element.getBoundingClientRect().right),
    };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", RANKING_PAGES)
def test_the_shortlist_column_shows_without_scrolling_at_1280_pixels(
    site: Site, new_context: ContextFactory, key: str, lang: str
) -> None:
    page = new_context("coordinator", lang).new_page()  # 1280 px wide
    with translation.override(lang):
        page.goto(registry.pages[key].path())

    seen = page.evaluate(MEASURE)

    assert seen["rights"], f"no shortlist button or badge in the ranking of {page.url}"
    assert seen["overflow"] <= 0, f"the ranking scrolls sideways by {seen['overflow']} px"
    assert seen["pageOverflow"] <= 0, "the page scrolls sideways"
    limit = min(seen["boxRight"], seen["viewport"])
    assert max(seen["rights"]) <= limit, f"the shortlist column is cut off: {seen}"
