"""Committed days: how much of a member's monthly capacity its missions already take over a
lot's period, as pure rules.

A commitment is work a member has agreed to and not delivered yet: its share of a planned or
running mission (agreed days less those delivered), or a lot a client chose it for that no
mission follows yet. Its remaining days are spread evenly over what remains of its period:
from today (or its start, when later) to its planned end. A period without an end lasts as
long as a lot without dates is assumed to (the rules' `default_lot_months`); a planned end
already passed (a late mission) leaves the remaining days due within the coming month.

For a lot, a member's committed days a month are the days of its commitments that fall within
the lot's period, divided by that period in months. The capacity component then counts only
what is left of the member's declared capacity (domain/matching.py).

Days are proleptic ordinals (`date.toordinal()`), periods half-open: [first, last).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# The mean length of a month in days, as the lot's months are counted (selectors_matching).
DAYS_PER_MONTH = 30.4
# A late commitment's remaining days are due within this many days from today.
LATE_DAYS = 30


@dataclass(frozen=True)
class Commitment:
    """Person-days a member still has to do over a period."""

    organisation: int
    days: float
    first: int  # first day (ordinal)
    last: int  # the day after the last one (ordinal); always after `first`


def default_days(default_lot_months: float) -> int:
    """How many days a period without an end lasts."""
    return max(1, round(default_lot_months * DAYS_PER_MONTH))


def remaining_days(agreed: float, delivered: float) -> float:
    """What is left to do of the agreed days: never negative."""
    return max(0.0, agreed - delivered)


def commitment_period(
    *, starts: date | None, ends: date | None, recorded: date, today: date, length: int
) -> tuple[int, int]:
    """What remains of a commitment's period: from today (or its start, when later; its
    recording day when it has none) to its planned end (`length` days after its start when
    it has none); a planned end already passed gives the coming `LATE_DAYS` days."""
    start = starts or recorded
    end = ends if ends is not None and ends > start else start + timedelta(days=length)
    first = max(start, today)
    if end <= first:
        end = first + timedelta(days=LATE_DAYS)
    return first.toordinal(), end.toordinal()


def lot_period(
    *, starts: date | None, deadline: date | None, today: date, length: int
) -> tuple[int, int]:
    """The period a lot's work takes: from its start (today when it has none) to its
    deadline (`length` days after its start when it has none or it comes first)."""
    start = starts or today
    end = deadline if deadline is not None and deadline > start else start + timedelta(days=length)
    return start.toordinal(), end.toordinal()


def chosen_lot_still_ahead(
    *, deadline: date | None, chosen: date, today: date, length: int
) -> bool:
    """Whether a lot chosen without a mission following it still commits its provider: not
    once its deadline (or, without one, `length` days after the choice) has passed — the
    work is then taken as done outside the guichet."""
    end = deadline if deadline is not None else chosen + timedelta(days=length)
    return end >= today


def committed_per_month(
    commitments: Iterable[Commitment], period: tuple[int, int]
) -> dict[int, float]:
    """Each committed member's days a month taken over the period: the share of each
    commitment's days falling within it, summed in the order given, over the period's
    months. Members without any commitment there are left out (zero)."""
    first, last = period
    if last <= first:
        return {}
    totals: dict[int, float] = {}
    for commitment in commitments:
        overlap = min(commitment.last, last) - max(commitment.first, first)
        if overlap <= 0:
            continue
        share = commitment.days * overlap / (commitment.last - commitment.first)
        totals[commitment.organisation] = totals.get(commitment.organisation, 0.0) + share
    return {
        organisation: total * DAYS_PER_MONTH / (last - first)
        for organisation, total in totals.items()
    }
