"""Writing entries: a draft, then its validation (number, date, hash), or a reversal.

Every check runs before the first write, and each service is one transaction: a refused
entry leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from guichet.accounts.models import User
from guichet.core.audit import audit_record
from guichet.finance.domain import entries as rules
from guichet.finance.domain.chain import GENESIS, entry_hash
from guichet.finance.domain.money import MoneyError, to_cents, to_decimal
from guichet.finance.messages import FinanceError
from guichet.finance.models import (
    Account,
    AuxiliaryAccount,
    Entry,
    EntryStatus,
    FiscalYear,
    Journal,
    JournalSequence,
    Posting,
    SourceKind,
)
from guichet.finance.services.fiscal_years import fiscal_year_holding

# Names the lock that puts validations in one order on PostgreSQL (any constant works).
_CHAIN_LOCK_KEY = 5_120_2026
MAX_LABEL = 200
MAX_REFERENCE = 60


@dataclass(frozen=True)
class PostingInput:
    """One posting to write: an amount on one side, as Decimal, whole euros or text."""

    account: Account
    debit: Decimal | int | str = 0
    credit: Decimal | int | str = 0
    auxiliary: AuxiliaryAccount | None = None
    label: str = ""


def entry_create(
    *,
    journal: Journal,
    date: date,
    label: str,
    document_reference: str,
    postings: Sequence[PostingInput],
    by: User | None,
    document_date: date | None = None,
    source_kind: str = "",
    source_id: int | None = None,
) -> Entry:
    """A draft entry in `journal`, in the open fiscal year that holds `date`; its postings
    must balance already. Refusals: see messages.py."""
    label, document_reference = label.strip(), document_reference.strip()
    _check_texts(label, document_reference)
    _check_source(source_kind, source_id)
    lines = [_line(posting, label) for posting in postings]
    _check_lines(lines)
    with transaction.atomic():
        year = fiscal_year_holding(date)
        entry = Entry.objects.create(
            journal=journal,
            fiscal_year=year,
            date=date,
            label=label,
            document_reference=document_reference,
            document_date=document_date or date,
            source_kind=source_kind,
            source_id=source_id,
        )
        Posting.objects.bulk_create(
            Posting(
                entry=entry,
                position=position,
                account=posting.account,
                auxiliary=posting.auxiliary,
                label=line.label,
                debit_cents=line.debit,
                credit_cents=line.credit,
            )
            for position, (posting, line) in enumerate(zip(postings, lines, strict=True), 1)
        )
        audit_record(
            action="finance.entry.create",
            actor=by,
            target=entry,
            data={"journal": journal.code, "total": str(to_decimal(_total(lines)))},
        )
    return entry


def _check_texts(label: str, document_reference: str) -> None:
    if not label:
        raise FinanceError("label_required")
    if len(label) > MAX_LABEL:
        raise FinanceError("label_too_long")
    if not document_reference:
        raise FinanceError("document_reference_required")
    if len(document_reference) > MAX_REFERENCE:
        raise FinanceError("document_reference_too_long")


def _check_source(source_kind: str, source_id: int | None) -> None:
    if not source_kind and source_id is None:
        return
    if source_kind not in SourceKind.values or source_id is None or source_id <= 0:
        raise FinanceError("source_invalid")


def _line(posting: PostingInput, entry_label: str) -> rules.Line:
    """The posting in cents, its auxiliary account checked against its account."""
    account = posting.account
    if account.requires_auxiliary and posting.auxiliary is None:
        raise FinanceError("auxiliary_required", account=account.number)
    if posting.auxiliary is not None:
        if not account.requires_auxiliary:
            raise FinanceError("auxiliary_not_expected", account=account.number)
        if posting.auxiliary.account_id != account.pk:
            raise FinanceError("auxiliary_mismatch")
    label = posting.label.strip() or entry_label
    if len(label) > MAX_LABEL:
        raise FinanceError("label_too_long")
    try:
        debit, credit = to_cents(posting.debit), to_cents(posting.credit)
    except MoneyError as error:
        raise FinanceError(error.code) from error
    return rules.Line(
        account=account.number,
        debit=debit,
        credit=credit,
        auxiliary=posting.auxiliary.code if posting.auxiliary else "",
        label=label,
    )


def _check_lines(lines: Sequence[rules.Line]) -> None:
    try:
        rules.check_lines(lines)
    except rules.LedgerRuleError as error:
        debit = sum(line.debit for line in lines)
        credit = sum(line.credit for line in lines)
        raise FinanceError(
            error.code, debit=to_decimal(debit), credit=to_decimal(credit)
        ) from error


def _total(lines: Sequence[rules.Line]) -> int:
    return sum(line.debit for line in lines)


def entry_discard(*, entry: Entry, by: User | None) -> None:
    """Delete a draft (a validated entry is reversed instead)."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_validated:
            raise FinanceError("entry_validated")
        audit_record(
            action="finance.entry.discard",
            actor=by,
            target=entry,
            data={"journal": entry.journal_id, "label": entry.label},
        )
        entry.delete()


