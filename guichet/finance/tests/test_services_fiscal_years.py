"""Fiscal years: opened one after the other, then closed, then locked, never back."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.core.models import AuditEntry
from guichet.finance.messages import FinanceError
from guichet.finance.models import FiscalYear, FiscalYearStatus, Journal, JournalSequence
from guichet.finance.services.fiscal_years import (
    fiscal_year_close,
    fiscal_year_lock,
    fiscal_year_open,
)
from guichet.finance.tests.factories import draft, posted

pytestmark = pytest.mark.django_db


def opened(starts: date, ends: date) -> FiscalYear:
    return fiscal_year_open(starts_on=starts, ends_on=ends, by=None)


def refusal(starts: date, ends: date) -> str:
    before = FiscalYear.objects.count()
    with pytest.raises(FinanceError) as refused:
        opened(starts, ends)
    assert FiscalYear.objects.count() == before
    return refused.value.code


def test_a_new_year_is_open_with_a_numbering_in_every_journal() -> None:
    year = opened(date(2026, 1, 1), date(2026, 12, 31))

    assert year.status == FiscalYearStatus.OPEN
    counters = JournalSequence.objects.filter(fiscal_year=year)
    assert counters.count() == Journal.objects.count()
    assert set(counters.values_list("last_number", flat=True)) == {0}
    assert AuditEntry.objects.filter(action="finance.year.open", object_id=str(year.pk)).exists()


def test_years_follow_one_another_without_gap_or_overlap() -> None:
    opened(date(2025, 4, 1), date(2026, 3, 31))

    assert refusal(date(2026, 1, 1), date(2026, 12, 31)) == "year_overlaps"
    assert refusal(date(2026, 5, 1), date(2027, 3, 31)) == "year_not_contiguous"
    assert refusal(date(2026, 4, 1), date(2028, 4, 30)) == "year_too_long"
    assert opened(date(2026, 4, 1), date(2027, 3, 31)).starts_on == date(2026, 4, 1)


def test_a_year_closes_then_locks_and_never_goes_back() -> None:
    year = opened(date(2026, 1, 1), date(2026, 12, 31))
    posted()

    closed = fiscal_year_close(year=year, by=None)
    assert (closed.status, closed.closed_at is not None) == (FiscalYearStatus.CLOSED, True)
    with pytest.raises(FinanceError) as twice:
        fiscal_year_close(year=year, by=None)
    locked = fiscal_year_lock(year=year, by=None)
    assert (locked.status, locked.locked_at is not None) == (FiscalYearStatus.LOCKED, True)

    assert twice.value.code == "year_move_not_allowed"
    for move in (fiscal_year_close, fiscal_year_lock):
        with pytest.raises(FinanceError) as refused:
            move(year=year, by=None)
        assert refused.value.code == "year_move_not_allowed"


def test_an_open_year_is_not_locked_before_it_is_closed() -> None:
    year = opened(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(FinanceError) as refused:
        fiscal_year_lock(year=year, by=None)
    assert refused.value.code == "year_move_not_allowed"


def test_years_close_in_order_and_never_with_drafts() -> None:
    first = opened(date(2025, 1, 1), date(2025, 12, 31))
    second = opened(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(FinanceError) as out_of_order:
        fiscal_year_close(year=second, by=None)
    waiting = draft(on=date(2025, 5, 1))
    with pytest.raises(FinanceError) as with_drafts:
        fiscal_year_close(year=first, by=None)

    assert (out_of_order.value.code, with_drafts.value.code) == (
        "earlier_year_open",
        "drafts_remain",
    )
    waiting.delete()
    assert fiscal_year_close(year=first, by=None).status == FiscalYearStatus.CLOSED
