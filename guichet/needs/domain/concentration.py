"""How concentrated the network's work is: is it spread among members, or taken by a few?

Measured on the person-days awarded to each member over a period, counting members that
received nothing: a network where three members take everything should look like it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = int | float | Decimal


@dataclass(frozen=True)
class Concentration:
    members: int
    total_days: Decimal
    top_share: Decimal | None
    gini: Decimal | None


def gini(values: Sequence[Number]) -> Decimal | None:
    """The Gini index: 0 when every member received the same, near 1 when one took all.

    Computed exactly on decimals from the sorted values:
    G = (2 Σ i·x_i) / (n Σ x_i) - (n + 1) / n, with i from 1 and x ascending.
    None when there is nothing to measure (no member, or no day awarded).
    """
    amounts = sorted(Decimal(str(value)) for value in values)
    if any(amount < 0 for amount in amounts):
        raise ValueError("awarded days cannot be negative")
    n = len(amounts)
    total = sum(amounts, Decimal(0))
    if n == 0 or total == 0:
        return None
    weighted = sum((index * amount for index, amount in enumerate(amounts, 1)), Decimal(0))
    return (2 * weighted) / (n * total) - Decimal(n + 1) / n


def top_share(values: Sequence[Number], fraction: Decimal = Decimal("0.1")) -> Decimal | None:
    """The share of all days that went to the top `fraction` of members (at least one member)."""
    amounts = sorted((Decimal(str(value)) for value in values), reverse=True)
    total = sum(amounts, Decimal(0))
    if not amounts or total == 0:
        return None
    top = max(1, math.ceil(len(amounts) * fraction))
    return sum(amounts[:top], Decimal(0)) / total


def concentration(values: Sequence[Number]) -> Concentration:
    amounts = [Decimal(str(value)) for value in values]
    return Concentration(
        members=len(amounts),
        total_days=sum(amounts, Decimal(0)),
        top_share=top_share(amounts),
        gini=gini(amounts),
    )
