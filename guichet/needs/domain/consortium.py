"""Proposing a consortium (groupement) for a request split into several lots.

The proposal takes, for each lot, the candidates the client accepted (or the best ranked
ones) with their matching scores, and looks for the fewest members that cover every lot,
then, among those teams, the best total score. A tender may cap how many lots one bidder
wins. The lead (mandataire) suggested is the member with the largest share of person-days.
The search is exact (branch and bound): lots and candidates per lot are few.

So that people can see why this team, the proposal also names the alternative it was
preferred to, when there is one: the best-scored team overall when it needs more members
(rejected for its size), else the next-best team of the same size (rejected for its total).
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


# Why an alternative team was not proposed.
MORE_MEMBERS = "more_members"
LOWER_TOTAL = "lower_total"


@dataclass(frozen=True)
class Alternative:
    """A team that could have answered, and why it was not proposed."""

    assignment: Mapping[int, int]
    members: tuple[int, ...]
    total_score: float
    reason: str


@dataclass(frozen=True)
class Proposal:
    assignment: Mapping[int, int]  # lot → organisation
    members: tuple[int, ...]
    total_score: float
    lead: int
    alternative: Alternative | None = None


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

    scores = {
        (option.lot, organisation): option.candidates[organisation]
        for option in ordered
        for organisation in option.candidates
    }
    for size in range(1, len(ordered) + 1):
        found = _best_with_at_most(ordered, size, cap, best_of_rest, keep=2)
        if found:
            assignment = found[0]
            total = _total(assignment, scores)
            return Proposal(
                assignment=assignment,
                members=tuple(sorted(set(assignment.values()))),
                total_score=total,
                lead=suggest_lead(
                    assignment, {option.lot: option.person_days for option in ordered}, scores
                ),
                alternative=_alternative(ordered, cap, best_of_rest, found, total, scores),
            )
    raise NoConsortiumError()


def _total(assignment: Mapping[int, int], scores: Mapping[tuple[int, int], float]) -> float:
    return round(sum(scores[(lot, org)] for lot, org in assignment.items()), PRECISION)


def _alternative(
    ordered: Sequence[LotOption],
    cap: int,
    best_of_rest: Sequence[float],
    found: Sequence[dict[int, int]],
    total: float,
    scores: Mapping[tuple[int, int], float],
) -> Alternative | None:
    """The team the proposal was preferred to: a larger one that scores more, else the
    runner-up of the same size, else none (no other team covers every lot)."""
    best = _best_with_at_most(ordered, len(ordered), cap, best_of_rest, keep=1)
    if best and _total(best[0], scores) > total:
        assignment, reason = best[0], MORE_MEMBERS
    elif len(found) > 1:
        assignment, reason = found[1], LOWER_TOTAL
    else:
        return None
    return Alternative(
        assignment=assignment,
        members=tuple(sorted(set(assignment.values()))),
        total_score=_total(assignment, scores),
        reason=reason,
    )


def _best_with_at_most(
    ordered: Sequence[LotOption],
    size: int,
    cap: int,
    best_of_rest: Sequence[float],
    keep: int = 1,
) -> list[dict[int, int]]:
    """The `keep` best assignments (lot → organisation) with at most `size` members, best
    first: the highest total, then lots to the smallest ids."""
    best: list[tuple[float, tuple[tuple[int, int], ...]]] = []
    assignment: dict[int, int] = {}
    counts: dict[int, int] = {}

    def key(total: float) -> tuple[float, tuple[tuple[int, int], ...]]:
        return (-round(total, PRECISION), tuple(sorted(assignment.items())))

    def search(index: int, total: float) -> None:
        if len(best) == keep and round(total + best_of_rest[index], PRECISION) < -best[-1][0]:
            return
        if index == len(ordered):
            best.append(key(total))
            best.sort()
            del best[keep:]
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
    return [dict(items) for _, items in best]
