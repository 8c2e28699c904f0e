"""A visitor looks for members around a city typed as people write it ("Le Mans", "Paris"),
and sees only those nearby, each with its distance; on a phone, the count and a link to the
results come before the form; a search that finds nothing says how to widen it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .conftest import ContextFactory

pytestmark = pytest.mark.browser

DISTANCE = re.compile(r"· (\d+)\s+km")


def search(page, near: str, radius: str = "10") -> list[tuple[str, int]]:
    """Fill the directory's form as a visitor does; the results as (name, km)."""
    page.goto(reverse("network:directory"))
    page.fill("#id_near", near)
    page.select_option("#id_radius", radius)
    # Wait for the results page itself: the list must not be read from the page being left.
    with page.expect_navigation(url=re.compile(r"near=")):
        page.get_by_role("button", name="Rechercher").click()
    found = []
    for item in page.locator("ol.results > li").all():
        meta = item.locator("p.meta").inner_text()
        distance = DISTANCE.search(meta)
        assert distance, f"no distance shown: {meta}"
        found.append((item.locator("h3").inner_text(), int(distance.group(1))))
    return found


@pytest.mark.parametrize("javascript", [True, False])
def test_a_visitor_finds_the_members_within_10_km_of_le_mans_and_of_paris(
    new_context: ContextFactory, javascript: bool
) -> None:
    page = new_context(javascript=javascript).new_page()

    le_mans = search(page, "Le Mans")
    assert [name for name, _ in le_mans] == ["Sarthe Logiciels Libres"]
    assert le_mans[0][1] <= 1
    assert "Le Mans, dans un rayon de 10" in page.locator("#results-title").inner_text()

    paris = search(page, "Paris")
    assert {name for name, _ in paris} == {"Identités Libres", "Atelier Web de Montreuil"}
    assert all(km <= 10 for _, km in paris)
    assert "Paris, dans un rayon de 10" in page.locator("#results-title").inner_text()


def test_on_a_phone_the_results_are_one_link_away_and_an_empty_search_says_what_to_do(
    new_context: ContextFactory,
) -> None:
    context = new_context()
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 667})
    search(page, "Paris")

    jump = page.get_by_role("link", name=re.compile("2 organisations trouvées"))
    box = jump.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 667  # on the first screen
    jump.click()
    assert page.url.endswith("#results-title")

    page.goto(reverse("network:directory"))
    page.fill("#id_software", "Nextcloud")
    page.fill("#id_near", "Le Mans")
    page.select_option("#id_radius", "10")
    page.get_by_label("Hébergeur").check()
    page.get_by_role("button", name="Rechercher").click()
    section = page.locator("section[aria-labelledby=results-title]")
    assert "Aucune organisation membre ne correspond" in section.inner_text()
    assert "Le Mans (72), dans un rayon de 10" in section.locator("dl.criteria").inner_text()
    section.get_by_role("link", name="Chercher sans le rôle").click()
    assert [name for name, _ in search_results(page)] == ["Sarthe Logiciels Libres"]


def search_results(page) -> list[tuple[str, str]]:
    return [
        (item.locator("h3").inner_text(), item.locator("p.meta").inner_text())
        for item in page.locator("ol.results > li").all()
    ]
