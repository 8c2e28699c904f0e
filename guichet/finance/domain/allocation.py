"""Splitting an amount into parts that add up exactly: the largest-remainder method.

Each part first gets the whole cents of its exact share (rounded down); the cents left over
go one each to the parts whose shares lost the most in that rounding, and between equal
losses to the part whose key comes first. The result depends on nothing but the total, the
weights and the keys — not on the order the parts are given in.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction


class AllocationError(ValueError):
    """A split that cannot be made; `code` says why, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Weight = int | Fraction | Decimal


def split_largest_remainder(total: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """`total` cents split in proportion to `weights` (exact numbers, zero or more, not all
    zero), keyed as given. A negative total is split as its opposite, then negated, so a
    refund mirrors the split it refunds. AllocationError("no_parts" | "weight_negative" |
    "weights_zero" | "weight_invalid")."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise AllocationError("weight_invalid")
    if not weights:
        raise AllocationError("no_parts")
    exact = {key: _exact(weight) for key, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise AllocationError("weight_negative")
    whole = sum(exact.values(), Fraction(0))
    if whole == 0:
        raise AllocationError("weights_zero")
    if total < 0:
        return {key: -part for key, part in split_largest_remainder(-total, weights).items()}
    shares = {key: total * weight / whole for key, weight in exact.items()}
    parts = {key: share.numerator // share.denominator for key, share in shares.items()}
    left = total - sum(parts.values())
    # Largest loss first; between equal losses, the smaller key first.
    order = sorted(shares, key=lambda key: (-(shares[key] - parts[key]), key))
    for key in order[:left]:
        parts[key] += 1
    return parts


def _exact(weight: Weight) -> Fraction:
    # A float weight would carry its binary rounding into the split: refused, like bool.
    if isinstance(weight, bool) or not isinstance(weight, int | Fraction | Decimal):
        raise AllocationError("weight_invalid")
    if isinstance(weight, Decimal) and not weight.is_finite():
        raise AllocationError("weight_invalid")
    return Fraction(weight)
