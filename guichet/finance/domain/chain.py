"""The chain of validated entries, and the checks the whole ledger must pass.

Each validated entry carries the SHA-256 of its own content and of the entry validated just
before it: changing, removing or inserting one breaks every hash after it. Numbers run
without a gap in each journal and fiscal year, in the order of validation (French law).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from guichet.finance.domain.entries import LedgerRuleError, Line, check_lines

GENESIS = "0" * 64


@dataclass(frozen=True)
class EntryFacts:
    """Everything a validated entry says, in the order and form the hash reads it.

    `year` is the fiscal year's first day, `reverses` the entry this one reverses
    ("journal/year/number") or "", dates are ISO 8601, `validated_at` in UTC.
    """

    sequence: int
    journal: str
    year: str
    number: int
    date: str
    label: str
    document_reference: str
    document_date: str
    validated_at: str
    source_kind: str
    source_id: str
    reverses: str
    lines: tuple[Line, ...]


def entry_hash(facts: EntryFacts, previous_hash: str) -> str:
    """SHA-256 of the entry's canonical JSON form, chained to the previous entry's hash."""
    canonical = json.dumps(
        {**asdict(facts), "previous_hash": previous_hash},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    """A validated entry as the database holds it: its facts and the hashes written."""

    facts: EntryFacts
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class LedgerBreak:
    """The first record where the ledger stops holding: which one, and why (a code)."""

    journal: str
    year: str
    number: int
    sequence: int
    reason: str


def verify_entries(entries: Iterable[StoredEntry]) -> LedgerBreak | None:
    """Walk the validated entries in validation order; the first break, or None.

    Reasons: "sequence_gap" (an entry missing from the chain), "chain_broken" (previous hash
    differs), "hash_mismatch" (content changed), "numbering_gap" (a number skipped or
    repeated in its journal and year), or the balance refusal of `check_lines`.
    """
    previous = GENESIS
    expected_sequence = 1
    last_numbers: dict[tuple[str, str], int] = {}
    for stored in entries:
        facts = stored.facts
        reason = None
        key = (facts.journal, facts.year)
        if facts.sequence != expected_sequence:
            reason = "sequence_gap"
        elif stored.previous_hash != previous:
            reason = "chain_broken"
        elif entry_hash(facts, stored.previous_hash) != stored.hash:
            reason = "hash_mismatch"
        elif facts.number != last_numbers.get(key, 0) + 1:
            reason = "numbering_gap"
        else:
            try:
                check_lines(facts.lines)
            except LedgerRuleError as error:
                reason = error.code
        if reason is not None:
            return LedgerBreak(facts.journal, facts.year, facts.number, facts.sequence, reason)
        previous = stored.hash
        expected_sequence += 1
        last_numbers[key] = facts.number
    return None
