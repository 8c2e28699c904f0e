"""The largest-remainder split: parts add up to the total exactly, each within a cent of its
exact share, the same every time, ties going to the first key."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.finance.domain.allocation import AllocationError, split_largest_remainder

keys = st.text(alphabet="abcdefghij", min_size=1, max_size=4)
weights = st.dictionaries(keys, st.integers(0, 1000), min_size=1, max_size=12).filter(
    lambda found: sum(found.values()) > 0
)
totals = st.integers(-(10**12), 10**12)


@settings(max_examples=150, deadline=None)
@given(totals, weights)
def test_the_parts_add_up_to_the_total_exactly(total: int, shares: dict[str, int]) -> None:
    assert sum(split_largest_remainder(total, shares).values()) == total


@settings(max_examples=150, deadline=None)
@given(totals, weights)
def test_each_part_is_within_one_cent_of_its_exact_share(
    total: int, shares: dict[str, int]
) -> None:
    parts = split_largest_remainder(total, shares)
    whole = sum(shares.values())
    for key, part in parts.items():
        assert abs(part - Fraction(total * shares[key], whole)) < 1


@settings(max_examples=150, deadline=None)
@given(totals, weights, st.randoms())
def test_the_split_depends_not_on_the_order_the_parts_come_in(
    total: int, shares: dict[str, int], random: object
) -> None:
    items = list(shares.items())
    random.shuffle(items)  # type: ignore[attr-defined]

    assert split_largest_remainder(total, dict(items)) == split_largest_remainder(total, shares)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**9), weights)
def test_a_refund_mirrors_the_split_it_refunds(total: int, shares: dict[str, int]) -> None:
    split = split_largest_remainder(total, shares)
    assert split_largest_remainder(-total, shares) == {key: -part for key, part in split.items()}


def test_leftover_cents_go_to_the_largest_remainders() -> None:
    # 100 cents in 1/6, 2/6, 3/6: 16.67, 33.33, 50 → 16 + 33 + 50, one cent left, for "a".
    assert split_largest_remainder(100, {"a": 1, "b": 2, "c": 3}) == {"a": 17, "b": 33, "c": 50}


def test_equal_remainders_go_to_the_first_key() -> None:
    assert split_largest_remainder(100, {"c": 1, "a": 1, "b": 1}) == {"a": 34, "b": 33, "c": 33}
    assert split_largest_remainder(2, {"z": 1, "y": 1, "x": 1}) == {"x": 1, "y": 1, "z": 0}


def test_exact_weights_may_be_decimals_or_fractions() -> None:
    split = split_largest_remainder(
        1000, {"membres": Decimal("85"), "amont": Fraction(5), "coop": Decimal("10.0")}
    )
    assert split == {"membres": 850, "amont": 50, "coop": 100}


def test_a_part_of_weight_zero_gets_nothing() -> None:
    assert split_largest_remainder(101, {"a": 1, "b": 0, "c": 1}) == {"a": 51, "b": 0, "c": 50}


@pytest.mark.parametrize(
    ("total", "shares", "code"),
    [
        (100, {}, "no_parts"),
        (100, {"a": -1, "b": 2}, "weight_negative"),
        (100, {"a": 0, "b": 0}, "weights_zero"),
        (100, {"a": 0.5, "b": 0.5}, "weight_invalid"),
        (100, {"a": True}, "weight_invalid"),
        (100, {"a": Decimal("NaN")}, "weight_invalid"),
        (100.0, {"a": 1}, "weight_invalid"),
    ],
)
def test_splits_that_cannot_be_made_exactly_are_refused(
    total: object, shares: dict[str, object], code: str
) -> None:
    with pytest.raises(AllocationError) as refused:
        split_largest_remainder(total, shares)  # type: ignore[arg-type]
    assert refused.value.code == code