def entry_validate(*, entry: Entry, by: User | None) -> Entry:
    """Validate a draft: it must still balance and its year be open; it takes the next
    number of its journal and year, the time, and its hash chained to the last one."""
    with transaction.atomic():
        _lock_chain()
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("journal", "fiscal_year", "reverses__journal", "reverses__fiscal_year")
            .get(pk=entry.pk)
        )
        if entry.is_validated:
            raise FinanceError("entry_validated")
        year = FiscalYear.objects.select_for_update(no_key=True).get(pk=entry.fiscal_year_id)
        if not year.is_open:
            raise FinanceError("year_closed")
        postings = list(entry.postings.select_related("account", "auxiliary").order_by("position"))
        _check_lines([posting.line() for posting in postings])
        entry.number = _next_number(entry.journal, year)
        last = (
            Entry.objects.filter(status=EntryStatus.VALIDATED)
            .order_by("-sequence")
            .only("sequence", "hash")
            .first()
        )
        entry.sequence = (last.sequence or 0) + 1 if last else 1
        entry.previous_hash = last.hash if last else GENESIS
        # Whole seconds: the hash reads the same time back from either database.
        entry.validated_at = timezone.now().replace(microsecond=0)
        entry.status = EntryStatus.VALIDATED
        entry.hash = entry_hash(entry.chain_facts(postings), entry.previous_hash)
        entry.save(
            update_fields=["number", "sequence", "previous_hash", "validated_at", "status", "hash"]
        )
        audit_record(
            action="finance.entry.validate",
            actor=by,
            target=entry,
            data={"reference": entry.reference, "hash": entry.hash},
        )
    return entry


def _lock_chain() -> None:
    # SQLite takes its write lock when the transaction begins (transaction_mode IMMEDIATE).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _next_number(journal: Journal, year: FiscalYear) -> int:
    """The next number of the journal in the year, its counter row locked until commit."""
    JournalSequence.objects.get_or_create(journal=journal, fiscal_year=year)
    counter = JournalSequence.objects.select_for_update().get(journal=journal, fiscal_year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def entry_reverse(
    *, entry: Entry, by: User | None, date: date | None = None, label: str = ""
) -> Entry:
    """Correct a validated entry: a new entry in its journal, dated `date` (today by
    default) in an open year, with every posting on the other side and the reversal's
    label; validated at once."""
    with transaction.atomic():
        # The chain's lock first, as validation takes it: locks always come in one order.
        _lock_chain()
        entry = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("journal", "fiscal_year")
            .get(pk=entry.pk)
        )
        if not entry.is_validated:
            raise FinanceError("entry_not_validated")
        if Entry.objects.filter(reverses=entry).exists():
            raise FinanceError("entry_already_reversed")
        postings = list(entry.postings.select_related("account", "auxiliary").order_by("position"))
        reversal = entry_create(
            journal=entry.journal,
            date=date or timezone.localdate(),
            label=label or _reversal_label(entry),
            document_reference=entry.document_reference,
            document_date=entry.document_date,
            postings=[
                PostingInput(
                    account=posting.account,
                    auxiliary=posting.auxiliary,
                    debit=to_decimal(posting.credit_cents),
                    credit=to_decimal(posting.debit_cents),
                )
                for posting in postings
            ],
            source_kind=entry.source_kind,
            source_id=entry.source_id,
            by=by,
        )
        reversal.reverses = entry
        reversal.save(update_fields=["reverses"])
        reversal = entry_validate(entry=reversal, by=by)
        audit_record(
            action="finance.entry.reverse",
            actor=by,
            target=entry,
            data={"reference": entry.reference, "reversal": reversal.reference},
        )
    return reversal


def _reversal_label(entry: Entry) -> str:
    # The books are kept in French, whatever language the person reads.
    with translation.override("fr"):
        text = gettext("Reversal of %(reference)s: %(label)s") % {
            "reference": f"{entry.journal.code} {entry.number}",
            "label": entry.label,
        }
    return text[:MAX_LABEL]
