"""Fiscal years follow one another, last 24 months at most, and only move forward."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.finance.domain.entries import LedgerRuleError
from guichet.finance.domain.fiscal_years import CLOSED, LOCKED, OPEN, check_period, move_allowed


def test_a_year_goes_open_then_closed_then_locked_and_never_back() -> None:
    assert move_allowed(OPEN, CLOSED)
    assert move_allowed(CLOSED, LOCKED)
    assert not move_allowed(OPEN, LOCKED)
    assert not move_allowed(CLOSED, OPEN)
    assert not move_allowed(LOCKED, OPEN)
    assert not move_allowed(LOCKED, CLOSED)


def test_a_first_year_may_last_up_to_twenty_four_months() -> None:
    check_period(date(2025, 1, 1), date(2025, 12, 31), None)
    check_period(date(2025, 3, 15), date(2026, 12, 31), None)
    check_period(date(2025, 1, 15), date(2027, 1, 14), None)


@pytest.mark.parametrize(
    ("starts", "ends", "previous", "code"),
    [
        (date(2025, 1, 1), date(2025, 1, 1), None, "year_period_invalid"),
        (date(2025, 1, 1), date(2024, 12, 31), None, "year_period_invalid"),
        (date(2025, 1, 1), date(2027, 1, 1), None, "year_too_long"),
        (date(2025, 1, 15), date(2027, 1, 15), None, "year_too_long"),
        (date(2026, 1, 2), date(2026, 12, 31), date(2025, 12, 31), "year_not_contiguous"),
        (date(2025, 12, 31), date(2026, 12, 30), date(2025, 12, 31), "year_not_contiguous"),
    ],
)
def test_periods_that_do_not_make_a_fiscal_year_are_refused(
    starts: date, ends: date, previous: date | None, code: str
) -> None:
    with pytest.raises(LedgerRuleError) as refused:
        check_period(starts, ends, previous)
    assert refused.value.code == code


def test_a_year_follows_the_previous_one_the_next_day() -> None:
    check_period(date(2026, 1, 1), date(2026, 12, 31), date(2025, 12, 31))
