"""Opening fiscal years, and moving them from open to closed to locked."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import User
from guichet.core.audit import audit_record
from guichet.finance.domain import fiscal_years
from guichet.finance.domain.entries import LedgerRuleError
from guichet.finance.messages import FinanceError
from guichet.finance.models import (
    Entry,
    EntryStatus,
    FiscalYear,
    FiscalYearStatus,
    Journal,
    JournalSequence,
)


def fiscal_year_open(*, starts_on: date, ends_on: date, by: User | None) -> FiscalYear:
    """Open the fiscal year from `starts_on` to `ends_on` (the day after the last one ends,
    24 months at most), with a numbering of its own in every journal."""
    with transaction.atomic():
        years = FiscalYear.objects.select_for_update().order_by("-ends_on")
        if years.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
            raise FinanceError("year_overlaps")
        latest = years.first()
        try:
            fiscal_years.check_period(starts_on, ends_on, latest.ends_on if latest else None)
        except LedgerRuleError as error:
            raise FinanceError(error.code) from error
        year = FiscalYear.objects.create(starts_on=starts_on, ends_on=ends_on)
        JournalSequence.objects.bulk_create(
            JournalSequence(journal=journal, fiscal_year=year) for journal in Journal.objects.all()
        )
        audit_record(
            action="finance.year.open",
            actor=by,
            target=year,
            data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )
    return year


def fiscal_year_close(*, year: FiscalYear, by: User | None) -> FiscalYear:
    """No entry goes into the year any more; refused while it holds drafts or an earlier
    year is still open."""
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update(no_key=True).get(pk=year.pk)
        _check_move(year, FiscalYearStatus.CLOSED)
        if FiscalYear.objects.filter(
            ends_on__lt=year.starts_on, status=FiscalYearStatus.OPEN
        ).exists():
            raise FinanceError("earlier_year_open")
        if Entry.objects.filter(fiscal_year=year, status=EntryStatus.DRAFT).exists():
            raise FinanceError("drafts_remain")
        year.status = FiscalYearStatus.CLOSED
        year.closed_at = timezone.now()
        year.save(update_fields=["status", "closed_at"])
        audit_record(action="finance.year.close", actor=by, target=year)
    return year


def fiscal_year_lock(*, year: FiscalYear, by: User | None) -> FiscalYear:
    """The closed year's accounts are approved: it never changes again."""
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update(no_key=True).get(pk=year.pk)
        _check_move(year, FiscalYearStatus.LOCKED)
        year.status = FiscalYearStatus.LOCKED
        year.locked_at = timezone.now()
        year.save(update_fields=["status", "locked_at"])
        audit_record(action="finance.year.lock", actor=by, target=year)
    return year


def _check_move(year: FiscalYear, target: str) -> None:
    if not fiscal_years.move_allowed(year.status, target):
        raise FinanceError("year_move_not_allowed")


def fiscal_year_holding(day: date) -> FiscalYear:
    """The fiscal year that holds `day`, open: FinanceError("no_fiscal_year" | "year_closed").
    Locked until the transaction ends, so that the year cannot close meanwhile."""
    year = (
        FiscalYear.objects.select_for_update(no_key=True)
        .filter(starts_on__lte=day, ends_on__gte=day)
        .first()
    )
    if year is None:
        raise FinanceError("no_fiscal_year")
    if not year.is_open:
        raise FinanceError("year_closed")
    return year
