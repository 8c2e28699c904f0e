"""The chain of validated entries: any change, removal, insertion or gap is found."""

from __future__ import annotations

from dataclasses import replace

from guichet.finance.domain.chain import (
    GENESIS,
    EntryFacts,
    StoredEntry,
    entry_hash,
    verify_entries,
)
from guichet.finance.domain.entries import Line


def facts(
    sequence: int, journal: str = "VT", number: int | None = None, **fields: object
) -> EntryFacts:
    base = EntryFacts(
        sequence=sequence,
        journal=journal,
        year="2026-01-01",
        number=number if number is not None else sequence,
        date="2026-03-01",
        label="Facture F-12",
        document_reference="F-12",
        document_date="2026-03-01",
        validated_at="2026-03-02T10:00:00Z",
        source_kind="",
        source_id="",
        reverses="",
        lines=(Line("411", debit=1200, auxiliary="CLI000001"), Line("706", credit=1200)),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def chained(all_facts: list[EntryFacts]) -> list[StoredEntry]:
    previous, stored = GENESIS, []
    for item in all_facts:
        digest = entry_hash(item, previous)
        stored.append(StoredEntry(item, previous, digest))
        previous = digest
    return stored


def test_a_ledger_chained_in_order_holds() -> None:
    ledger = chained([facts(1), facts(2), facts(3, journal="BQ", number=1), facts(4, number=3)])
    assert verify_entries(ledger) is None


def test_the_hash_covers_every_fact_of_the_entry() -> None:
    original = facts(1)
    changed = [
        replace(original, label="Facture F-13"),
        replace(original, date="2026-03-02"),
        replace(original, lines=(Line("411", debit=1201), Line("706", credit=1201))),
        replace(original, lines=(Line("411", debit=1200), Line("707", credit=1200))),
        replace(original, reverses="VT/2026-01-01/9"),
    ]
    for item in changed:
        assert entry_hash(item, GENESIS) != entry_hash(original, GENESIS)
    assert entry_hash(original, GENESIS) != entry_hash(original, "1" * 64)


def test_a_changed_entry_is_named() -> None:
    ledger = chained([facts(1), facts(2), facts(3)])
    ledger[1] = replace(ledger[1], facts=replace(ledger[1].facts, label="Autre"))

    broken = verify_entries(ledger)
    assert broken is not None
    assert (broken.sequence, broken.reason) == (2, "hash_mismatch")


def test_a_removed_entry_breaks_the_chain_where_it_was() -> None:
    ledger = chained([facts(1), facts(2), facts(3)])
    del ledger[1]

    broken = verify_entries(ledger)
    assert broken is not None
    assert (broken.sequence, broken.reason) == (3, "sequence_gap")


def test_an_entry_rehashed_after_a_change_still_breaks_the_next_link() -> None:
    ledger = chained([facts(1), facts(2), facts(3)])
    forged = replace(ledger[1].facts, label="Autre")
    ledger[1] = StoredEntry(forged, ledger[1].previous_hash, entry_hash(forged, GENESIS))

    broken = verify_entries(ledger)
    assert broken is not None
    assert (broken.sequence, broken.reason) == (2, "hash_mismatch")


def test_a_skipped_number_in_a_journal_is_named() -> None:
    ledger = chained([facts(1), facts(2, number=3)])

    broken = verify_entries(ledger)
    assert broken is not None
    assert (broken.journal, broken.number, broken.reason) == ("VT", 3, "numbering_gap")


def test_each_journal_and_year_numbers_from_one() -> None:
    next_year = facts(3, number=1, year="2027-01-01")
    ledger = chained([facts(1), facts(2, journal="BQ", number=1), next_year])
    assert verify_entries(ledger) is None


def test_an_unbalanced_entry_is_named_even_with_a_true_hash() -> None:
    ledger = chained([facts(1, lines=(Line("411", debit=1200), Line("706", credit=1000)))])

    broken = verify_entries(ledger)
    assert broken is not None
    assert broken.reason == "unbalanced"
