"""Open data: the decision log as CSV and ODS, one row per round closed with an outcome,
under the same licence as the network's open data (core/opendata.py).

Counts only: no position with a name, no ballot, no proxy; the elected are named, since
candidates stand in public.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from guichet.core.opendata import csv_text, licence_metadata, ods_bytes
from guichet.governance.domain.decisions import CONSENT_POSITIONS, VOTE_POSITIONS, positions_of
from guichet.governance.models import DecisionMode
from guichet.governance.selectors_log import elected_names, rounds_decided

DATASET = "decisions"
POSITION_COLUMNS = list(dict.fromkeys([*CONSENT_POSITIONS, *VOTE_POSITIONS]))
COLUMNS = [
    "reference",
    "title",
    "kind",
    "mode",
    "round",
    "opened",
    "closed",
    "adopted",
    "reason",
    "electorate",
    "participation",
    *POSITION_COLUMNS,
    "ballots",
    "elected",
    "page_url",
]
NOTE = (
    "One row per round closed with an outcome. Positions are counted, never named; a "
    "position the decision mode does not have is left empty. Election ballots are secret "
    "(ballots: how many were cast; elected: who the count elected)."
)


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def decision_rows(base_url: str) -> Iterator[dict[str, Any]]:
    """The rows, oldest decision first (two queries, whatever the number of rounds)."""
    for round in rounds_decided():
        proposal = round.proposal
        election = proposal.mode == DecisionMode.ELECTION
        # A position the mode does not have is left empty: not applicable, not zero.
        counted = () if election else positions_of(proposal.mode)
        counts = round.counts or {}
        yield {
            "reference": proposal.reference,
            "title": round.version.title,
            "kind": proposal.kind,
            "mode": proposal.mode,
            "round": round.number,
            "opened": _moment(round.opened_at),
            "closed": _moment(round.closed_at),
            "adopted": bool(round.adopted),
            "reason": round.reason,
            "electorate": round.electorate_size,
            "participation": round.participation,
            **{
                value: int(counts.get(value, 0)) if value in counted else ""
                for value in POSITION_COLUMNS
            },
            "ballots": int(counts.get("ballots", 0)) if election else "",
            "elected": "; ".join(elected_names(round, proposal.candidates.all()))
            if election
            else "",
            "page_url": base_url + reverse("governance:log_entry", args=[proposal.reference]),
        }


def metadata() -> dict[str, str]:
    return licence_metadata(DATASET, note=NOTE)


def as_csv(base_url: str) -> str:
    return csv_text(COLUMNS, decision_rows(base_url))


def as_ods(base_url: str) -> bytes:
    return ods_bytes(DATASET, COLUMNS, decision_rows(base_url), metadata())
