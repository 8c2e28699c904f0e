"""Where committed days come from: the lots clients chose, and an extension point for the
missions app.

Missions depend on needs, not the reverse, so the missions app registers a source here when it
starts (AppConfig.ready): the remaining days of each member of a planned or running mission,
and which lots a mission follows. A lot a client chose counts here for its provider until a
mission follows it (then the mission's own days count instead), and while its deadline is
ahead. Until a source is registered, only chosen lots commit anyone. How commitments count
over a lot's period is the rule of `domain/commitments.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from guichet.needs.domain.commitments import (
    Commitment,
    chosen_lot_still_ahead,
    commitment_period,
)
from guichet.needs.models import ShortlistEntry


@dataclass(frozen=True)
class Source:
    # (organisations, or None for all; today; days a period without an end lasts) → their
    # commitments
    commitments: Callable[[list[int] | None, date, int], list[Commitment]]
    # lot ids → those of them whose work this source follows
    followed: Callable[[list[int]], set[int]]


_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def commitments_of(
    organisations: Iterable[int] | None, *, today: date, length: int
) -> list[Commitment]:
    """Every commitment of these organisations (all when None), from the chosen lots and
    every registered source, in the order both engines sum them: by organisation, then
    period, then days."""
    wanted = None if organisations is None else list(organisations)
    found = _chosen_lots(wanted, today=today, length=length)
    for source in _sources:
        found.extend(source.commitments(wanted, today, length))
    return sorted(found, key=lambda item: (item.organisation, item.first, item.last, item.days))


def _chosen_lots(organisations: list[int] | None, *, today: date, length: int) -> list[Commitment]:
    """The lots clients chose that no mission follows yet and whose deadline is ahead."""
    entries = ShortlistEntry.objects.filter(chosen_at__isnull=False).order_by()
    if organisations is not None:
        entries = entries.filter(organisation__in=organisations)
    rows = list(
        entries.values_list(
            "organisation_id",
            "lot_id",
            "lot__person_days",
            "lot__start_date",
            "lot__deadline",
            "chosen_at",
        )
    )
    followed: set[int] = set()
    lots = sorted({row[1] for row in rows})
    for source in _sources:
        followed |= source.followed(lots)
    found = []
    for organisation, lot, days, starts, deadline, chosen_at in rows:
        chosen = timezone.localdate(chosen_at)
        if lot in followed or not chosen_lot_still_ahead(
            deadline=deadline, chosen=chosen, today=today, length=length
        ):
            continue
        first, last = commitment_period(
            starts=starts, ends=deadline, recorded=chosen, today=today, length=length
        )
        found.append(Commitment(organisation, float(days), first, last))
    return found
