"""The associates decide admissions, re-evaluations, exclusions and the charter.

A coordinator puts an application (or a charter draft) to their decision: a proposal opens,
its text in the site's language sums up what they decide on, and it is linked to what it
decides. When its round closes, the decision applies by itself, citing its reference. The
demo is loaded: Opale Conseil awaits its decision, after three evaluations.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guichet.core.models import AuditEntry
from guichet.governance import effects
from guichet.governance.markdown import render
from guichet.governance.models import PositionValue, Proposal, ProposalKind, ProposalStatus
from guichet.governance.services.proposals import proposal_open, proposal_withdraw
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Charter,
    DecisionChannel,
    Organisation,
    Rating,
)
from guichet.network.proposal_text import markdown_line, markdown_text
from guichet.network.services.admission import (
    AdmissionError,
    application_submit,
    application_withdraw,
    application_withdraw_by_applicant,
    evaluation_submit,
    evaluator_assign,
)
from guichet.network.services.charter import (
    CharterError,
    charter_draft_discard,
    charter_draft_start,
    charter_draft_update,
    charter_publish,
    current_charter,
)
from guichet.network.services.decisions import (
    application_put_to_decision,
    charter_put_to_decision,
)
from guichet.network.tests.deciding import decided
from guichet.network.tests.factories import MembershipFactory

AWAITING = "opale-conseil"


def admission_of(slug: str) -> Application:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION)


def awaiting(kind: str, slug: str, demo: dict[str, Any], motivation: str = "") -> Application:
    """An application of that kind whose evaluations are complete, for a member organisation."""
    application = application_submit(
        organisation=Organisation.objects.get(slug=slug),
        by=demo["coordinator"],
        kind=kind,
        motivation=motivation,
    )
    for _ in range(3):
        membership = MembershipFactory.create(organisation__is_member=True)
        assignment = evaluator_assign(
            application=application,
            evaluator=membership.person,
            organisation=membership.organisation,
            by=demo["coordinator"],
        )
        values = application.charter.values.all()
        evaluation_submit(
            assignment=assignment,
            ratings={v.pk: ("does_not", "Manquements constatés.") for v in values},
            by=membership.person,
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DECISION
    return application


def site_language(message: str, **values: Any) -> str:
    """A message as the proposals and the decisions write it: in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message) % values if values else gettext(message)


def in_directory(name: str) -> bool:
    """The public directory finds the organisation by its name."""
    response = Client().get(reverse("network:directory"), {"q": name})
    return name in {organisation.name for organisation in response.context["page"]}


# The effects are registered when the apps start.


def test_the_network_s_decisions_have_their_effects_registered() -> None:
    assert {
        ProposalKind.ADMISSION,
        ProposalKind.EXCLUSION,
        ProposalKind.CHARTER_CHANGE,
    } <= effects.registered_kinds()


# Putting an application to the associates' decision.


def test_an_application_put_to_decision_opens_a_proposal_that_sums_up_its_evaluations(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)

    with django_capture_on_commit_callbacks(execute=True):
        proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    application.refresh_from_db()
    assert application.proposal == proposal
    assert application.status == ApplicationStatus.AWAITING_DECISION
    assert proposal.kind == ProposalKind.ADMISSION
    assert proposal.status == ProposalStatus.DISCUSSION
    assert proposal.author == demo["coordinator"]
    assert proposal.subject == f"application:{application.pk}"
    # In the site's language (French), whatever the language of the page.
    assert proposal.title == site_language(
        "Admission of %(organisation)s", organisation="Opale Conseil"
    )
    text = proposal.text
    with translation.override("fr"):
        values = [v.localized_title for v in application.charter.values.order_by("position")]
    for position, title in enumerate(values, start=1):
        assert f"### {position}. {markdown_line(title)}" in text
    assert _count_line(respects=3, partly=0, does_not=0) in text
    assert reverse("network:application", args=[application.pk]) in text
    # The text is published in the decision log once decided: who evaluated, and what each
    # wrote for their peers and the coordinators, stay out of it.
    assert "Engagement visible dans ses projets." not in text
    for assignment in application.assignments.select_related("evaluator"):
        assert assignment.evaluator.full_name not in text
    assert AuditEntry.objects.filter(
        action="application.put_to_decision", object_id=str(application.pk)
    ).exists()
    # The associates are told a proposal is open.
    assert any(proposal.reference in email.body for email in mail.outbox)


