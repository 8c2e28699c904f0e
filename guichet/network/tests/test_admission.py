"""Admission by peers, through the services: apply, assign, evaluate, decide."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry
from guichet.network.models import (
    ApplicationKind,
    ApplicationStatus,
    Charter,
    CharterSignature,
    DecisionChannel,
    Organisation,
)
from guichet.network.services.admission import (
    AdmissionError,
    application_decide,
    application_submit,
    application_withdraw,
    evaluation_submit,
    evaluator_assign,
    reevaluations_open_due,
)
from guichet.network.services.charter import (
    CharterError,
    charter_draft,
    charter_publish,
    charter_sign,
    current_charter,
)
from guichet.network.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

VALUES = [
    ("Ouverture", "Openness", "Nous publions sous licence libre.", "We publish freely."),
    ("Coopération", "Cooperation", "Nous travaillons ensemble.", "We work together."),
]


@pytest.fixture
def charter():
    return charter_publish(charter=charter_draft(values=VALUES))


@pytest.fixture
def applicant():
    membership = MembershipFactory.create(
        organisation=OrganisationFactory.create(is_member=False), is_manager=True
    )
    return membership.organisation, membership.person


def evaluators(count):
    return [MembershipFactory.create() for _ in range(count)]


def rate_everything(assignment, rating="respects"):
    values = assignment.application.charter.values.all()
    ratings = {v.pk: (rating, f"Commentaire sur {v.title}") for v in values}
    return evaluation_submit(assignment=assignment, ratings=ratings, by=assignment.evaluator)


def test_the_current_charter_is_the_latest_published_version(charter):
    draft = charter_draft(values=VALUES)
    assert current_charter() == charter
    charter_publish(charter=draft)
    assert current_charter() == draft
    assert draft.version == charter.version + 1


def test_a_charter_needs_values_and_is_published_once(charter):
    with pytest.raises(CharterError):
        charter_draft(values=[])
    with pytest.raises(CharterError):
        charter_publish(charter=charter)


def test_applying_signs_the_current_charter_and_is_audited(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person, motivation=" Oui ")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.motivation == "Oui"
    assert CharterSignature.objects.filter(charter=charter, organisation=organisation).exists()
    assert AuditEntry.objects.filter(
        action="application.admission",
        actor_id=person.pk,
        object_type="network.application",
        object_id=str(application.pk),
    ).exists()


def test_an_organisation_cannot_apply_twice_at_once_nor_when_already_a_member(charter, applicant):
    organisation, person = applicant
    application_submit(organisation=organisation, by=person)
    with pytest.raises(AdmissionError) as error:
        application_submit(organisation=organisation, by=person)
    assert error.value.code == "application_already_open"
    member = OrganisationFactory.create(is_member=True)
    with pytest.raises(AdmissionError) as error:
        application_submit(organisation=member, by=person)
    assert error.value.code == "already_member"


def test_nobody_applies_before_a_charter_is_published(applicant):
    # The demo publishes a charter: take the network back to before any publication.
    Charter.objects.filter(published_at__isnull=False).update(published_at=None)
    organisation, person = applicant
    with pytest.raises(AdmissionError) as error:
        application_submit(organisation=organisation, by=person)
    assert error.value.code == "no_published_charter"


def test_an_evaluator_from_the_applicant_or_a_second_one_from_the_same_organisation_is_refused(
    charter, applicant
):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    inside = MembershipFactory.create(organisation=organisation)
    with pytest.raises(AdmissionError) as error:
        evaluator_assign(
            application=application, evaluator=inside.person, organisation=organisation, by=None
        )
    assert error.value.code == "evaluator_from_applicant"
    first = MembershipFactory.create()
    evaluator_assign(
        application=application, evaluator=first.person, organisation=first.organisation, by=None
    )
    colleague = MembershipFactory.create(organisation=first.organisation)
    with pytest.raises(AdmissionError) as error:
        evaluator_assign(
            application=application,
            evaluator=colleague.person,
            organisation=first.organisation,
            by=None,
        )
    assert error.value.code == "organisation_already_evaluates"


def test_an_evaluation_must_rate_every_value(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    evaluator = evaluators(1)[0]
    assignment = evaluator_assign(
        application=application,
        evaluator=evaluator.person,
        organisation=evaluator.organisation,
        by=None,
    )
    first_value = charter.values.first()
    with pytest.raises(AdmissionError) as error:
        evaluation_submit(
            assignment=assignment, ratings={first_value.pk: ("respects", "")}, by=evaluator.person
        )
    assert error.value.code == "every_value_needs_a_rating"
    assignment.refresh_from_db()
    assert assignment.completed_at is None


def test_only_the_assigned_evaluator_submits_the_evaluation(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    evaluator = evaluators(1)[0]
    assignment = evaluator_assign(
        application=application,
        evaluator=evaluator.person,
        organisation=evaluator.organisation,
        by=None,
    )
    ratings = {v.pk: ("respects", "") for v in charter.values.all()}
    with pytest.raises(AdmissionError) as error:
        evaluation_submit(assignment=assignment, ratings=ratings, by=person)
    assert error.value.code == "not_your_evaluation"


def test_three_complete_evaluations_bring_the_application_to_its_decision(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    assignments = [
        evaluator_assign(
            application=application, evaluator=m.person, organisation=m.organisation, by=None
        )
        for m in evaluators(3)
    ]
    rate_everything(assignments[0])
    rate_everything(assignments[1], "partly")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVALUATING
    rate_everything(assignments[2], "does_not")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DECISION


@override_settings(GUICHET_MIN_EVALUATORS=1)
def test_an_accepted_admission_makes_a_member_due_for_re_evaluation_in_a_year(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    evaluator = evaluators(1)[0]
    rate_everything(
        evaluator_assign(
            application=application,
            evaluator=evaluator.person,
            organisation=evaluator.organisation,
            by=None,
        )
    )
    application.refresh_from_db()
    with pytest.raises(AdmissionError) as error:
        application_decide(application=application, accepted=True, rationale="  ", by=None)
    assert error.value.code == "rationale_required"
    application_decide(
        application=application, accepted=True, rationale="Valeurs partagées.", by=None
    )
    organisation.refresh_from_db()
    assert organisation.is_member
    assert organisation.admitted_at is not None
    assert (organisation.next_evaluation_due - organisation.admitted_at.date()).days == 365
    assert application.decided_through == DecisionChannel.COORDINATOR
    assert audit_verify() is None


@override_settings(GUICHET_MIN_EVALUATORS=1)
def test_a_rejection_keeps_the_organisation_out_and_records_why(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    evaluator = evaluators(1)[0]
    rate_everything(
        evaluator_assign(
            application=application,
            evaluator=evaluator.person,
            organisation=evaluator.organisation,
            by=None,
        ),
        "does_not",
    )
    application.refresh_from_db()
    application_decide(application=application, accepted=False, rationale="Pas encore.", by=None)
    application.refresh_from_db()
    organisation.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.rationale == "Pas encore."
    assert not organisation.is_member


@override_settings(GUICHET_MIN_EVALUATORS=1)
def test_an_accepted_exclusion_removes_the_member_and_a_governance_decision_is_referenced(charter):
    member = OrganisationFactory.create(is_member=True)
    application = application_submit(
        organisation=member, by=None, kind=ApplicationKind.EXCLUSION, motivation="Manquements."
    )
    evaluator = evaluators(1)[0]
    rate_everything(
        evaluator_assign(
            application=application,
            evaluator=evaluator.person,
            organisation=evaluator.organisation,
            by=None,
        ),
        "does_not",
    )
    application.refresh_from_db()
    application_decide(
        application=application,
        accepted=True,
        rationale="Décision adoptée par consentement.",
        by=None,
        through=DecisionChannel.GOVERNANCE,
        reference="proposal:12",
    )
    assert not Organisation.objects.get(pk=member.pk).is_member
    application.refresh_from_db()
    assert application.decision_reference == "proposal:12"


def test_a_withdrawn_application_frees_the_way_for_a_new_one(charter, applicant):
    organisation, person = applicant
    application = application_submit(organisation=organisation, by=person)
    application_withdraw(application=application, by=person)
    assert application_submit(organisation=organisation, by=person).pk != application.pk


def test_signing_twice_keeps_one_signature(charter, applicant):
    organisation, person = applicant
    first = charter_sign(organisation=organisation, by=person)
    assert charter_sign(organisation=organisation, by=person).pk == first.pk


def test_members_due_for_re_evaluation_get_one_opened_once(charter):
    today = date(2027, 1, 15)
    due = OrganisationFactory.create(is_member=True, next_evaluation_due=today)
    later = OrganisationFactory.create(is_member=True, next_evaluation_due=today + timedelta(1))
    opened = reevaluations_open_due(today=today)
    assert due in [a.organisation for a in opened]
    assert later not in [a.organisation for a in opened]
    assert all(a.kind == ApplicationKind.REEVALUATION for a in opened)
    # Run again the same day: nothing more is opened.
    assert due not in [a.organisation for a in reevaluations_open_due(today=today)]
