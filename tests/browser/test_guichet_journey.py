"""A client's request, from the public form to the consortium's response, walked in Chromium.

A client without an account submits a request in French and confirms it by the link emailed
to it; a coordinator qualifies it into two lots (GLPI on site in Lyon, Nextcloud remote),
ranks each lot, proposes its best members and sends the shortlists; the client, back on its
private page by the link of the latest email, reads the members proposed with their reasons
and chooses one per lot; the coordinator proposes the consortium, sets each member's day rate
and downloads the response document (ODT), which names the request, the members and the lots.

Emails leave through the background task once the step's transaction commits (in tests the
task backend runs at once, in the live server's thread): the links are read in
`django.core.mail.outbox`, polled from Python, as the strict CSP leaves no script to wait with.
The browser package commits its data and restores it only when it ends, so this test deletes
its request (its lots, rankings, shortlists and consortium go with it); the audit records it
appended stay, as the log is append-only.

The shortlist and consortium pages' French is still being written: their texts are checked as
the translation catalogue gives them (`fr`), so that the test says what a person reads
whether a string is translated yet or not.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from .conftest import ContextFactory, Site

pytestmark = pytest.mark.browser

CLIENT_EMAIL = "dsi@essais-guichet.example"
CLIENT_NAME = "Communauté de communes des Essais"
CONTACT_NAME = "Jeanne Essais"
TITLE = "Parc informatique et partage de fichiers pour nos mairies"
DESCRIPTION = (
    "Inventorier et assister 300 postes dans douze mairies, et leur offrir un partage de "
    "fichiers hébergé."
)
# (title, software, person-days, on site, place, day rate as typed in French)
LOTS = (
    ("Inventaire et assistance GLPI", "GLPI", "40", True, "Lyon", "650"),
    ("Partage de fichiers Nextcloud", "Nextcloud", "20", False, "", "612,50"),
)
EMAIL_WAIT_SECONDS = 10


def row_counts() -> dict[str, int]:
    """How many rows each table holds, but the append-only audit log, the sessions (every
    sign-in adds one, as in the rest of the suite) and the network snapshots the rankings
    read (recorded once per change of the network, kept for audit like the log)."""
    from django.apps import apps

    skipped = {"core.auditentry", "sessions.session", "needs.matchingsnapshot"}
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in skipped
    }


@pytest.fixture
def journey(site: Site, browser: Any) -> Iterator[None]:
    """Nothing of the client's yet; afterwards its request is deleted (lots, rankings,
    shortlists, consortium and messages go with it), and every table but the audit log and
    the sessions must hold as many rows as before."""
    from guichet.needs.models import Request

    assert not Request.objects.filter(contact_email=CLIENT_EMAIL).exists()
    before = row_counts()
    try:
        yield
    finally:
        Request.objects.filter(contact_email=CLIENT_EMAIL).delete()
    after = row_counts()
    changed = {
        table: (before[table], after.get(table))
        for table in before
        if before[table] != after.get(table)
    }
    assert not changed, f"The journey left rows behind (table: (before, after)): {changed}"


@pytest.mark.django_db
def test_the_journey_s_request_fits_the_demo(demo: dict[str, Any]) -> None:
    """What the journey takes for granted, checked without a browser.

    Marked for the database, this also has pytest-django create the test database when this
    file runs on its own (as test_registry.py does for the whole package).
    """
    from guichet.needs.access import can_coordinate
    from guichet.needs.forms_intake import software_from_names
    from guichet.needs.models import Request
    from guichet.network.selectors_profile import communes_for_place

    assert can_coordinate(demo["coordinator"])
    assert not Request.objects.filter(contact_email=CLIENT_EMAIL).exists()
    found, others = software_from_names(["GLPI", "Nextcloud"])
    assert [software.name.lower() for software in found] == ["glpi", "nextcloud"]
    assert not others
    assert len(communes_for_place("Lyon")) == 1
    assert settings.GUICHET_SHORTLIST_SIZE >= 2


# What people read, and do, on the pages.


def fr(message: str, plural: str = "", count: int = 0, **params: Any) -> str:
    """A message as the French pages show it (tags dropped, as in an accessible name)."""
    with translation.override("fr"):
        text = ngettext(message, plural, count) if plural else gettext(message)
    if params or plural:
        text = text % {"count": count, **params}
    return re.sub(r"<[^>]+>", "", text)


def field(scope: Any, label: str) -> Any:
    """The form field with this label, as Django writes it: French puts a no-break space
    before ":" or "?", and Django adds " :" to a label that does not end with punctuation."""
    words = r"\s+".join(re.escape(word) for word in label.split())
    return scope.get_by_label(re.compile(rf"^{words}\s*:?$"))


def starting(text: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in text.split())
    return re.compile(rf"^{words}")


def exactly(text: str) -> re.Pattern[str]:
    """This text, whatever the spaces (an accessible name joins its parts as it likes)."""
    words = [re.escape(word) for word in re.sub(r"([:?!;])", r" \1", text).split()]
    return re.compile(rf"^\s*{r'\s*'.join(words)}\s*$")


def wait_for[T](found: Callable[[], T | None], what: str) -> T:
    """Poll from Python until `found` gives something (the emails leave on commit)."""
    deadline = time.monotonic() + EMAIL_WAIT_SECONDS
    while True:
        value = found()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Still waiting for {what} after {EMAIL_WAIT_SECONDS} s.")
        time.sleep(0.05)


def link_in_latest_email(to: str, url_name: str) -> str:
    """The path of the `url_name` link in the latest email to `to` that holds one."""
    from django.core import mail

    base = re.escape(str(settings.GUICHET_BASE_URL).rstrip("/"))
    prefix = re.escape(reverse(url_name, args=["TOKEN"]).split("TOKEN")[0])

    def latest() -> str | None:
        for message in reversed(list(mail.outbox)):
            if to in message.to and (found := re.search(rf"{base}({prefix}\S+)", message.body)):
                return urlsplit(found.group(1)).path
        return None

    return wait_for(latest, f"an email to {to} with a link to {url_name}")


def status_message(page: Any) -> Any:
    return page.get_by_role("status")


def add_lot(page: Any, lot: tuple[str, str, str, bool, str, str]) -> None:
    title, software, days, on_site, place, _rate = lot
    page.get_by_role("link", name="Ajouter un lot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un lot")
    form = page.get_by_role("main").locator("form")
    field(form, "Titre").fill(title)
    # The form starts with the request's software and place: the lot narrows them.
    expect(field(form, "Logiciel")).to_have_value(re.compile("^GLPI, Nextcloud$", re.IGNORECASE))
    field(form, "Logiciel").fill(software)
    field(form, "Jours-personnes estimés").fill(days)
    field(form, "Présence sur place nécessaire").set_checked(on_site)
    field(form, "Lieu").fill(place)
    form.get_by_role("button", name="Ajouter le lot").click()


def rank_and_propose(page: Any, number: int, title: str) -> list[str]:
    """From the request's page: rank the lot now, propose its best members; their names."""
    page.get_by_role("link", name=f"Classement du lot {number}").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Classement pour le lot {number} : {title}")
    expect(page.get_by_role("heading", name="Pas encore de classement")).to_be_visible()
    page.get_by_role("button", name="Classer maintenant").click()
    expect(status_message(page)).to_contain_text("Le lot a été classé avec les règles en vigueur")
    expect(page.get_by_role("heading", name="Dernier classement")).to_be_visible()
    ranking = page.locator("table.ranking")
    expect(ranking.locator("caption")).to_contain_text("organisations classées")
    ranked = ranking.locator("tbody tr").count()
    assert ranked >= 2, f"Lot {number} ranks {ranked} organisation(s)."
    best = fr("Propose the best %(size)s", size=settings.GUICHET_SHORTLIST_SIZE)
    page.get_by_role("button", name=best).click()
    proposed = min(ranked, settings.GUICHET_SHORTLIST_SIZE)
    expect(status_message(page)).to_have_text(
        fr(
            "%(count)s member added to the shortlist.",
            "%(count)s members added to the shortlist.",
            proposed,
        )
    )
    shortlist = page.locator("section#shortlist")
    names = shortlist.get_by_role("heading", level=3)
    expect(names).to_have_count(proposed)
    # The ranking's best placed are the ones proposed, in their order.
    best_ranked = ranking.locator("tbody tr th").all_inner_texts()[:proposed]
    shortlisted = [name.strip() for name in names.all_inner_texts()]
    assert shortlisted == [name.split("\n")[0].strip() for name in best_ranked]
    expect(ranking.get_by_text(fr("On the shortlist ✓"))).to_have_count(proposed)
    page.get_by_role("link", name=re.compile(r"^Retour à la demande D-")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    return shortlisted


def choose(page: Any, number: int, title: str, avoid: str = "") -> str:
    """On the follow page, the client chooses for a lot: the first proposed, but `avoid`."""
    lot = page.get_by_role(
        "region", name=fr("Lot %(number)s: %(title)s", number=number, title=title)
    )
    proposals = lot.get_by_role("listitem").filter(has=page.get_by_role("heading", level=4))
    expect(proposals.first).to_be_visible()
    names = [name.strip() for name in proposals.get_by_role("heading", level=4).all_inner_texts()]
    # Each member comes with the reasons it is proposed, component by component.
    for index in range(len(names)):
        expect(proposals.nth(index).locator("ul.reasons > li").first).to_be_visible()
    chosen = next(name for name in names if name != avoid)
    label = 'Choose this provider<span class="visually-hidden">: %(name)s</span>'
    button = lot.get_by_role("button", name=exactly(fr(label, name=chosen)))
    button.click()
    expect(status_message(page)).to_have_text(
        fr(
            "You chose %(name)s for lot %(number)s: they are told, and will get in touch.",
            name=chosen,
            number=number,
        )
    )
    expect(lot.locator("p.notice")).to_have_text(fr("You chose %(name)s.", name=chosen))
    expect(lot.get_by_role("button", name=starting(fr("Choose this provider")))).to_have_count(0)
    return chosen


def test_a_client_s_request_is_qualified_matched_chosen_and_answered_by_a_consortium(
    site: Site, new_context: ContextFactory, journey: None, tmp_path: Path
) -> None:
    from guichet.needs.views.consortium import money

    # 1. The client, without an account, fills the public form and sends it.
    client = new_context().new_page()
    client.goto(reverse("needs:request_new"))
    expect(client.locator("html")).to_have_attribute("lang", "fr")
    expect(client.get_by_role("heading", level=1)).to_have_text("Déposer une demande")
    form = client.get_by_role("main").locator("form")
    field(form, "Organisation").fill(CLIENT_NAME)
    form.get_by_role("group", name="Type d'organisation").get_by_label("Organisme public").check()
    field(form, "Votre nom").fill(CONTACT_NAME)
    field(form, "Votre adresse électronique").fill(CLIENT_EMAIL)
    field(form, "Votre besoin en quelques mots").fill(TITLE)
    field(form, "Décrivez votre besoin").fill(DESCRIPTION)
    field(form, "Logiciels concernés (facultatif)").fill("GLPI, Nextcloud")
    services = form.get_by_role("group", name="Type de prestation")
    services.get_by_label("Intégration", exact=True).check()
    services.get_by_label("Hébergement", exact=True).check()
    field(form, "Ville").fill("Lyon")
    field(form, "Une présence sur place est nécessaire").check()
    field(form, "Budget (HT)").select_option("10k-40k")
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(client.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")

    # 2. The emailed link opens a page that confirms only with a click; then the follow page.
    client.goto(link_in_latest_email(CLIENT_EMAIL, "needs:request_confirm"))
    expect(client.get_by_role("heading", level=1)).to_have_text("Confirmez votre demande")
    expect(client.locator("dl.facts")).to_contain_text(TITLE)
    expect(client.locator("dl.facts")).to_contain_text(CLIENT_NAME)
    client.get_by_role("button", name="Confirmer la demande").click()
    expect(client.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(status_message(client)).to_have_text(
        "Merci : votre demande est confirmée et les coordinateurs l'ont reçue."
    )
    standing = client.get_by_role("region", name="État d'avancement")
    expect(standing.locator("[aria-current=step]")).to_contain_text("Reçue par les coordinateurs")
    expect(standing.locator("strong")).to_have_text("Reçue, à qualifier.")
    summary = client.get_by_role("region", name="Votre demande")
    # The catalogue spells it "NextCloud".
    expect(summary).to_contain_text(re.compile("GLPI, Nextcloud", re.IGNORECASE))
    expect(summary).to_contain_text("Intégration, Hébergement")
    expect(summary).to_contain_text("Lyon")

    # 3. The coordinator opens it from the list of requests and splits it into two lots.
    coordinator = new_context("coordinator").new_page()
    coordinator.goto(reverse("needs:coordination_requests"))
    coordinator.get_by_role("link", name=TITLE).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(TITLE)
    lead = coordinator.locator("p.lead")
    expect(lead).to_contain_text("Reçue, à qualifier")
    for number, lot in enumerate(LOTS, start=1):
        add_lot(coordinator, lot)
        expect(status_message(coordinator)).to_have_text(f"Le lot {number} a été ajouté.")
    expect(lead).to_contain_text("Qualifiée et découpée en lots")
    lots_table = coordinator.get_by_role("region", name=re.compile(r"^2 lots"))
    expect(lots_table.get_by_role("rowheader")).to_have_text(
        [
            re.compile(rf"^Lot {number}\s?: {re.escape(lot[0])}$")
            for number, lot in enumerate(LOTS, start=1)
        ]
    )
    glpi_row, nextcloud_row = lots_table.locator("tbody tr").all()
    expect(glpi_row).to_contain_text("sur place")
    expect(nextcloud_row).to_contain_text("à distance")

    # 4. Each lot is ranked now, and its best members proposed; the shortlists are sent.
    shortlists = [
        rank_and_propose(coordinator, number, lot[0]) for number, lot in enumerate(LOTS, start=1)
    ]
    coordinator.get_by_role("button", name=fr("Send the shortlists to the client")).click()
    sent = sum(len(names) for names in shortlists)
    expect(status_message(coordinator)).to_have_text(
        fr(
            "The shortlists are sent to the client: %(count)s new proposal.",
            "The shortlists are sent to the client: %(count)s new proposals.",
            sent,
        )
    )
    expect(lead).to_contain_text("Présélection envoyée au donneur d'ordre")

    # 5. The client, back by the link of the latest email, chooses one member per lot.
    client.goto(link_in_latest_email(CLIENT_EMAIL, "needs:request_follow"))
    expect(client.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(standing.locator("[aria-current=step]")).to_contain_text(
        "Membres qui vous sont proposés"
    )
    proposed = client.get_by_role("region", name=fr("The members proposed to you"))
    for number, (lot, names) in enumerate(zip(LOTS, shortlists, strict=True), start=1):
        region = proposed.get_by_role(
            "region", name=fr("Lot %(number)s: %(title)s", number=number, title=lot[0])
        )
        # The members proposed (below them, the form to invite a provider of one's own).
        expect(region.locator(".results").get_by_role("heading", level=4)).to_have_text(names)
    first = choose(client, 1, LOTS[0][0])
    # Two members, when the second lot has someone else to offer: a real consortium.
    second = choose(client, 2, LOTS[1][0], avoid=first)
    assert first != second, f"Only {first} is proposed for the second lot."
    expect(standing.locator("strong")).to_have_text("Prestataires choisis.")

    # 6. The coordinator proposes the consortium and sets each member's day rate.
    coordinator.reload()
    expect(lead).to_contain_text("Prestataires choisis")
    expect(lots_table.get_by_role("rowheader").first).to_contain_text(first)
    coordinator.get_by_role("button", name=fr("Propose a consortium")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        fr("Consortium: %(title)s", title=TITLE)
    )
    expect(status_message(coordinator)).to_have_text(
        fr("The consortium is proposed: check its lead, days and day rates below.")
    )
    members = coordinator.get_by_role("region", name=fr("Members"), exact=True)
    # Each member's days and day rate, as typed in French: its lots' days, at its own rate.
    rates: dict[str, tuple[Decimal, str]] = {}
    for name, lot in zip((first, second), LOTS, strict=True):
        days, _typed = rates.get(name, (Decimal(0), lot[5]))
        rates[name] = (days + Decimal(lot[2]), _typed)
    rows = members.locator("tbody").get_by_role("rowheader")
    expect(rows).to_have_count(len(rates))
    assert sorted(rows.all_inner_texts()) == sorted(rates)
    expect(members.locator("tbody")).to_contain_text("Mandataire")
    total = Decimal(0)
    for name, (days, typed) in rates.items():
        rate = Decimal(typed.replace(",", "."))
        total += days * rate
        member = coordinator.get_by_role("group", name=starting(f"{name} —"))
        expect(field(member, fr("Person-days"))).to_have_value(
            re.compile(rf"^{int(days)}([,.]0*)?$")
        )
        field(member, fr("Day rate excl. tax (€)")).fill(typed)
        member.get_by_role("button", name=fr("Save %(name)s's days and rate", name=name)).click()
        expect(status_message(coordinator)).to_have_text(
            fr("%(organisation)s: days and day rate are saved.", organisation=name)
        )
        row = members.locator("tbody tr").filter(
            has=coordinator.get_by_role("rowheader", name=name)
        )
        with translation.override("fr"):
            expect(row.locator("td.number").nth(1)).to_have_text(money(rate))
            expect(row.locator("td.number").nth(2)).to_have_text(money(days * rate))
    with translation.override("fr"):
        expect(coordinator.locator("#grand-total")).to_have_text(money(total))

    # 7. The response document names the request, its members and its lots.
    download_link = coordinator.get_by_role("link", name=fr("Download the response (ODT)"))
    with coordinator.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename.endswith("-groupement.odt")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    from odfdo import Document

    text = Document(str(saved)).get_formatted_text()
    assert TITLE in text
    for name in {first, second}:
        assert name in text
    for lot in LOTS:
        assert lot[0] in text