def test_the_proposal_counts_each_rating_value_by_value(demo: dict[str, Any]) -> None:
    application = awaiting(ApplicationKind.EXCLUSION, "cartolibre", demo, "Manquements graves.")

    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    expected = _count_line(respects=0, partly=0, does_not=3)
    assert proposal.kind == ProposalKind.EXCLUSION
    assert proposal.text.count(expected) == application.charter.values.count()
    assert "> Manquements graves." in proposal.text  # the reason, quoted


def _count_line(*, respects: int, partly: int, does_not: int) -> str:
    """How the proposal counts one value's ratings, in the site's language."""
    counts = {"respects": respects, "partly": partly, "does_not": does_not}
    with translation.override(settings.LANGUAGE_CODE):
        labels = {value: str(label) for value, label in Rating.choices}
        return " · ".join(
            gettext("%(label)s: %(value)s") % {"label": labels[r], "value": counts[r]}
            for r in Rating.values
        )


def test_a_reevaluation_is_put_as_an_admission_decided_again(demo: dict[str, Any]) -> None:
    application = awaiting(ApplicationKind.REEVALUATION, "cartolibre", demo)

    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    assert proposal.kind == ProposalKind.ADMISSION
    assert proposal.title == site_language(
        "Periodic re-evaluation of %(organisation)s: does it stay a member?",
        organisation=application.organisation.name,
    )


def test_an_application_is_not_put_to_decision_before_its_evaluations_nor_twice(
    demo: dict[str, Any],
) -> None:
    evaluating = admission_of("numerique-solidaire-rennes")
    with pytest.raises(AdmissionError) as early:
        application_put_to_decision(application=evaluating, by=demo["coordinator"])
    application = admission_of(AWAITING)
    application_put_to_decision(application=application, by=demo["coordinator"])
    with pytest.raises(AdmissionError) as twice:
        application_put_to_decision(application=application, by=demo["coordinator"])

    assert early.value.code == "application_not_awaiting_decision"
    assert twice.value.code == "application_under_decision"
    assert Proposal.objects.filter(subject=f"application:{application.pk}").count() == 1


def test_a_withdrawn_decision_may_be_replaced_by_a_new_one(demo: dict[str, Any]) -> None:
    application = admission_of(AWAITING)
    first = application_put_to_decision(application=application, by=demo["coordinator"])
    proposal_withdraw(proposal=first, by=demo["coordinator"])

    second = application_put_to_decision(application=application, by=demo["coordinator"])

    application.refresh_from_db()
    assert second != first
    assert application.proposal == second


def test_evaluations_no_longer_change_once_the_associates_decide(demo: dict[str, Any]) -> None:
    application = admission_of(AWAITING)
    assignment = application.assignments.first()
    application_put_to_decision(application=application, by=demo["coordinator"])
    values = application.charter.values.all()

    with pytest.raises(AdmissionError) as refused:
        evaluation_submit(
            assignment=assignment,
            ratings={v.pk: ("does_not", "Changé d'avis.") for v in values},
            by=assignment.evaluator,
        )

    assert refused.value.code == "evaluation_under_decision"
    assert not assignment.ratings.filter(rating="does_not").exists()


# What the decision does to the application.


