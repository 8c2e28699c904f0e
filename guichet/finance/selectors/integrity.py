"""The whole ledger checked: the database's guards, every validated entry (balance, number,
hash chain), the journals' counters and the trial balance of every fiscal year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Prefetch, Sum

from guichet.finance import guards
from guichet.finance.domain.chain import LedgerBreak, StoredEntry, verify_entries
from guichet.finance.models import Entry, EntryStatus, JournalSequence, Posting

CHUNK = 2000


@dataclass(frozen=True)
class LedgerReport:
    """What the check found: the first break (None when the books hold) and what it read."""

    broken: LedgerBreak | None
    entries: int
    postings: int


def _stored_entries(counts: dict[str, int]) -> Iterator[StoredEntry]:
    """Validated entries in the order of validation, their postings fetched per chunk."""
    entries = (
        Entry.objects.filter(status=EntryStatus.VALIDATED)
        .select_related("journal", "fiscal_year", "reverses__journal", "reverses__fiscal_year")
        .prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("account", "auxiliary").order_by(
                    "position"
                ),
            )
        )
        .order_by("sequence")
    )
    for entry in entries.iterator(chunk_size=CHUNK):
        postings = list(entry.postings.all())
        counts["entries"] += 1
        counts["postings"] += len(postings)
        yield StoredEntry(entry.chain_facts(postings), entry.previous_hash, entry.hash)


def ledger_verify() -> LedgerReport:
    """Check everything, in this order, and report the first break found:
    a missing guard; an entry out of the chain, changed, unbalanced or misnumbered; a
    journal's counter past its last entry (a number given to no entry); a fiscal year whose
    debits differ from its credits."""
    counts = {"entries": 0, "postings": 0}
    broken = _guards_break() or verify_entries(_stored_entries(counts))
    broken = broken or _counter_break() or _trial_balance_break()
    return LedgerReport(broken, counts["entries"], counts["postings"])


def _guards_break() -> LedgerBreak | None:
    missing = guards.missing(connection)
    return LedgerBreak("", missing[0], 0, 0, "guard_missing") if missing else None


def _counter_break() -> LedgerBreak | None:
    last_numbers = {
        (row["journal_id"], row["fiscal_year_id"]): row["last"]
        for row in Entry.objects.filter(status=EntryStatus.VALIDATED)
        .values("journal_id", "fiscal_year_id")
        .annotate(last=Max("number"))
    }
    counters = JournalSequence.objects.select_related("journal", "fiscal_year").order_by(
        "fiscal_year__starts_on", "journal__code"
    )
    for counter in counters:
        last = last_numbers.get((counter.journal_id, counter.fiscal_year_id), 0)
        if counter.last_number != last:
            year = counter.fiscal_year.starts_on.isoformat()
            return LedgerBreak(counter.journal.code, year, last + 1, 0, "counter_mismatch")
    return None


def _trial_balance_break() -> LedgerBreak | None:
    years = (
        Posting.objects.filter(entry__status=EntryStatus.VALIDATED)
        .values("entry__fiscal_year__starts_on")
        .annotate(total_debit=Sum("debit_cents"), total_credit=Sum("credit_cents"))
        .order_by("entry__fiscal_year__starts_on")
    )
    for row in years:
        if row["total_debit"] != row["total_credit"]:
            year = row["entry__fiscal_year__starts_on"].isoformat()
            return LedgerBreak("", year, 0, 0, "trial_balance")
    return None
