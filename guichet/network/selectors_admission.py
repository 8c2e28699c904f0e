"""Reads of admission by peers: who may see which application, and the evaluations summed up.

Each selector says what it loads with it. An applicant's queryset never carries evaluators
nor ratings: the pages built on it cannot show them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from guichet.governance.models import OPEN_STATUSES as PROPOSAL_OPEN_STATUSES
from guichet.network.domain import admission as rules
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CharterValue,
    EvaluatorAssignment,
    Organisation,
    OrganisationKind,
    SoftwareLink,
    ValueRating,
)
from guichet.network.services.admission import OPEN_STATUSES

EVALUATION_OPEN = ("evaluating", "awaiting_decision")


def _with_counts(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.annotate(
        evaluators=Count("assignments", distinct=True),
        evaluations_done=Count(
            "assignments", filter=Q(assignments__completed_at__isnull=False), distinct=True
        ),
    )


def applications_of_person(person: Any) -> QuerySet[Application]:
    """Applications of the organisations a person belongs to, with the organisation, the
    charter, the associates' decision it is put to, and how many evaluations are assigned
    and done (counts only)."""
    if not getattr(person, "is_authenticated", False):
        return Application.objects.none()
    return _with_counts(
        Application.objects.filter(organisation__memberships__person=person).select_related(
            "organisation", "charter", "proposal"
        )
    )


def applications_count(*, status: str) -> int:
    """How many applications are in `status` (one query); awaiting a decision, only those
    not yet put to the associates (the coordinators' part)."""
    found = Application.objects.filter(status=status)
    if status == ApplicationStatus.AWAITING_DECISION:
        found = found.exclude(proposal__status__in=PROPOSAL_OPEN_STATUSES)
    return found.count()


def organisations_that_may_apply(person: Any) -> QuerySet[Organisation]:
    """Organisations the person manages that could apply now: not members, not public bodies,
    with no admission already in progress."""
    open_admission = Application.objects.filter(
        organisation=OuterRef("pk"), kind=ApplicationKind.ADMISSION, status__in=OPEN_STATUSES
    )
    return (
        Organisation.objects.filter(
            memberships__person=person, memberships__is_manager=True, is_member=False
        )
        .exclude(kind=OrganisationKind.PUBLIC_BODY)
        .exclude(Exists(open_admission))
        .order_by("name")
    )


def applications_for_coordination(*, status: str = "", kind: str = "") -> QuerySet[Application]:
    """Every application, newest first, with its organisation and its evaluation counts."""
    found = Application.objects.select_related("organisation")
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return _with_counts(found).order_by("-submitted_at")


def members_due_for_reevaluation(*, today: date, within_days: int = 60) -> QuerySet[Organisation]:
    """Member organisations whose next evaluation is past or due within `within_days`,
    soonest first, each with `open_reevaluation`: the id of its re-evaluation in progress,
    or None. One query for a page, whatever the number of members.
    """
    return (
        Organisation.objects.filter(
            is_member=True,
            next_evaluation_due__isnull=False,
            next_evaluation_due__lte=today + timedelta(days=within_days),
        )
        .annotate(
            open_reevaluation=Subquery(
                _open_reevaluation().order_by("-submitted_at").values("pk")[:1]
            )
        )
        .order_by("next_evaluation_due", "name", "pk")
    )


def reevaluations_to_open_count(*, today: date) -> int:
    """How many members are due by `today` with no re-evaluation in progress: what
    `reevaluations_open_due(today=today)` would open."""
    return (
        Organisation.objects.filter(is_member=True, next_evaluation_due__lte=today)
        .exclude(Exists(_open_reevaluation()))
        .count()
    )


def _open_reevaluation() -> QuerySet[Application]:
    """The re-evaluations in progress of the organisation of the outer query."""
    return Application.objects.filter(
        organisation=OuterRef("pk"),
        kind=ApplicationKind.REEVALUATION,
        status__in=OPEN_STATUSES,
    )


def application_with_organisation(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What an application page shows of the organisation (its place and its software), and
    the associates' decision it is put to."""
    return applications.select_related(
        "organisation__commune__department", "charter", "decided_by", "proposal"
    ).prefetch_related(
        Prefetch(
            "organisation__software_links",
            queryset=SoftwareLink.objects.select_related("software").order_by("software__name"),
        )
    )


def assignments_of_evaluator(person: Any) -> QuerySet[EvaluatorAssignment]:
    """The evaluations asked of a person, with the application and its organisation."""
    if not getattr(person, "is_authenticated", False):
        return EvaluatorAssignment.objects.none()
    return EvaluatorAssignment.objects.filter(evaluator=person).select_related(
        "application__organisation", "application__charter", "evaluator_organisation"
    )


def open_assignments_of_evaluator(person: Any) -> QuerySet[EvaluatorAssignment]:
    """Evaluations that can still be given or changed: the application is neither decided
    nor before the associates' decision."""
    return (
        assignments_of_evaluator(person)
        .filter(application__status__in=EVALUATION_OPEN)
        .exclude(application__proposal__status__in=PROPOSAL_OPEN_STATUSES)
    )


@dataclass
class ValueRow:
    """One charter value in the coordinators' summary: counts, and each evaluator's word."""

    value: CharterValue
    counts: dict[str, int]
    comments: list[ValueRating] = field(default_factory=list)


def evaluation_summary(
    application: Application,
) -> tuple[list[EvaluatorAssignment], list[ValueRow]]:
    """The assignments (evaluator, organisation, done or not), and the ratings value by value.

    Three queries whatever the number of evaluators: assignments, values, ratings.
    """
    assignments = list(
        application.assignments.select_related("evaluator", "evaluator_organisation").order_by(
            "assigned_at"
        )
    )
    values = list(application.charter.values.order_by("position"))
    ratings = list(
        ValueRating.objects.filter(assignment__application=application)
        .select_related("assignment__evaluator_organisation")
        .order_by("assignment__assigned_at")
    )
    summary = rules.summarise([(r.value_id, r.rating) for r in ratings], [v.pk for v in values])
    rows = {v.pk: ValueRow(v, dict(s.counts)) for v, s in zip(values, summary, strict=True)}
    for rating in ratings:
        if rating.value_id in rows:
            rows[rating.value_id].comments.append(rating)
    return assignments, list(rows.values())
