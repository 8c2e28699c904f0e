"""Where client satisfaction comes from: an extension point for the missions app.

Missions depend on needs, not the reverse, so the missions app registers a source of
ratings here when it starts (AppConfig.ready): one rating per evaluated mission and member,
with the mission's software. Until one is registered, nobody is rated and satisfaction is
neutral for all. Which ratings count for a lot is the rule of `domain/satisfaction.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from guichet.needs.domain.satisfaction import MemberRatings, Rating, ratings_for_lot

# The name the rest of the code reads a member's figures by.
Satisfaction = MemberRatings

# organisation ids → every rating of these organisations
Source = Callable[[Iterable[int]], list[Rating]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def ratings_of(organisations: Iterable[int]) -> list[Rating]:
    """Every rating of these organisations, from every registered source."""
    organisations = list(organisations)
    found: list[Rating] = []
    for source in _sources:
        found.extend(source(organisations))
    return found


def satisfaction_of(
    organisations: Iterable[int], software: Iterable[int]
) -> dict[int, Satisfaction]:
    """Each rated organisation's ratings for a lot on `software` (see domain/satisfaction)."""
    return ratings_for_lot(ratings_of(organisations), software)
