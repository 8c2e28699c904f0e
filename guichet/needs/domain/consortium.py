"""Proposing a consortium (groupement) for a request split into several lots.

The proposal takes, for each lot, the candidates the client accepted (or the best ranked
ones) with their matching scores, and looks for the fewest members that cover every lot,
then, among those teams, the best total score. A tender may cap how many lots one bidder
wins. The lead (mandataire) suggested is the member with the largest share of person-days.
The search is exact (branch and bound): lots and candidates per lot are few.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PRECISION = 9


@dataclass(frozen=True)
class LotOption:
    """A lot, its person-days, and who may take it with which score."""

    lot: int
    person_days: float
    candidates: Mapping[int, float]


@dataclass(frozen=True)
class Proposal:
    assignment: Mapping[int, int]  # lot → organisation
    members: tuple[int, ...]
    total_score: float
    lead: int


class NoConsortiumError(Exception):
    """No team covers every lot; `lot` is one that nobody may take, when there is one."""

    def __init__(self, lot: int | None = None) -> None:
        super().__init__(lot)
        self.lot = lot


def suggest_lead(
    assignment: Mapping[int, int],
    person_days: Mapping[int, float],
    scores: Mapping[tuple[int, int], float] | None = None,
) -> int:
    """The member with the most person-days; at equal days, the best scores, then the id."""
    days: dict[int, float] = {}
    total_scores: dict[int, float] = {}
    for lot, organisation in assignment.items():
        days[organisation] = days.get(organisation, 0.0) + person_days[lot]
        score = (scores or {}).get((lot, organisation), 0.0)
        total_scores[organisation] = total_scores.get(organisation, 0.0) + score
    if not days:
        raise ValueError("an empty consortium has no lead")
    return min(days, key=lambda org: (-days[org], -round(total_scores[org], PRECISION), org))


def propose(lots: Sequence[LotOption], max_lots_per_member: int | None = None) -> Proposal:
    """The fewest members covering every lot, with the best total score among such teams.

    Equal teams are told apart by their assignment (lots to the smallest ids first), so the
    same inputs always give the same proposal. Raises NoConsortiumError when there is none.
    """
    if not lots:
        raise NoConsortiumError()
    if max_lots_per_member is not None and max_lots_per_member < 1:
        raise ValueError("a bidder may win at least one lot")
    for option in lots:
        if not option.candidates:
            raise NoConsortiumError(option.lot)
    # Lots with the fewest candidates first: the search fails early when it must.
    ordered = sorted(lots, key=lambda option: (len(option.candidates), option.lot))
    best_of_rest = [0.0] * (len(ordered) + 1)
    for index in range(len(ordered) - 1, -1, -1):
        best_of_rest[index] = best_of_rest[index + 1] + max(ordered[index].candidates.values())
    cap = max_lots_per_member or len(ordered)

    for size in range(1, len(ordered) + 1):
        found = _best_with_at_most(ordered, size, cap, best_of_rest)
        if found is not None:
            assignment = dict(sorted(found.items()))
            scores = {
                (option.lot, organisation): option.candidates[organisation]
                for option in ordered
                for organisation in option.candidates
            }
            return Proposal(
                assignment=assignment,
                members=tuple(sorted(set(assignment.values()))),
                total_score=round(
                    sum(scores[(lot, org)] for lot, org in assignment.items()), PRECISION
                ),
                lead=suggest_lead(
                    assignment, {option.lot: option.person_days for option in ordered}, scores
                ),
            )
    raise NoConsortiumError()


def _best_with_at_most(
    ordered: Sequence[LotOption], size: int, cap: int, best_of_rest: Sequence[float]
) -> dict[int, int] | None:
    best: list[tuple[float, tuple[tuple[int, int], ...]]] = []
    assignment: dict[int, int] = {}
    counts: dict[int, int] = {}

    def key(total: float) -> tuple[float, tuple[tuple[int, int], ...]]:
        return (-round(total, PRECISION), tuple(sorted(assignment.items())))

    def search(index: int, total: float) -> None:
        if best and round(total + best_of_rest[index], PRECISION) < -best[0][0]:
            return
        if index == len(ordered):
            candidate = key(total)
            if not best or candidate < best[0]:
                best[:] = [candidate]
            return
        option = ordered[index]
        for organisation, score in sorted(
            option.candidates.items(), key=lambda item: (-item[1], item[0])
        ):
            used = counts.get(organisation, 0)
            if used >= cap or (used == 0 and len(counts) >= size):
                continue
            assignment[option.lot] = organisation
            counts[organisation] = used + 1
            search(index + 1, total + score)
            del assignment[option.lot]
            if used == 0:
                del counts[organisation]
            else:
                counts[organisation] = used

    search(0, 0.0)
    return dict(best[0][1]) if best else None
