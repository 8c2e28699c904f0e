"""Client evaluations as pure rules: the score, what may be published, when to remind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from guichet.missions.domain.evaluations import (
    PUBLIC_MINIMUM,
    evaluation_score,
    public_aggregate,
    ratings_refusal,
    reminder_due,
)

ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EXPIRES = ASKED + timedelta(days=30)


def test_the_score_is_the_mean_of_the_four_ratings_to_the_hundredth() -> None:
    assert evaluation_score([5, 4, 4, 3]) == Decimal("4.00")
    assert evaluation_score([5, 5, 5, 4]) == Decimal("4.75")
    assert evaluation_score([1, 1, 1, 2]) == Decimal("1.25")


@pytest.mark.parametrize("ratings", [[5, 4, 4], [5, 4, 4, 3, 2], [0, 4, 4, 4], [6, 4, 4, 4]])
def test_a_score_needs_one_rating_from_1_to_5_per_criterion(ratings: list[int]) -> None:
    with pytest.raises(ValueError, match="rating"):
        evaluation_score(ratings)


def test_ratings_are_checked_criterion_by_criterion() -> None:
    good = {"quality": 5, "deadlines": 4, "communication": 3, "openness": 1}
    assert ratings_refusal(good) is None
    assert ratings_refusal({**good, "openness": None}) == "rating_missing"
    assert ratings_refusal({"quality": 5}) == "rating_missing"
    assert ratings_refusal({**good, "quality": 0}) == "rating_out_of_range"
    assert ratings_refusal({**good, "quality": 6}) == "rating_out_of_range"
    assert ratings_refusal({**good, "quality": True}) == "rating_out_of_range"
    assert ratings_refusal({**good, "quality": "5"}) == "rating_out_of_range"


def test_the_public_mean_is_hidden_below_3_evaluations_and_shown_from_3() -> None:
    assert PUBLIC_MINIMUM == 3
    two = public_aggregate([Decimal("5.00"), Decimal("4.00")])
    assert (two.count, two.mean, two.shown) == (2, None, False)
    three = public_aggregate([Decimal("5.00"), Decimal("4.00"), Decimal("4.00")])
    assert (three.count, three.mean, three.shown) == (3, Decimal("4.3"), True)
    assert public_aggregate([]).count == 0
    assert not public_aggregate([]).shown


def _due(days: float, sent: int = 0, submitted: bool = False) -> bool:
    return reminder_due(
        asked_at=ASKED,
        now=ASKED + timedelta(days=days),
        reminders_sent=sent,
        submitted=submitted,
        expires_at=EXPIRES,
    )


def test_the_first_reminder_is_due_after_7_days_and_the_second_after_14() -> None:
    assert not _due(6.99)
    assert _due(7)
    assert not _due(7.5, sent=1)
    assert not _due(13.9, sent=1)
    assert _due(14, sent=1)
    assert not _due(20, sent=2)


def test_a_late_run_sends_the_reminder_due_then_the_next() -> None:
    assert _due(16, sent=0)
    assert _due(16, sent=1)
    assert not _due(16, sent=2)


def test_no_reminder_after_the_answer_or_once_the_link_expired() -> None:
    assert not _due(8, submitted=True)
    assert not _due(30, sent=1)
    assert not _due(31, sent=0)
