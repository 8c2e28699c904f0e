"""Emails of admission by peers: the evaluator is asked, the organisation learns the decision.

Emails leave through the background task once the transaction commits; tests run tasks at
once, and run the commit callbacks with `django_capture_on_commit_callbacks(execute=True)`.
The demo is loaded: Numérique Solidaire Rennes is being evaluated, Opale Conseil awaits its
decision.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.accounts.tests.factories import UserFactory
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Membership,
    Organisation,
)
from guichet.network.notifications import OUTCOMES
from guichet.network.services.admission import application_decide, evaluator_assign
from guichet.network.services.decisions import application_put_to_decision
from guichet.network.tests.deciding import decided

CANDIDATE = "numerique-solidaire-rennes"
AWAITING = "opale-conseil"
BASE = "https://guichet.example.org"
RATIONALE = "La valeur « rendre aux communs » manque encore d'exemples concrets."


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.GUICHET_BASE_URL = BASE


def admission_of(slug: str) -> Application:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION)


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def free_evaluator() -> Membership:
    """A person of a member organisation not yet evaluating the candidate."""
    membership = Membership.objects.filter(organisation__slug="nuage-citoyen").first()
    assert membership is not None
    return membership


def outcome(kind: str, accepted: bool, organisation: str) -> str:
    """The outcome sentence as the email says it, in the site's language (French)."""
    with translation.override("fr"):
        return OUTCOMES[(ApplicationKind(kind), accepted)] % {"organisation": organisation}


def managers_of(slug: str) -> set[str]:
    return set(
        Membership.objects.filter(organisation__slug=slug, is_manager=True).values_list(
            "person__email", flat=True
        )
    )


# The evaluator is asked.


def test_the_assigned_evaluator_gets_an_email_with_the_link_to_their_evaluation(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(CANDIDATE)
    membership = free_evaluator()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_person(demo["coordinator"]).post(
            reverse("network:coordination_assign", args=[application.pk]),
            {"membership": membership.pk},
        )

    assert response.status_code == 302
    assignment = application.assignments.get(evaluator_organisation=membership.organisation)
    (email,) = mail.outbox
    assert email.to == [membership.person.email]
    assert application.organisation.name in email.subject
    assert "\n" not in email.subject
    assert f"{BASE}/adhesion/evaluations/{assignment.pk}/" in email.body
    assert membership.organisation.name in email.body  # on whose behalf they evaluate


def test_the_email_is_in_the_site_language_whatever_the_coordinator_s_page_language(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(CANDIDATE)
    membership = free_evaluator()

    with django_capture_on_commit_callbacks(execute=True):
        as_person(demo["coordinator"]).post(
            f"/en{reverse('network:coordination_assign', args=[application.pk])}",
            {"membership": membership.pk},
        )

    (email,) = mail.outbox
    assignment = application.assignments.get(evaluator_organisation=membership.organisation)
    # The link leads to the French page (no /en/ prefix): the recipient's language is not
    # the coordinator's, and people have no language of their own yet.
    assert f"{BASE}/adhesion/evaluations/{assignment.pk}/" in email.body
    assert "/en/" not in email.body


def test_no_email_leaves_before_the_assignment_is_committed_nor_if_it_is_rolled_back(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(CANDIDATE)
    membership = free_evaluator()

    def assign_then_fail() -> None:
        with transaction.atomic():
            evaluator_assign(
                application=application,
                evaluator=membership.person,
                organisation=membership.organisation,
                by=demo["coordinator"],
            )
            raise RuntimeError("something failed after the assignment")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        assign_then_fail()

    assert mail.outbox == []
    assert not application.assignments.filter(
        evaluator_organisation=membership.organisation
    ).exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evaluator_assign(
            application=application,
            evaluator=membership.person,
            organisation=membership.organisation,
            by=demo["coordinator"],
        )

    assert len(callbacks) == 1
    assert mail.outbox == []  # not until the commit


# The organisation learns the decision.


def test_a_rejection_is_emailed_to_each_manager_with_its_rationale_and_the_links(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)
    managers = managers_of(AWAITING)
    assert managers
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided(proposal, adopted=False)

    application.refresh_from_db()
    told = [email for email in mail.outbox if "Opale Conseil" in email.subject]
    assert {address for email in told for address in email.to} == managers
    assert all(len(email.to) == 1 for email in told)  # nobody sees another's address
    with translation.override("fr"):  # emails link to the pages in the site's language
        log_entry = reverse("governance:log_entry", args=[proposal.reference])
    for email in told:
        assert outcome("admission", False, "Opale Conseil") in email.body
        assert application.rationale in email.body  # as written: plain text, not escaped
        assert f"{BASE}/adhesion/{application.pk}/" in email.body
        assert f"{BASE}{log_entry}" in email.body


def test_an_admission_is_emailed_with_its_outcome(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided(proposal)

    told = [email for email in mail.outbox if "Opale Conseil" in email.subject]
    assert told
    for email in told:
        assert outcome("admission", True, "Opale Conseil") in email.body
        assert proposal.reference in email.body


def test_a_decision_recorded_by_hand_links_no_public_decision(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application, accepted=True, rationale=RATIONALE, by=demo["coordinator"]
        )

    assert mail.outbox
    assert all("/decisions/" not in email.body for email in mail.outbox)


def test_the_person_who_applied_is_told_even_without_managing_the_organisation(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)
    submitter = UserFactory.create()
    Membership.objects.create(
        person=submitter, organisation=application.organisation, is_manager=False
    )
    Application.objects.filter(pk=application.pk).update(submitted_by=submitter)
    application.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application, accepted=False, rationale=RATIONALE, by=demo["coordinator"]
        )

    assert {a for email in mail.outbox for a in email.to} == managers_of(AWAITING) | {
        submitter.email
    }


def test_an_erased_manager_gets_no_email(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    application = admission_of(AWAITING)
    manager = Membership.objects.filter(organisation__slug=AWAITING, is_manager=True).first()
    assert manager is not None
    manager.person.is_active = False
    manager.person.save(update_fields=["is_active"])

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application, accepted=False, rationale=RATIONALE, by=demo["coordinator"]
        )

    assert manager.person.email not in {a for email in mail.outbox for a in email.to}


def test_a_reevaluation_decision_goes_to_the_managers_not_to_the_coordinator_who_opened_it(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GUICHET_MIN_EVALUATORS = 1
    coordinator = demo["coordinator"]
    member = Organisation.objects.get(slug="cartolibre")
    reevaluation = Application.objects.create(
        organisation=member,
        kind=ApplicationKind.REEVALUATION,
        charter=admission_of(AWAITING).charter,
        submitted_by=coordinator,
        status=ApplicationStatus.AWAITING_DECISION,
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=reevaluation, accepted=False, rationale=RATIONALE, by=coordinator
        )

    recipients = {a for email in mail.outbox for a in email.to}
    assert recipients == managers_of("cartolibre")
    assert coordinator.email not in recipients
    expected = outcome("reevaluation", False, member.name)
    assert all(expected in email.body for email in mail.outbox)