def test_an_adopted_admission_admits_the_organisation_and_lists_it_in_the_directory(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    assert not in_directory("Opale Conseil")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposal = decided(proposal)

    application.refresh_from_db()
    organisation = application.organisation
    assert proposal.status == ProposalStatus.ADOPTED
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decided_through == DecisionChannel.GOVERNANCE
    assert application.decision_reference == proposal.reference
    assert application.decided_by is None
    assert organisation.is_member
    assert organisation.next_evaluation_due is not None
    assert in_directory("Opale Conseil")
    # The rationale cites the decision, its outcome and its counts, in the site's language.
    size = len(proposal.rounds.get().electorate)
    assert (
        site_language(
            "Decided by the associates (decision %(reference)s): %(outcome)s.",
            reference=proposal.reference,
            outcome=site_language("adopted"),
        )
        in application.rationale
    )
    with translation.override(settings.LANGUAGE_CODE):
        consents = gettext("%(label)s: %(value)s") % {
            "label": str(PositionValue.CONSENT.label).lower(),
            "value": size,
        }
    assert consents in application.rationale
    # The decision keeps what it did.
    assert "Opale Conseil" in proposal.effect_applied
    # The organisation's managers are told, with the link to the public decision.
    log_entry = reverse("governance:log_entry", args=[proposal.reference])
    managers = set(
        organisation.memberships.filter(is_manager=True).values_list("person__email", flat=True)
    )
    told = [email for email in mail.outbox if set(email.to) <= managers and email.to]
    assert told
    assert all(log_entry in email.body for email in told)


def test_an_admission_not_adopted_rejects_the_application(demo: dict[str, Any]) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    proposal = decided(proposal, adopted=False)

    application.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_reference == proposal.reference
    assert (
        site_language(
            "Decided by the associates (decision %(reference)s): %(outcome)s.",
            reference=proposal.reference,
            outcome=site_language("not adopted"),
        )
        in application.rationale
    )
    assert site_language("A valid objection stood at the close.") in application.rationale
    assert not application.organisation.is_member
    assert not in_directory("Opale Conseil")


def test_an_adopted_exclusion_removes_the_member(demo: dict[str, Any]) -> None:
    application = awaiting(ApplicationKind.EXCLUSION, "cartolibre", demo, "Manquements graves.")
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    name = application.organisation.name
    assert in_directory(name)

    decided(proposal)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert not Organisation.objects.get(slug="cartolibre").is_member
    assert not in_directory(name)


def test_an_exclusion_not_adopted_keeps_the_member(demo: dict[str, Any]) -> None:
    application = awaiting(ApplicationKind.EXCLUSION, "cartolibre", demo, "Manquements graves.")
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    decided(proposal, adopted=False)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert Organisation.objects.get(slug="cartolibre").is_member


def test_an_adopted_reevaluation_keeps_the_member_and_sets_its_next_evaluation(
    demo: dict[str, Any],
) -> None:
    Organisation.objects.filter(slug="cartolibre").update(next_evaluation_due=None)
    application = awaiting(ApplicationKind.REEVALUATION, "cartolibre", demo)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    decided(proposal)

    organisation = Organisation.objects.get(slug="cartolibre")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert organisation.is_member
    assert organisation.next_evaluation_due is not None


def test_a_coordinator_withdrawing_the_application_withdraws_its_decision_too(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])

    application_withdraw(application=application, by=demo["coordinator"])

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_an_application_its_organisation_withdraws_while_the_associates_decide_is_left_alone(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    manager = application.organisation.memberships.filter(is_manager=True).first()
    assert manager is not None
    application_withdraw_by_applicant(application=application, by=manager.person)

    proposal = decided(proposal)

    application.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED  # the round closed all the same
    assert application.status == ApplicationStatus.WITHDRAWN
    assert not application.organisation.is_member
    assert "Opale Conseil" in proposal.effect_applied


def test_an_admission_proposal_linked_to_no_application_does_nothing(
    demo: dict[str, Any],
) -> None:
    proposal = proposal_open(
        by=demo["coordinator"],
        title="Admettre qui le souhaite",
        text="Un principe général.",
        kind=ProposalKind.ADMISSION,
    )

    proposal = decided(proposal)

    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.effect_applied == ""


# The charter.


@pytest.fixture
def draft(demo: dict[str, Any]) -> Charter:
    charter = charter_draft_start(by=demo["coordinator"])
    values = [(v.title, v.title_en, v.text, v.text_en) for v in charter.values.order_by("position")]
    values[0] = (values[0][0], "Free software, first", values[0][2], values[0][3])
    values.append(("Sobriété", "Sobriety", "Nous *sobres*.", "We are sober."))
    return charter_draft_update(
        charter=charter, values=values, preamble="Préambule.", by=demo["coordinator"]
    )


def test_a_charter_draft_put_to_decision_opens_a_proposal_with_its_text_in_both_languages(
    demo: dict[str, Any], draft: Charter
) -> None:
    proposal = charter_put_to_decision(charter=draft, by=demo["coordinator"])

    draft.refresh_from_db()
    assert draft.proposal == proposal
    assert draft.published_at is None
    assert proposal.kind == ProposalKind.CHARTER_CHANGE
    assert str(draft.version) in proposal.title
    for value in draft.values.all():
        assert markdown_line(value.title) in proposal.text
        assert markdown_line(value.title_en) in proposal.text
    # What changes from the current version, value by value.
    assert "Sobriété" in proposal.text
    current = current_charter()
    assert current is not None
    first = current.values.order_by("position").first()
    assert first is not None
    assert first.title in proposal.text.split("## ")[1]  # among the changed values
    # Typed text keeps its marks as typed: no emphasis slipped in.
    assert "<em>" not in render(proposal.text)


def test_a_draft_under_decision_is_neither_changed_nor_discarded_nor_put_twice(
    demo: dict[str, Any], draft: Charter
) -> None:
    charter_put_to_decision(charter=draft, by=demo["coordinator"])
    values = [(v.title, v.title_en, v.text, v.text_en) for v in draft.values.all()]

    for attempt in (
        lambda: charter_draft_update(charter=draft, values=values, preamble="Autre."),
        lambda: charter_draft_discard(charter=draft),
        lambda: charter_put_to_decision(charter=draft, by=demo["coordinator"]),
        lambda: charter_publish(charter=draft, decision_reference="AG 2026"),
    ):
        with pytest.raises(CharterError) as refused:
            attempt()
        assert refused.value.code == "charter_under_decision"
    draft.refresh_from_db()
    assert draft.preamble == "Préambule."
    assert draft.published_at is None


def test_an_adopted_charter_change_publishes_the_version_with_the_decision_reference(
    demo: dict[str, Any], draft: Charter, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = charter_put_to_decision(charter=draft, by=demo["coordinator"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposal = decided(proposal)

    draft.refresh_from_db()
    assert current_charter() == draft
    assert draft.decision_reference == proposal.reference
    assert str(draft.version) in proposal.effect_applied
    # Every member organisation's managers are asked to sign it.
    assert any(str(draft.version) in email.subject for email in mail.outbox)


def test_a_charter_change_not_adopted_leaves_the_draft_free_to_change(
    demo: dict[str, Any], draft: Charter
) -> None:
    before = current_charter()
    proposal = charter_put_to_decision(charter=draft, by=demo["coordinator"])

    proposal = decided(proposal, adopted=False)

    draft.refresh_from_db()
    assert current_charter() == before
    assert draft.published_at is None
    assert draft.proposal == proposal
    values = [(v.title, v.title_en, v.text, v.text_en) for v in draft.values.all()]
    charter_draft_update(charter=draft, values=values, preamble="Revu.")
    again = charter_put_to_decision(charter=draft, by=demo["coordinator"])
    draft.refresh_from_db()
    assert draft.proposal == again


# Typed text in Markdown.


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("[un lien](https://exemple.org)", "[un lien](https://exemple.org)"),
        ("# Pas un titre", "# Pas un titre"),
        ("- pas une liste", "- pas une liste"),
        ("1. pas une liste", "1. pas une liste"),
        ("*pas* en _italique_", "*pas* en _italique_"),
        ("<b>pas du HTML</b>", "&lt;b&gt;pas du HTML&lt;/b&gt;"),
    ],
)
def test_typed_text_reads_as_typed_in_the_proposal(typed: str, shown: str) -> None:
    html = render(markdown_text(f"Avant.\n\n{typed}\nensuite"))

    assert shown in html
    for tag in ("<a ", "<h1>", "<li>", "<em>", "<b>"):
        assert tag not in html


def test_a_motivation_is_quoted_line_by_line() -> None:
    html = render(markdown_text("Première ligne\nDeuxième ligne\n\nAutre paragraphe", quote=True))

    assert html.count("<blockquote>") == 1
    assert "Première ligne<br />" in html
    assert "<p>Autre paragraphe</p>" in html
