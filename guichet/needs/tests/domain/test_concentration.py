"""Concentration of awarded work: the figures the public page shows."""

from decimal import Decimal

import pytest

from guichet.needs.domain.concentration import concentration, gini, top_share


def test_equal_shares_have_a_gini_of_zero() -> None:
    assert gini([10, 10, 10, 10]) == 0


def test_one_member_taking_everything_has_a_gini_of_n_minus_one_over_n() -> None:
    assert gini([0, 0, 0, 40]) == Decimal(3) / 4


def test_members_who_received_nothing_count() -> None:
    assert gini([10, 10]) < gini([10, 10, 0, 0])


def test_nothing_to_measure_gives_no_figure() -> None:
    assert gini([]) is None
    assert gini([0, 0]) is None
    assert top_share([0, 0]) is None


def test_top_share_takes_at_least_one_member() -> None:
    assert top_share([5, 5, 10]) == Decimal("0.5")
    twenty = [Decimal(1)] * 18 + [Decimal(41), Decimal(41)]
    assert top_share(twenty) == Decimal(82) / 100


def test_concentration_sums_days_exactly() -> None:
    figures = concentration([Decimal("0.5"), Decimal("1.25"), 3])
    assert figures.total_days == Decimal("4.75")
    assert figures.members == 3


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        gini([1, -1])
