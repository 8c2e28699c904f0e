"""Fiscal years: their period, and the one way their status goes (open → closed → locked)."""

from __future__ import annotations

from datetime import date, timedelta

from guichet.finance.domain.entries import LedgerRuleError

OPEN = "open"
CLOSED = "closed"
LOCKED = "locked"
# Closed: no entry any more, the accounts are being drawn up. Locked: approved, for good.
MOVES = {OPEN: {CLOSED}, CLOSED: {LOCKED}, LOCKED: set[str]()}
# French law allows a first fiscal year of up to 24 months; none is longer.
MAX_MONTHS = 24


def move_allowed(current: str, target: str) -> bool:
    """Whether a fiscal year may go from `current` to `target` (only forward, one step)."""
    return target in MOVES.get(current, set())


def check_period(starts_on: date, ends_on: date, previous_end: date | None) -> None:
    """A year ends after it starts, lasts at most 24 months and, when another came before,
    starts the day after it ended: LedgerRuleError("year_period_invalid" | "year_too_long" |
    "year_not_contiguous")."""
    if ends_on <= starts_on:
        raise LedgerRuleError("year_period_invalid")
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month
    if months > MAX_MONTHS or (months == MAX_MONTHS and ends_on.day >= starts_on.day):
        raise LedgerRuleError("year_too_long")
    if previous_end is not None and starts_on != previous_end + timedelta(days=1):
        raise LedgerRuleError("year_not_contiguous")
