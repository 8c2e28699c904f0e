"""Which client ratings count for a member on a lot, as a pure rule.

A rating is one client evaluation of one mission (its score on the 1 to 5 scale), for each
member that worked on it, with the software of the mission's lots. For a lot, a member's
ratings are those of its missions on at least one of the lot's software, when it has any;
otherwise all its ratings, so that a member new to the software still brings its record.
Both matching engines apply this rule: `matching.py` through the candidates the plain
queries build, `matching_arrays.py` over the network index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rating:
    """One evaluation of a mission, as it counts for one member of that mission."""

    organisation: int
    score: float
    software: frozenset[int]


@dataclass(frozen=True)
class MemberRatings:
    """What the satisfaction component reads: the mean, how many, and whether they are the
    ratings of missions on the lot's software (else all the member's ratings)."""

    mean: float
    count: int
    on_software: bool = False


def ratings_for_lot(ratings: Iterable[Rating], software: Iterable[int]) -> dict[int, MemberRatings]:
    """Each rated member's ratings for a lot on `software` (all of them when it names none,
    or when the member has no mission on any of it)."""
    wanted = frozenset(software)
    every: dict[int, list[float]] = defaultdict(list)
    on_software: dict[int, list[float]] = defaultdict(list)
    for rating in ratings:
        every[rating.organisation].append(rating.score)
        if wanted & rating.software:
            on_software[rating.organisation].append(rating.score)
    found = {}
    for organisation, scores in every.items():
        chosen = on_software.get(organisation)
        kept = chosen or scores
        found[organisation] = MemberRatings(
            mean=mean_of(kept), count=len(kept), on_software=bool(chosen)
        )
    return found


def mean_of(scores: list[float]) -> float:
    """The mean as both engines compute it: the sum in order, then one division."""
    total = 0.0
    for score in scores:
        total += score
    return total / len(scores)
