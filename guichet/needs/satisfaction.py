"""Where client satisfaction comes from: an extension point for the missions app.

Missions depend on needs, not the reverse, so the missions app registers a source here when
it starts (AppConfig.ready). Until one is registered, nobody is rated and satisfaction is
neutral for all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Satisfaction:
    mean: float
    count: int


# organisations, software ids → {organisation id: satisfaction}
Source = Callable[[Iterable[int], Iterable[int]], dict[int, Satisfaction]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def satisfaction_of(
    organisations: Iterable[int], software: Iterable[int]
) -> dict[int, Satisfaction]:
    organisations, software = list(organisations), list(software)
    found: dict[int, Satisfaction] = {}
    for source in _sources:
        found.update(source(organisations, software))
    return found
