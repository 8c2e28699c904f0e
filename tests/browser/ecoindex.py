"""The EcoIndex of a page, from its DOM size, its number of requests and its weight.

Written from the description in docs/quality-budgets.md (the published Python packages carry
a non-commercial, no-derivatives licence): each figure is placed in a table of quantiles, and
the three positions are weighted 3 : 2 : 1 into a score out of 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

QUANTILES_DOM = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801,
    2479, 594601,
)  # fmt: skip
QUANTILES_REQUESTS = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
)  # fmt: skip
QUANTILES_SIZE_KB = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27,
    1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
)  # fmt: skip

# Lowest score (exclusive) of each grade, best first; anything at or below 10 is a G.
GRADES = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))


def quantile_position(value: float, quantiles: Sequence[float]) -> float:
    """Where `value` sits in `quantiles`: 0 at the first bound, 20 past the last one.

    For the first index `i` such that `value < Q[i]`:
    `q = (i - 1) + (value - Q[i-1]) / (Q[i] - Q[i-1])`; if there is none, `q = 20`.
    """
    if value < 0:
        raise ValueError(f"A page figure cannot be negative: {value!r}.")
    for i, bound in enumerate(quantiles):
        if value < bound:
            previous = quantiles[i - 1]
            return (i - 1) + (value - previous) / (bound - previous)
    return float(len(quantiles) - 1)


def raw_score(dom: float, requests: float, size_kb: float) -> float:
    """The score before rounding: `100 - 5 * (3*q_dom + 2*q_requests + q_size) / 6`."""
    q_dom = quantile_position(dom, QUANTILES_DOM)
    q_requests = quantile_position(requests, QUANTILES_REQUESTS)
    q_size = quantile_position(size_kb, QUANTILES_SIZE_KB)
    return 100 - 5 * (3 * q_dom + 2 * q_requests + q_size) / 6


def score(dom: float, requests: float, size_kb: float) -> int:
    """The EcoIndex, an integer from 0 (worst) to 100 (best)."""
    return round(raw_score(dom, requests, size_kb))


def grade(value: float) -> str:
    """The letter of a score: A above 80, B above 70, C above 55, D above 40, E above 25,
    F above 10, G otherwise."""
    for letter, floor in GRADES:
        if value > floor:
            return letter
    return "G"


def greenhouse_gases(value: float) -> float:
    """Greenhouse gases of one page view, in grams of CO2 equivalent."""
    return round(100 * (2 + 2 * (50 - value) / 100)) / 100


def water(value: float) -> float:
    """Water consumed by one page view, in centilitres."""
    return round(100 * (3 + 3 * (50 - value) / 100)) / 100


@dataclass(frozen=True)
class EcoIndex:
    dom: int
    requests: int
    size_kb: float

    @property
    def score(self) -> int:
        return score(self.dom, self.requests, self.size_kb)

    @property
    def grade(self) -> str:
        return grade(self.score)

    @property
    def greenhouse_gases(self) -> float:
        return greenhouse_gases(self.score)

    @property
    def water(self) -> float:
        return water(self.score)
