"""The ways in, walked in Chromium, in French: nobody types an address.

A coordinator signs in and reaches the request queue from "My space", then the
coordinators' home; a member organisation's manager reaches its proposals the same way; a
visitor on a member's public profile asks that member, and finds the member named in the
form; anyone finds the open data from the footer.

Nothing is written: the browser package's data stays as the demo made it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ORG_X
from guichet.core.demo_data import DEMO_PASSWORD

from .conftest import ContextFactory, Site

pytestmark = pytest.mark.browser


def label(scope: Any, text: str) -> Any:
    """A field by its label, as Django writes it in French (a no-break space, then ":")."""
    words = r"\s+".join(re.escape(word) for word in text.split())
    return scope.get_by_label(re.compile(rf"^{words}\s*:?$"))


def sign_in(page: Any, email: str) -> None:
    """From the home page, through the header's link and the sign-in form."""
    page.goto(reverse("web:home"))
    page.get_by_role("banner").get_by_role("link", name="Se connecter").click()
    label(page, "Courriel").fill(email)
    label(page, "Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{reverse('web:dashboard')}")


def queue_link(page: Any, name: str) -> Any:
    waiting = page.get_by_role("region", name="Ce qui vous attend")
    return waiting.get_by_role("link", name=name, exact=True)


def test_a_coordinator_reaches_the_request_queue_from_my_space(
    site: Site, new_context: ContextFactory
) -> None:
    page = new_context().new_page()
    sign_in(page, site.emails["coordinator"])

    waiting = page.get_by_role("region", name="Ce qui vous attend")
    expect(waiting.get_by_role("heading", name="En tant que coordinateur")).to_be_visible()
    expect(waiting.get_by_role("listitem").filter(has_text="Demandes à qualifier")).to_contain_text(
        "2 en attente"
    )
    queue_link(page, "Demandes à qualifier").click()

    page.wait_for_url(f"**{reverse('needs:coordination_requests')}?status=submitted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes des donneurs d'ordre")
    expect(page.get_by_role("main").get_by_role("table").get_by_role("row")).to_have_count(3)

    # Back to My space, then the coordinators' home and its tools.
    page.get_by_role("banner").get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="L'accueil des coordinateurs : tous les outils").click()
    page.wait_for_url(f"**{reverse('web:coordination')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination")
    tools = page.get_by_role("region", name="Outils")
    tools.get_by_role("link", name="Demandes des donneurs d'ordre").click()
    page.wait_for_url(f"**{reverse('needs:coordination_requests')}")


def test_a_member_reaches_its_proposals_from_my_space(
    site: Site, new_context: ContextFactory
) -> None:
    page = new_context().new_page()
    sign_in(page, site.emails["member"])

    waiting = page.get_by_role("region", name="Ce qui vous attend")
    expect(waiting.get_by_role("heading", name="Pour mes organisations")).to_be_visible()
    expect(waiting).not_to_contain_text("Demandes à qualifier")
    queue_link(page, "Propositions auxquelles répondre").click()

    page.wait_for_url(f"**{reverse('needs:member_entries')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lots pour lesquels votre organisation est proposée"
    )
    rows = page.get_by_role("main").get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Pas encore de réponse")).not_to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_visitor_asks_a_member_from_its_profile(
    site: Site, new_context: ContextFactory, javascript: bool
) -> None:
    page = new_context(javascript=javascript).new_page()
    page.goto(reverse("network:directory"))
    page.get_by_role("main").get_by_role("link", name="Libre et Local", exact=True).click()
    page.wait_for_url(f"**{reverse('network:organisation', args=[ORG_X])}")

    page.get_by_role("link", name="Déposer une demande auprès de ce membre").click()

    page.wait_for_url(f"**{reverse('needs:request_new')}?membre={ORG_X}")
    named = page.get_by_role("region", name="Vous demandez Libre et Local")
    expect(named).to_be_visible()
    expect(page.locator('input[type="hidden"][name="member"]')).to_have_value(ORG_X)


def test_the_open_data_is_one_click_away_in_the_footer(
    site: Site, new_context: ContextFactory
) -> None:
    page = new_context().new_page()
    page.goto(reverse("web:home"))

    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()

    page.wait_for_url(f"**{reverse('web:open_data')}")
    for title in (
        "Organisations membres",
        "Catalogue des logiciels",
        "Contributions rendues aux projets amont",
        "Décisions des associés",
        "Répartition du travail",
    ):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
