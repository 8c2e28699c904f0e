"""Committed days, without a database: how much of a member's capacity its missions already
take over a lot's period (members rely on not being proposed work they have no time for)."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.needs.domain.commitments import (
    Commitment,
    chosen_lot_still_ahead,
    commitment_period,
    committed_per_month,
    default_days,
    lot_period,
    remaining_days,
)

TODAY = date(2027, 3, 1)
T = TODAY.toordinal()


def test_days_committed_over_the_whole_lot_count_in_full_per_month() -> None:
    # 40 days over 76 days (2.5 months of 30.4 days): 16 days a month.
    commitments = [Commitment(7, 40.0, T, T + 76)]
    assert committed_per_month(commitments, (T, T + 76)) == {7: pytest.approx(16.0)}


def test_only_the_share_within_the_lots_period_counts() -> None:
    # Half the mission's period falls within the lot's: half its days count.
    commitments = [Commitment(7, 20.0, T, T + 60)]
    assert committed_per_month(commitments, (T + 30, T + 90)) == {
        7: pytest.approx(10.0 * 30.4 / 60)
    }
    # A mission that ends before the lot starts takes nothing from it.
    assert committed_per_month(commitments, (T + 60, T + 120)) == {}


def test_several_missions_add_up_per_member() -> None:
    commitments = [
        Commitment(1, 30.0, T, T + 30),
        Commitment(1, 30.0, T, T + 30),
        Commitment(2, 3.0, T, T + 30),
    ]
    found = committed_per_month(commitments, (T, T + 30))
    assert found == {1: pytest.approx(60.8), 2: pytest.approx(3.04)}


def test_what_remains_is_spread_from_today_to_the_planned_end() -> None:
    start = date(2027, 1, 1)
    end = date(2027, 5, 1)
    assert commitment_period(starts=start, ends=end, recorded=start, today=TODAY, length=91) == (
        T,
        end.toordinal(),
    )
    # Not started yet: from its start.
    later = date(2027, 4, 1)
    assert commitment_period(starts=later, ends=end, recorded=start, today=TODAY, length=91) == (
        later.toordinal(),
        end.toordinal(),
    )


def test_a_commitment_without_dates_lasts_as_long_as_a_lot_without_dates() -> None:
    assert default_days(3.0) == 91
    assert commitment_period(starts=None, ends=None, recorded=TODAY, today=TODAY, length=91) == (
        T,
        T + 91,
    )


def test_a_late_mission_leaves_its_remaining_days_due_within_a_month() -> None:
    past = date(2027, 1, 31)
    first, last = commitment_period(
        starts=date(2027, 1, 1), ends=past, recorded=past, today=TODAY, length=91
    )
    assert (first, last) == (T, T + 30)


def test_remaining_days_are_never_negative() -> None:
    assert remaining_days(20.0, 5.0) == 15.0
    assert remaining_days(20.0, 25.0) == 0.0


def test_a_lot_without_dates_starts_today_for_its_default_length() -> None:
    assert lot_period(starts=None, deadline=None, today=TODAY, length=91) == (T, T + 91)
    start, deadline = date(2027, 4, 1), date(2027, 6, 1)
    assert lot_period(starts=start, deadline=deadline, today=TODAY, length=91) == (
        start.toordinal(),
        deadline.toordinal(),
    )


def test_a_chosen_lot_past_its_deadline_commits_nobody_any_more() -> None:
    chosen = date(2026, 6, 1)
    assert not chosen_lot_still_ahead(
        deadline=date(2027, 2, 1), chosen=chosen, today=TODAY, length=91
    )
    assert chosen_lot_still_ahead(deadline=date(2027, 5, 1), chosen=chosen, today=TODAY, length=91)
    assert not chosen_lot_still_ahead(deadline=None, chosen=chosen, today=TODAY, length=91)
