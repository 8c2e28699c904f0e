"""Admission by peers: apply, assign evaluators, evaluate value by value, decide.

Re-evaluation and exclusion take the same path. Once the evaluations are complete, a
coordinator puts the application to the associates' decision (services/decisions.py); when
the decision closes, its effect (network/decisions.py) calls
`application_decide(..., through=GOVERNANCE, reference=…)`. While the associates decide,
the evaluations they read can no longer change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.governance.models import OPEN_STATUSES as PROPOSAL_OPEN_STATUSES
from guichet.governance.models import Proposal
from guichet.governance.services.common import may_steer
from guichet.governance.services.proposals import proposal_withdraw
from guichet.network import notifications
from guichet.network.domain import admission as rules
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    DecisionChannel,
    EvaluatorAssignment,
    Membership,
    Organisation,
    Rating,
    ValueRating,
)
from guichet.network.services.charter import CharterError, charter_sign, current_charter

OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.EVALUATING,
    ApplicationStatus.AWAITING_DECISION,
)


class AdmissionError(CodedError):
    """An admission step that cannot be done; `code` keys a translated message."""


def application_under_decision(application: Application) -> bool:
    """The application is before the associates: its proposal is in discussion or voting."""
    if application.proposal_id is None:
        return False
    return Proposal.objects.filter(
        pk=application.proposal_id, status__in=PROPOSAL_OPEN_STATUSES
    ).exists()


def application_submit(
    *,
    organisation: Organisation,
    by: Any,
    kind: str = ApplicationKind.ADMISSION,
    motivation: str = "",
) -> Application:
    """Open an application. An admission signs the current charter on the way."""
    charter = current_charter()
    if charter is None:
        raise AdmissionError("no_published_charter")
    if kind == ApplicationKind.ADMISSION and organisation.is_member:
        raise AdmissionError("already_member")
    if kind != ApplicationKind.ADMISSION and not organisation.is_member:
        raise AdmissionError("not_a_member")
    with transaction.atomic():
        if Application.objects.filter(
            organisation=organisation, kind=kind, status__in=OPEN_STATUSES
        ).exists():
            raise AdmissionError("application_already_open")
        if kind == ApplicationKind.ADMISSION:
            try:
                charter_sign(organisation=organisation, by=by, charter=charter)
            except CharterError as error:
                raise AdmissionError(error.code) from error
        application = Application.objects.create(
            organisation=organisation,
            kind=kind,
            charter=charter,
            motivation=motivation.strip(),
            submitted_by=by,
        )
        audit_record(
            action=f"application.{kind}", actor=by, target=application, data={"kind": kind}
        )
    return application


def evaluator_assign(
    *, application: Application, evaluator: Any, organisation: Organisation, by: Any
) -> EvaluatorAssignment:
    """Ask a member to evaluate, for their organisation; the rules say who may.

    The evaluator is emailed a link to their evaluation once the assignment is committed.
    """
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.EVALUATING):
        raise AdmissionError("application_not_open_for_evaluation")
    evaluator_organisations = list(
        Membership.objects.filter(person=evaluator).values_list("organisation_id", flat=True)
    )
    with transaction.atomic():
        refusal = rules.evaluator_refusal(
            applicant_organisation=application.organisation_id,
            evaluator_organisation=organisation.pk,
            evaluator_organisations=evaluator_organisations,
            evaluator_is_in_organisation=organisation.pk in evaluator_organisations,
            evaluator_organisation_is_member=organisation.is_member,
            already_assigned_organisations=application.assignments.values_list(
                "evaluator_organisation_id", flat=True
            ),
        )
        if refusal is not None:
            raise AdmissionError(refusal.code)
        assignment = EvaluatorAssignment.objects.create(
            application=application,
            evaluator=evaluator,
            evaluator_organisation=organisation,
            assigned_by=by,
        )
        if application.status == ApplicationStatus.SUBMITTED:
            application.status = ApplicationStatus.EVALUATING
            application.save(update_fields=["status"])
        audit_record(
            action="application.assign_evaluator",
            actor=by,
            target=application,
            data={"evaluator": evaluator.pk, "organisation": organisation.pk},
        )
        notifications.evaluator_assigned(assignment)
    return assignment


def evaluation_submit(
    *, assignment: EvaluatorAssignment, ratings: dict[int, tuple[str, str]], by: Any
) -> EvaluatorAssignment:
    """Rate every value of the application's charter: {value id: (rating, comment)}.

    The evaluation may be sent again to change it until the application is put to the
    associates' decision (sent again unchanged, it changes nothing, not even its date). Once
    enough evaluations are complete, the application awaits it.
    """
    application = assignment.application
    if by.pk != assignment.evaluator_id:
        raise AdmissionError("not_your_evaluation")
    if application.status not in (
        ApplicationStatus.EVALUATING,
        ApplicationStatus.AWAITING_DECISION,
    ):
        raise AdmissionError("application_not_open_for_evaluation")
    if application_under_decision(application):
        raise AdmissionError("evaluation_under_decision")
    values = list(application.charter.values.order_by("position").values_list("id", flat=True))
    if rules.missing_values(ratings.keys(), values):
        raise AdmissionError("every_value_needs_a_rating")
    unknown = set(ratings) - set(values)
    if unknown or any(rating not in Rating.values for rating, _ in ratings.values()):
        raise AdmissionError("invalid_rating")
    saved = {r.value_id: (r.rating, r.comment) for r in assignment.ratings.all()}
    wanted = {
        value_id: (rating, comment.strip()) for value_id, (rating, comment) in ratings.items()
    }
    if assignment.completed_at is not None and saved == wanted:
        return assignment
    with transaction.atomic():
        for value_id, (rating, comment) in ratings.items():
            ValueRating.objects.update_or_create(
                assignment=assignment,
                value_id=value_id,
                defaults={"rating": rating, "comment": comment.strip()},
            )
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
        completed = application.assignments.filter(completed_at__isnull=False).count()
        if application.status == ApplicationStatus.EVALUATING and rules.ready_for_decision(
            completed, settings.GUICHET_MIN_EVALUATORS
        ):
            application.status = ApplicationStatus.AWAITING_DECISION
            application.save(update_fields=["status"])
        audit_record(action="application.evaluate", actor=by, target=application)
    return assignment


def application_decide(
    *,
    application: Application,
    accepted: bool,
    rationale: str,
    by: Any,
    through: str = DecisionChannel.COORDINATOR,
    reference: str = "",
) -> Application:
    """Record the decision and apply it to the organisation; the rationale is mandatory.

    The associates' decision calls it when it closes (network/decisions.py), `by` None and
    `through` GOVERNANCE with the decision's reference. The organisation's managers (and,
    for an admission, the person who applied) are emailed the outcome, its rationale and a
    link to the application once the decision is committed.
    """
    if application.status != ApplicationStatus.AWAITING_DECISION:
        raise AdmissionError("application_not_awaiting_decision")
    if not rationale.strip():
        raise AdmissionError("rationale_required")
    now = timezone.now()
    organisation = application.organisation
    with transaction.atomic():
        application.status = ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.REJECTED
        application.rationale = rationale.strip()
        application.decided_at = now
        application.decided_by = by
        application.decided_through = through
        application.decision_reference = reference
        application.save()
        due = rules.next_evaluation_due(now.date(), settings.GUICHET_REEVALUATION_DAYS)
        if application.kind == ApplicationKind.EXCLUSION:
            if accepted:
                organisation.is_member = False
                organisation.next_evaluation_due = None
        elif accepted:
            organisation.is_member = True
            organisation.admitted_at = organisation.admitted_at or now
            organisation.next_evaluation_due = due
        elif application.kind == ApplicationKind.REEVALUATION:
            # A failed re-evaluation does not exclude by itself: exclusion is its own decision.
            organisation.next_evaluation_due = due
        organisation.save(
            update_fields=["is_member", "admitted_at", "next_evaluation_due", "updated_at"]
        )
        audit_record(
            action="application.decide",
            actor=by,
            target=application,
            data={"accepted": accepted, "through": through, "reference": reference},
        )
        notifications.decision_made(application)
    return application


def application_withdraw(*, application: Application, by: Any) -> Application:
    """Close an open application without a decision (coordinators, for any kind).

    A coordinator withdrawing it withdraws the associates' decision on it too, if one is
    open: it would decide nothing. The organisation withdrawing its own application cannot
    withdraw the associates' proposal; its outcome then applies nothing (network/decisions.py).
    """
    if application.status not in OPEN_STATUSES:
        raise AdmissionError("application_not_open")
    with transaction.atomic():
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status"])
        audit_record(action="application.withdraw", actor=by, target=application)
        proposal = application.proposal
        if (
            proposal is not None
            and application_under_decision(application)
            and may_steer(proposal, by)
        ):
            proposal_withdraw(proposal=proposal, by=by)
    return application


def application_withdraw_by_applicant(*, application: Application, by: Any) -> Application:
    """The organisation withdraws its own application, through one of its managers.

    Only an admission: a re-evaluation or an exclusion concerns the network as a whole, so the
    organisation under review cannot end it; only coordinators (or the decision) close it.
    """
    refusal = applicant_withdrawal_refusal(application=application, by=by)
    if refusal is not None:
        raise AdmissionError(refusal.code)
    return application_withdraw(application=application, by=by)


def applicant_withdrawal_refusal(*, application: Application, by: Any) -> rules.Refusal | None:
    """Why `by` cannot withdraw this application for its organisation now, or None."""
    return rules.applicant_withdrawal_refusal(
        is_admission=application.kind == ApplicationKind.ADMISSION,
        is_open=application.status in OPEN_STATUSES,
        by_manager=Membership.objects.filter(
            organisation=application.organisation_id, person=by, is_manager=True
        ).exists(),
    )


def reevaluations_open_due(*, today: date, by: Any = None) -> list[Application]:
    """Open a re-evaluation for every member whose evaluation is due; safe to run daily.

    A member that already has one open, or that has no due date, is left alone.
    """
    # Exists, not exclude() across the relation: exclude() would also skip a member with a
    # closed re-evaluation and any other open procedure (an exclusion, say).
    open_reevaluation = Application.objects.filter(
        organisation=OuterRef("pk"),
        kind=ApplicationKind.REEVALUATION,
        status__in=OPEN_STATUSES,
    )
    due = Organisation.objects.filter(
        is_member=True, next_evaluation_due__isnull=False, next_evaluation_due__lte=today
    ).exclude(Exists(open_reevaluation))
    return [
        application_submit(
            organisation=organisation,
            by=by,
            kind=ApplicationKind.REEVALUATION,
            motivation="",
        )
        for organisation in due.order_by("next_evaluation_due", "name")
    ]
