"""The audit log's hash chain, checked without a database."""

from __future__ import annotations

from typing import Any

from guichet.core.domain.audit_chain import GENESIS, ChainBreak, record_hash, verify_chain

Record = tuple[int, dict[str, Any], str, str]


def fields(sequence: int, action: str = "account.login", **extra: Any) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "created_at": f"2026-01-0{sequence}T10:00:00+00:00",
        "actor_id": 7,
        "action": action,
        "object_type": "accounts.user",
        "object_id": "7",
        "data": {"role": "member", "note": "évaluée"},
        "ip_address": "203.0.113.9",
        **extra,
    }


def chain(count: int) -> list[Record]:
    """A well-formed chain of `count` records, as the audit log writes them."""
    records: list[Record] = []
    previous = GENESIS
    for sequence in range(1, count + 1):
        content = fields(sequence)
        digest = record_hash(content, previous)
        records.append((sequence, content, previous, digest))
        previous = digest
    return records


def test_the_hash_of_a_record_is_the_same_every_time_it_is_computed() -> None:
    first = record_hash(fields(1), GENESIS)
    again = record_hash(dict(reversed(list(fields(1).items()))), GENESIS)

    assert first == again
    assert len(first) == 64
    assert int(first, 16) >= 0


def test_the_hash_covers_the_content_and_the_previous_hash() -> None:
    reference = record_hash(fields(1), GENESIS)

    assert record_hash(fields(1, action="account.logout"), GENESIS) != reference
    assert record_hash(fields(1), "f" * 64) != reference


def test_an_intact_chain_holds() -> None:
    assert verify_chain(chain(5)) is None


def test_an_empty_log_holds() -> None:
    assert verify_chain([]) is None


def test_a_changed_record_breaks_the_chain_at_that_record() -> None:
    records = chain(5)
    sequence, content, previous, digest = records[2]
    records[2] = (sequence, {**content, "action": "role.grant"}, previous, digest)

    assert verify_chain(records) == ChainBreak(3, "record content does not match its hash")


def test_a_changed_record_with_a_recomputed_hash_breaks_the_chain_at_the_next_record() -> None:
    records = chain(5)
    sequence, content, previous, _ = records[2]
    forged = {**content, "ip_address": "198.51.100.1"}
    records[2] = (sequence, forged, previous, record_hash(forged, previous))

    assert verify_chain(records) == ChainBreak(4, "previous hash does not match the record before")


def test_a_removed_record_breaks_the_chain() -> None:
    records = chain(5)
    del records[1]

    assert verify_chain(records) == ChainBreak(2, "missing record")


def test_reordered_records_break_the_chain() -> None:
    records = chain(5)
    records[1], records[2] = records[2], records[1]

    assert verify_chain(records) == ChainBreak(2, "missing record")


def test_a_record_that_does_not_point_to_the_one_before_breaks_the_chain() -> None:
    records = chain(3)
    sequence, content, _, _ = records[1]
    records[1] = (sequence, content, GENESIS, record_hash(content, GENESIS))

    assert verify_chain(records) == ChainBreak(2, "previous hash does not match the record before")


def test_a_chain_that_does_not_start_from_genesis_is_broken() -> None:
    records = chain(2)
    sequence, content, _, _ = records[0]
    records[0] = (sequence, content, "a" * 64, record_hash(content, "a" * 64))

    assert verify_chain(records) == ChainBreak(1, "previous hash does not match the record before")
