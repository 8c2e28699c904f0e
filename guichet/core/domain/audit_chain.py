"""The audit log's hash chain, as pure functions.

Each record carries the hash of the record before it, so that changing or removing any
record breaks every hash after it. Verifying the chain needs nothing but the records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops holding, and why."""

    sequence: int
    reason: str


def record_hash(fields: Mapping[str, Any], previous_hash: str) -> str:
    """SHA-256 of the record's canonical JSON form, chained to the previous hash."""
    canonical = json.dumps(
        {**fields, "previous_hash": previous_hash},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify_chain(records: Iterable[tuple[int, Mapping[str, Any], str, str]]) -> ChainBreak | None:
    """Check records given in order as (sequence, fields, previous_hash, hash).

    Returns the first break found, or None when the whole chain holds.
    """
    expected_previous = GENESIS
    expected_sequence = 1
    for sequence, fields, previous_hash, stored_hash in records:
        if sequence != expected_sequence:
            return ChainBreak(expected_sequence, "missing record")
        if previous_hash != expected_previous:
            return ChainBreak(sequence, "previous hash does not match the record before")
        if record_hash(fields, previous_hash) != stored_hash:
            return ChainBreak(sequence, "record content does not match its hash")
        expected_previous = stored_hash
        expected_sequence += 1
    return None
