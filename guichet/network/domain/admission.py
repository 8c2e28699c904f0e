"""Admission by peers, as pure rules: who may evaluate, when evaluations are complete,
and what the ratings say value by value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MIN_EVALUATORS = 3
RATINGS = ("respects", "partly", "does_not")


@dataclass(frozen=True)
class Refusal:
    """Why a step is refused (an evaluator, a withdrawal); `code` keys a translated message."""

    code: str


def evaluator_refusal(
    *,
    applicant_organisation: int,
    evaluator_organisation: int,
    evaluator_organisations: Iterable[int],
    evaluator_is_in_organisation: bool,
    evaluator_organisation_is_member: bool,
    already_assigned_organisations: Iterable[int],
) -> Refusal | None:
    """None when the assignment is fair, else the first reason it is not.

    An evaluator never comes from the applicant (not even through a second organisation),
    speaks for an admitted member organisation they belong to, and no organisation
    evaluates the same application twice.
    """
    if applicant_organisation in set(evaluator_organisations):
        return Refusal("evaluator_from_applicant")
    if evaluator_organisation == applicant_organisation:
        return Refusal("evaluator_from_applicant")
    if not evaluator_is_in_organisation:
        return Refusal("evaluator_not_in_organisation")
    if not evaluator_organisation_is_member:
        return Refusal("organisation_not_member")
    if evaluator_organisation in set(already_assigned_organisations):
        return Refusal("organisation_already_evaluates")
    return None


def applicant_withdrawal_refusal(
    *, is_admission: bool, is_open: bool, by_manager: bool
) -> Refusal | None:
    """None when an organisation may withdraw its own application, else why not.

    Only an admission, while it is open, by a manager of the organisation: a re-evaluation or
    an exclusion concerns the whole network, so the organisation under review cannot end it.
    """
    if not is_admission:
        return Refusal("withdrawal_only_for_admission")
    if not is_open:
        return Refusal("application_not_open")
    if not by_manager:
        return Refusal("withdrawal_not_a_manager")
    return None


def missing_values(rated: Iterable[int], values: Iterable[int]) -> list[int]:
    """The charter values an evaluation has not rated yet, in charter order."""
    done = set(rated)
    return [value for value in values if value not in done]


def ready_for_decision(completed_assignments: int, minimum: int = MIN_EVALUATORS) -> bool:
    """Enough evaluators have rated every value."""
    return completed_assignments >= minimum


@dataclass(frozen=True)
class ValueSummary:
    value: int
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarise(ratings: Iterable[tuple[int, str]], values: Sequence[int]) -> list[ValueSummary]:
    """Counts of each rating per value (every value listed, even unrated)."""
    counts: dict[int, Counter[str]] = {value: Counter() for value in values}
    for value, rating in ratings:
        if value in counts:
            counts[value][rating] += 1
    return [
        ValueSummary(value, {rating: counts[value][rating] for rating in RATINGS})
        for value in values
    ]


def next_evaluation_due(decided_on: date, period_days: int) -> date:
    """When an admitted or re-evaluated member is next evaluated."""
    return decided_on + timedelta(days=period_days)
