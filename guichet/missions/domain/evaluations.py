"""Client evaluations, as pure rules: one evaluation's score, what may be published, and
when the client is reminded.

A client rates four things from 1 to 5 (quality, deadlines, communication, openness); the
evaluation's score is their mean. Publicly, a member shows only its mean and count, and
only from PUBLIC_MINIMUM evaluations on: below that, one client could be recognised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

CRITERIA = ("quality", "deadlines", "communication", "openness")
LOWEST, HIGHEST = 1, 5
PUBLIC_MINIMUM = 3
# Days after the evaluation was asked for, at which the client is reminded (once each).
REMINDER_DAYS = (7, 14)


def evaluation_score(ratings: Sequence[int]) -> Decimal:
    """The mean of one evaluation's ratings, to two decimals (ValueError if any is out of
    the 1 to 5 scale or one is missing)."""
    if len(ratings) != len(CRITERIA):
        raise ValueError("one rating per criterion")
    if any(not LOWEST <= int(rating) <= HIGHEST for rating in ratings):
        raise ValueError("ratings go from 1 to 5")
    mean = Decimal(sum(int(rating) for rating in ratings)) / Decimal(len(ratings))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Aggregate:
    """What may be shown of a member's evaluations: the mean (None when hidden) and count."""

    count: int
    mean: Decimal | None

    @property
    def shown(self) -> bool:
        return self.mean is not None


def public_aggregate(scores: Iterable[Decimal]) -> Aggregate:
    """Mean and count of the scores, the mean hidden below PUBLIC_MINIMUM evaluations."""
    values = list(scores)
    if len(values) < PUBLIC_MINIMUM:
        return Aggregate(count=len(values), mean=None)
    mean = sum(values, Decimal(0)) / Decimal(len(values))
    return Aggregate(count=len(values), mean=mean.quantize(Decimal("0.1"), ROUND_HALF_UP))


def reminder_due(
    *, asked_at: datetime, now: datetime, reminders_sent: int, submitted: bool, expires_at: datetime
) -> bool:
    """Whether the next reminder is due now: not answered, not expired, and the next of
    REMINDER_DAYS reached. Sending one raises `reminders_sent`, so running the daily job
    twice, or late, sends each reminder once."""
    if submitted or now >= expires_at or reminders_sent >= len(REMINDER_DAYS):
        return False
    return now >= asked_at + timedelta(days=REMINDER_DAYS[reminders_sent])


# The longest free comment (and reply) a page accepts.
MAX_COMMENT_LENGTH = 5000
MAX_REPLY_LENGTH = 2000


def ratings_refusal(ratings: Mapping[str, object]) -> str | None:
    """None when `ratings` holds one whole rating from 1 to 5 per criterion, else the code
    of what is wrong: rating_missing or rating_out_of_range."""
    for criterion in CRITERIA:
        value = ratings.get(criterion)
        if value is None or value == "":
            return "rating_missing"
        if isinstance(value, bool) or not isinstance(value, int):
            return "rating_out_of_range"
        if not LOWEST <= value <= HIGHEST:
            return "rating_out_of_range"
    return None
