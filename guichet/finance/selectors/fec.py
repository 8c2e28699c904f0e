"""The FEC of one fiscal year, written line by line as it is read (for a file or a page)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from guichet.finance.domain.fec import fec_header, fec_posting
from guichet.finance.models import EntryStatus, FiscalYear, JournalKind, Posting

# Rows fetched per round trip; on PostgreSQL through a server-side cursor.
CHUNK = 2000
FIELDS = (
    "entry__journal__code",
    "entry__journal__name",
    "entry__number",
    "entry__date",
    "account__number",
    "account__name",
    "auxiliary__code",
    "auxiliary__name",
    "entry__document_reference",
    "entry__document_date",
    "label",
    "debit_cents",
    "credit_cents",
    "entry__validated_at",
)


def fec_postings(year: FiscalYear, *, opening: bool) -> QuerySet[Posting, tuple[object, ...]]:
    """The validated postings of the year, of the opening journal or of the others, in the
    order of validation: one query, one tuple per row, no model built."""
    postings = Posting.objects.filter(entry__fiscal_year=year, entry__status=EntryStatus.VALIDATED)
    if opening:
        postings = postings.filter(entry__journal__kind=JournalKind.OPENING)
    else:
        postings = postings.exclude(entry__journal__kind=JournalKind.OPENING)
    return postings.order_by("entry__sequence", "position").values_list(*FIELDS)


def fec_lines(*, year: FiscalYear) -> Iterator[str]:
    """The FEC's lines, header first, then the opening entries, then every other entry in
    the order of validation. Two queries whatever the size, read in chunks: memory stays
    flat, so that a page can stream a million postings."""
    yield fec_header()
    validation_days: dict[object, date] = {}
    for opening in (True, False):
        for row in fec_postings(year, opening=opening).iterator(chunk_size=CHUNK):
            yield _line(row, validation_days)


def _line(row: tuple[object, ...], validation_days: dict[object, date]) -> str:
    (journal_code, journal_name, number, entry_date, account_number, account_name) = row[:6]
    (auxiliary_code, auxiliary_name, reference, document_date, label) = row[6:11]
    debit, credit, validated_at = row[11:]
    assert isinstance(entry_date, date)
    assert isinstance(document_date, date)
    assert isinstance(validated_at, datetime)
    assert isinstance(number, int)
    assert isinstance(debit, int)
    assert isinstance(credit, int)
    return fec_posting(
        journal_code=str(journal_code),
        journal_name=str(journal_name),
        number=number,
        entry_date=entry_date,
        account_number=str(account_number),
        account_name=str(account_name),
        auxiliary_code=str(auxiliary_code or ""),
        auxiliary_name=str(auxiliary_name or ""),
        document_reference=str(reference),
        document_date=document_date,
        label=str(label),
        debit=debit,
        credit=credit,
        validated_on=_validation_day(validated_at, validation_days),
    )


def _validation_day(validated_at: datetime, known: dict[object, date]) -> date:
    """The local day of a validation; an entry's postings share it, so it is computed once
    per entry (the memory is emptied now and then, to stay flat)."""
    day = known.get(validated_at)
    if day is None:
        if len(known) > CHUNK:
            known.clear()
        day = known[validated_at] = timezone.localdate(validated_at)
    return day


def fiscal_years_ending_in(calendar_year: int) -> list[FiscalYear]:
    """The fiscal years whose last day falls in `calendar_year` (one, almost always)."""
    return list(FiscalYear.objects.filter(ends_on__year=calendar_year).order_by("ends_on"))
