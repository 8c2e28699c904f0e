"""Admission by peers, walked in Chromium through the real pages, in French.

A newcomer signs in, applies for a new organisation and signs the charter; a coordinator
assigns three evaluators from three member organisations (and is told why a fourth person,
from an organisation already evaluating, cannot be assigned); each evaluator rates every
value of the charter from their space; the coordinator puts the application to the
associates' decision, and the newcomer reads that they decide. On the proposal's page the
coordinator opens a round of consent; an associate objects, and the objection blocks it; the
coordinator amends the text, which opens a second round; the associate consents, and at the
deadline the round closes adopted. The newcomer reads the decision, with its link to the
public decision log, and the organisation is listed in the public directory.

The same journey as guichet/network/tests/test_admission_views.py, seen by the people who
make it. The browser package commits its data and restores it only when it ends, so this
test removes what it created (the person, the organisation and, with it, its application,
then the decision and its rounds); the audit records it appended stay, as the log is
append-only and its chain stays whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from guichet.core.demo_data import DEMO_PASSWORD

from .conftest import ContextFactory, Site

pytestmark = pytest.mark.browser

# Screenshots along the way, for a person to look at, as in test_screenshots.py.
SHOTS = os.environ.get("GUICHET_SCREENSHOTS", "")
NEWCOMER_EMAIL = "gerante@essais-navigateur.example"
NEWCOMER_NAME = "Maëlle Essais"
ORGANISATION = "Coopérative des Essais en Navigateur"
MOTIVATION = "Nous voulons répondre ensemble aux besoins des collectivités bretonnes."
OBJECTION = "Admettre sans parler de l'hébergement laisserait des communes sans recours."
CHANGE = "Demander leurs engagements de réversibilité pour l'hébergement."
AMENDMENT = "L'organisation s'engage à la réversibilité des services qu'elle héberge."
AMENDMENT_NOTE = "Ajout de l'engagement de réversibilité demandé par l'objection."
# Every value is respected, but for these (evaluator, value position): the summary sums them.
PARTLY = ("member_other", 2)
DOES_NOT = ("cartolibre", 2)


@dataclass(frozen=True)
class Evaluator:
    key: str  # a demo login key, or the slug of the organisation of a person without one
    email: str
    choice: str  # how the coordinators' list names them: "person — organisation"
    organisation: str


@dataclass(frozen=True)
class Cast:
    newcomer: str
    evaluators: tuple[Evaluator, ...]
    same_organisation_as_first: str  # another person of the first evaluator's organisation
    values: tuple[str, ...]  # the charter's values, in French, in order


def evaluator(membership: Any, key: str) -> Evaluator:
    return Evaluator(
        key=key,
        email=membership.person.email,
        choice=f"{membership.person} — {membership.organisation}",
        organisation=membership.organisation.name,
    )


def row_counts() -> dict[str, int]:
    """How many rows each table holds, but the append-only audit log and the sessions (every
    sign-in adds one, as in the rest of the suite)."""
    from django.apps import apps

    skipped = {"core.auditentry", "sessions.session"}
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in skipped
    }


@pytest.fixture
def cast(site: Site, browser: Any) -> Iterator[Cast]:
    """A newcomer with a verified account, and the people the coordinator will ask.

    Afterwards, what the journey created is deleted: the organisation (its membership,
    software, signature, application, assignments and ratings go with it) and the newcomer;
    the sign-in of the evaluator without a demo login is forgotten. Every table but the audit
    log and the sessions must then hold as many rows as before.
    """
    from allauth.account.models import EmailAddress

    from guichet.accounts.models import User
    from guichet.governance.models import Proposal, Round, Statutes
    from guichet.network.models import Application, Membership, Organisation
    from guichet.network.services.charter import current_charter

    assert not Organisation.objects.filter(name=ORGANISATION).exists()
    people = Membership.objects.select_related("person", "organisation")
    member = people.get(person=site.user("member"), organisation__slug="libre-et-local")
    other = people.get(
        person=site.user("member_other"), organisation__slug="atelier-du-code-commun"
    )
    third = people.filter(organisation__slug="cartolibre").order_by("-is_manager", "pk").first()
    associate = people.get(person=site.user("associate"), organisation__slug="libre-et-local")
    assert third is not None
    charter = current_charter()
    assert charter is not None
    with translation.override("fr"):
        values = tuple(v.localized_title for v in charter.values.order_by("position"))
    before = row_counts()
    statutes = set(Statutes.objects.values_list("pk", flat=True))
    third_last_login = third.person.last_login
    try:
        newcomer = User.objects.create_user(NEWCOMER_EMAIL, DEMO_PASSWORD, full_name=NEWCOMER_NAME)
        EmailAddress.objects.create(
            user=newcomer, email=NEWCOMER_EMAIL, verified=True, primary=True
        )
        yield Cast(
            newcomer=NEWCOMER_EMAIL,
            evaluators=(
                evaluator(member, "member"),
                evaluator(other, "member_other"),
                evaluator(third, "cartolibre"),
            ),
            same_organisation_as_first=f"{associate.person} — {associate.organisation}",
            values=values,
        )
    finally:
        decisions = list(
            Application.objects.filter(
                organisation__name=ORGANISATION, proposal__isnull=False
            ).values_list("proposal_id", flat=True)
        )
        Organisation.objects.filter(name=ORGANISATION).delete()
        Round.objects.filter(proposal__in=decisions).delete()  # its positions with it
        Proposal.objects.filter(pk__in=decisions).delete()  # its versions with it
        Statutes.objects.exclude(pk__in=statutes).delete()  # made with their defaults if none
        User.objects.filter(email=NEWCOMER_EMAIL).delete()
        User.objects.filter(pk=third.person.pk).update(last_login=third_last_login)
    after = row_counts()
    changed = {
        table: (before[table], after.get(table))
        for table in before
        if before[table] != after.get(table)
    }
    assert not changed, f"The journey left rows behind (table: (before, after)): {changed}"


@pytest.mark.django_db
def test_the_journey_s_cast_fits_the_demo(demo: dict[str, Any], settings: Any) -> None:
    """What the journey takes for granted, checked without a browser.

    Marked for the database, this also has pytest-django create the test database when this
    file runs on its own (as test_registry.py does for the whole package).
    """
    from guichet.accounts.models import User
    from guichet.network.models import Membership, Organisation

    # Three evaluations are what an application needs before its decision.
    assert settings.GUICHET_MIN_EVALUATORS == 3
    assert not User.objects.filter(email=NEWCOMER_EMAIL).exists()
    assert not Organisation.objects.filter(name=ORGANISATION).exists()
    member = Membership.objects.get(person=demo["member"])
    assert Membership.objects.get(person=demo["associate"]).organisation == member.organisation
    evaluating = {
        member.organisation,
        Membership.objects.get(person=demo["member_other"]).organisation,
        Organisation.objects.get(slug="cartolibre"),
    }
    assert len(evaluating) == 3
    assert all(organisation.is_member for organisation in evaluating)


# What people do on the pages.


def field(scope: Any, label: str) -> Any:
    """The form field with this label, as Django writes it: French puts a no-break space
    before ":" or "?", and Django adds " :" to a label that does not end with punctuation."""
    words = r"\s+".join(re.escape(word) for word in label.split())
    return scope.get_by_label(re.compile(rf"^{words}\s*:?$"))


def sign_in(page: Any, email: str) -> None:
    """Through the sign-in page, as a person does (for those without a demo login)."""
    # The site's words for allauth's "Sign In" (accounts/wording.py), as the menu says them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    field(page, "Courriel").fill(email)
    field(page, "Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into the GUICHET_SCREENSHOTS folder, when it is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"admission-{name}.png"), full_page=True)


def status_of(page: Any) -> Any:
    """The status shown in the facts of an application ("Statut" then its value)."""
    return page.locator("xpath=//dl[@class='facts']/dt[.='Statut']/following-sibling::dd[1]")


def rating_for(key: str, position: int) -> str:
    if (key, position) == DOES_NOT:
        return "Ne respecte pas"
    if (key, position) == PARTLY:
        return "Respecte en partie"
    return "Respecte"


def evaluate(page: Any, cast: Cast, who: Evaluator) -> None:
    """From their space, the evaluator opens the evaluation and rates every value."""
    page.goto(reverse("web:dashboard"))
    asked = page.get_by_role("region", name="Évaluations qui me sont demandées")
    asked.get_by_role("listitem").filter(has_text=ORGANISATION).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Évaluer {ORGANISATION}")
    expect(page.locator("p.lead")).to_contain_text(who.organisation)
    for position, value in enumerate(cast.values, start=1):
        group = page.get_by_role("group", name=f"{position}. {value}")
        group.get_by_label(rating_for(who.key, position), exact=True).check()
        field(group, f"Commentaire sur « {value} »").fill(
            f"{who.organisation} : vu dans leurs projets ({position})."
        )
    page.get_by_role("button", name="Envoyer mon évaluation").click()
    expect(page.get_by_role("status")).to_contain_text("Votre évaluation a été enregistrée.")
    expect(page.get_by_role("button", name="Enregistrer mes modifications")).to_be_visible()


def test_an_organisation_applies_is_evaluated_by_three_members_admitted_by_the_associates(
    site: Site, new_context: ContextFactory, cast: Cast
) -> None:
    from guichet.governance.models import ProposalStatus, Round
    from guichet.governance.services.rounds import round_close
    from guichet.network.models import Application

    # 1. The newcomer signs in from the application page, then applies.
    applicant = new_context().new_page()
    applicant.goto(reverse("network:apply"))
    expect(applicant.locator("html")).to_have_attribute("lang", "fr")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Demander à rejoindre le réseau")
    applicant.get_by_role("link", name="J'ai déjà un compte : me connecter").click()
    sign_in(applicant, cast.newcomer)
    applicant.wait_for_url(f"**{reverse('network:apply')}")

    form = applicant.get_by_role("main").locator("form")
    field(form, "Nom de l'organisation").fill(ORGANISATION)
    field(form, "Type").select_option(label="Coopérative")
    field(form, "Ville").fill("35000")
    field(form, "Site web (facultatif)").fill("https://essais-navigateur.example")
    field(form, "Activité de l'organisation (facultatif)").fill(
        "Intégration et hébergement de logiciels libres pour les communes."
    )
    field(form, "Capacité (jours-personnes par mois)").fill("12")
    field(form, "Logiciel 1").fill("GLPI")
    field(form, "Rôle sur le logiciel 1").select_option(label="Intégrateur")
    field(form, "Logiciel 2").fill("Nextcloud")
    field(form, "Rôle sur le logiciel 2").select_option(label="Hébergeur")
    field(form, "Pourquoi souhaitez-vous rejoindre le réseau ?").fill(MOTIVATION)
    form.get_by_label("Nous avons lu la charte et nous la signons.").check()
    shot(applicant, "1-application-form")
    form.get_by_role("button", name="Envoyer la candidature").click()

    expect(applicant.get_by_role("heading", level=1)).to_have_text(f"Candidature de {ORGANISATION}")
    expect(applicant.get_by_role("status")).to_have_text(
        "Votre candidature a été envoyée, et votre organisation a signé la charte."
    )
    expect(status_of(applicant)).to_have_text("Déposée")
    expect(applicant.get_by_role("main")).to_contain_text("GLPI — intégrateur")
    application_url = applicant.url

    # 2. The coordinator opens it from the list of applications.
    coordinator = new_context("coordinator")
    first_tab = coordinator.new_page()
    first_tab.goto(reverse("network:coordination_applications"))
    expect(first_tab.get_by_role("heading", level=1)).to_have_text("Candidatures et évaluations")
    first_tab.get_by_role("link", name=ORGANISATION).click()
    expect(first_tab.get_by_role("heading", level=1)).to_have_text(f"Admission — {ORGANISATION}")
    expect(status_of(first_tab)).to_have_text("Déposée")
    evaluators = first_tab.get_by_role("region", name="Évaluateurs")
    expect(evaluators).to_contain_text("Aucun évaluateur pour l'instant.")
    # A second tab on the same page, left open while the first one assigns.
    stale_tab = coordinator.new_page()
    stale_tab.goto(first_tab.url)

    def assign(tab: Any, choice: str) -> None:
        field(tab, "Évaluateur").select_option(label=choice)
        tab.get_by_role("button", name="Désigner").click()

    first, *others = cast.evaluators
    assign(first_tab, first.choice)
    # The message names the person and the organisation they evaluate for.
    expect(first_tab.get_by_role("status")).to_contain_text(first.choice.split(" — ")[0])
    expect(first_tab.get_by_role("status")).to_contain_text(first.organisation)
    expect(status_of(first_tab)).to_have_text("En cours d'évaluation")

    # The stale tab still offers the first evaluator's colleague: the server refuses them.
    assign(stale_tab, cast.same_organisation_as_first)
    alert = stale_tab.get_by_role("alert")
    expected = (
        "Cette organisation évalue déjà la candidature : choisissez une personne d'une autre "
        "organisation."
    )
    expect(alert).to_contain_text(expected)
    expect(stale_tab.locator("#id_membership_error")).to_have_text(expected)
    # The page now shows the first assignment, and no longer offers that organisation.
    expect(stale_tab.get_by_role("region", name="Évaluateurs")).to_contain_text(first.choice)
    offered = field(stale_tab, "Évaluateur").locator("option")
    expect(offered.filter(has_text=first.organisation)).to_have_count(0)
    shot(stale_tab, "2-evaluator-refused")
    stale_tab.close()

    for other in others:
        assign(first_tab, other.choice)
        expect(first_tab.get_by_role("status")).to_contain_text(other.organisation)
    expect(evaluators.get_by_role("heading")).to_have_text(
        "Évaluateurs (évaluations faites : 0 sur 3)"
    )

    # 3. Each evaluator signs in and rates every value from their space.
    for who in cast.evaluators:
        if who.key in site.emails:
            page = new_context(who.key).new_page()
        else:
            page = new_context().new_page()
            page.goto(reverse("account_login"))
            sign_in(page, who.email)
            page.wait_for_url(f"**{reverse('web:dashboard')}")
        evaluate(page, cast, who)
        page.context.close()

    # 4. The application awaits its decision, for the newcomer and for the coordinator.
    applicant.goto(application_url)
    expect(status_of(applicant)).to_have_text("En attente de décision")
    expect(applicant.get_by_role("main")).to_contain_text("3 effectuées, sur 3 au minimum")
    first_tab.reload()
    expect(status_of(first_tab)).to_have_text("En attente de décision")
    expect(evaluators.get_by_role("heading")).to_have_text(
        "Évaluateurs (évaluations faites : 3 sur 3)"
    )
    summary = first_tab.get_by_role("table", name="Nombre d'évaluateurs ayant donné")
    # Respects, partly, does not: the second value had one of each, the others three "respects".
    for position, value in enumerate(cast.values, start=1):
        counts = ["1", "1", "1"] if position == PARTLY[1] else ["3", "0", "0"]
        row = summary.get_by_role("row").filter(has=first_tab.get_by_role("rowheader", name=value))
        expect(row.get_by_role("cell")).to_have_text(counts)

    # 5. The coordinator puts it to the associates' decision: a proposal opens, linked to it.
    application = Application.objects.get(organisation__name=ORGANISATION)
    put = first_tab.locator(
        f"form[action='{reverse('network:coordination_decide', args=[application.pk])}']"
    )
    shot(first_tab, "3-put-to-decision")
    put.get_by_role("button").click()
    application.refresh_from_db()
    proposal = application.proposal
    assert proposal is not None
    expect(first_tab.get_by_role("status")).to_contain_text(proposal.reference)
    expect(status_of(first_tab)).to_have_text("En attente de décision")
    expect(put).to_have_count(0)  # once only
    follow = first_tab.get_by_role("link", name=re.compile(re.escape(proposal.reference)))
    expect(follow).to_have_attribute(
        "href", reverse("governance:proposal", args=[proposal.reference])
    )
    # The newcomer reads that the associates decide, and the decision's reference.
    applicant.goto(application_url)
    expect(status_of(applicant)).to_have_text("En attente de décision")
    expect(applicant.get_by_role("main")).to_contain_text(proposal.reference)

    # 6. The associates decide on the proposal's page. The coordinator, its author, opens a
    # round; an associate objects, with the harm and the change that would make it safe to
    # try; as it stands, the objection blocks the proposal.
    coordination_url = first_tab.url
    first_tab.get_by_role("link", name=re.compile(re.escape(proposal.reference))).first.click()
    expect(first_tab.locator("p.lead")).to_contain_text(proposal.reference)
    opening = first_tab.locator("form:has(input[name=action][value=open_round])")
    opening.locator("summary").click()
    opening.get_by_role("button").click()
    expect(first_tab.locator("#round")).to_be_visible()
    shot(first_tab, "5-round-open")

    associate = new_context("associate").new_page()
    associate.goto(reverse("governance:proposal", args=[proposal.reference]))
    take = associate.locator("form:has(input[name=action][value=position])")
    take.locator("input[name=value][value=objection]").check()
    take.locator("textarea[name=comment]").fill(OBJECTION)
    take.locator("textarea[name=change_requested]").fill(CHANGE)
    take.get_by_role("button").click()
    stands = associate.locator("p.as-it-stands")
    expect(stands).to_contain_text("1 objection")
    expect(associate.locator("#objections + ul")).to_contain_text(OBJECTION)
    shot(associate, "6-objection")

    # The author amends the text to answer it: the round ends, its objection integrated, and
    # a new round opens on version 2, positions starting afresh.
    first_tab.goto(reverse("governance:proposal_amend", args=[proposal.reference]))
    amend = first_tab.locator("main form")
    text = amend.locator("textarea[name=text]")
    text.fill(text.input_value() + "\n\n" + AMENDMENT)
    amend.locator("[name=note]").fill(AMENDMENT_NOTE)
    amend.get_by_role("button").click()
    expect(first_tab.locator("p.lead")).to_contain_text(proposal.reference)
    expect(first_tab.get_by_role("main")).to_contain_text(AMENDMENT)
    expect(first_tab.locator("#round-title")).to_contain_text("2")
    expect(first_tab.locator("p.as-it-stands")).not_to_contain_text("1 objection")
    expect(first_tab.locator("#objections")).to_have_count(0)  # none in the new round

    # The associate, satisfied, consents in the second round; so does the coordinator.
    for page in (associate, first_tab):
        page.goto(reverse("governance:proposal", args=[proposal.reference]))
        take = page.locator("form:has(input[name=action][value=position])")
        take.locator("input[name=value][value=consent]").check()
        take.get_by_role("button").click()
        expect(page.locator("form:has(input[name=action][value=position])")).to_be_visible()
    shot(associate, "7-second-round")

    # At its deadline the worker closes the round; here it is run as the worker would then
    # (this round only: the demo's own open round must stay open for the other tests).
    second = Round.objects.get(proposal=proposal, closed_at__isnull=True)
    assert second.number == 2
    round_close(round=second, now=second.closes_at + timedelta(seconds=1))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    application.refresh_from_db()
    assert application.status == "accepted"
    first_tab.goto(reverse("governance:proposal", args=[proposal.reference]))
    expect(first_tab.locator("#round")).to_have_count(0)  # no round open any more
    shot(first_tab, "8-adopted")

    # 7. The newcomer reads the decision, its rationale and the link to the public decision;
    # the organisation is in the public directory.
    applicant.goto(application_url)
    expect(status_of(applicant)).to_have_text("Acceptée")
    decision = applicant.get_by_role("region", name="Décision", exact=True)
    expect(decision).to_contain_text("Acceptée")
    expect(decision).to_contain_text(proposal.reference)
    expect(decision.get_by_role("link")).to_have_attribute(
        "href", reverse("governance:log_entry", args=[proposal.reference])
    )
    shot(applicant, "9-decision")
    first_tab.goto(coordination_url)
    expect(status_of(first_tab)).to_have_text("Acceptée")
    expect(first_tab.get_by_role("region", name="Décision", exact=True)).to_contain_text(
        proposal.reference
    )

    visitor = new_context().new_page()
    visitor.goto(reverse("network:directory"))
    visitor.get_by_text("Plus de critères").click()
    field(visitor, "Mots-clés").fill("Essais en Navigateur")
    visitor.get_by_role("button", name="Rechercher").click()
    results = visitor.get_by_role("region", name="1 organisation", exact=True)
    expect(results.get_by_role("heading", level=3)).to_have_text(ORGANISATION)
    expect(results).to_contain_text("a signé la charte en vigueur")
    results.get_by_role("link", name=ORGANISATION).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
