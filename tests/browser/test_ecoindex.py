"""The EcoIndex implementation, pinned on the checks given in docs/quality-budgets.md."""

import pytest

from .ecoindex import (
    QUANTILES_DOM,
    QUANTILES_REQUESTS,
    QUANTILES_SIZE_KB,
    EcoIndex,
    grade,
    greenhouse_gases,
    quantile_position,
    raw_score,
    score,
    water,
)


def test_documented_reference_page() -> None:
    page = EcoIndex(dom=693, requests=78, size_kb=2420)
    assert page.score == 44
    assert page.grade == "D"


def test_the_budget_ceiling_scores_80() -> None:
    assert score(400, 6, 40) == 80
    assert raw_score(400, 6, 40) == pytest.approx(79.98, abs=0.01)


def test_a_page_under_the_ceiling_scores_84() -> None:
    assert score(300, 5, 40) == 84


def test_an_empty_page_scores_100() -> None:
    assert score(0, 0, 0) == 100
    assert grade(100) == "A"


def test_figures_past_the_last_quantile_score_0() -> None:
    assert quantile_position(10**7, QUANTILES_DOM) == 20
    assert score(10**7, 10**5, 10**7) == 0
    assert grade(0) == "G"


@pytest.mark.parametrize("quantiles", [QUANTILES_DOM, QUANTILES_REQUESTS, QUANTILES_SIZE_KB])
def test_each_bound_of_a_table_is_its_own_index(quantiles: tuple[float, ...]) -> None:
    for i, bound in enumerate(quantiles[:-1]):
        assert quantile_position(bound, quantiles) == pytest.approx(i)


def test_a_value_between_bounds_is_interpolated() -> None:
    # 2 requests is the second bound (1), 15 the third (2): 8.5 sits half-way.
    assert quantile_position(8.5, QUANTILES_REQUESTS) == pytest.approx(1.5)


def test_a_value_at_the_last_bound_is_past_the_table() -> None:
    assert quantile_position(QUANTILES_REQUESTS[-1], QUANTILES_REQUESTS) == 20


def test_a_negative_figure_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        quantile_position(-1, QUANTILES_DOM)


def test_more_of_anything_never_raises_the_score() -> None:
    base = raw_score(300, 5, 30)
    assert raw_score(301, 5, 30) < base
    assert raw_score(300, 6, 30) < base
    assert raw_score(300, 5, 31) < base


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        (81, "A"),
        (80, "B"),  # "A > 80": a page exactly at the budget ceiling is graded B.
        (71, "B"),
        (70, "C"),
        (56, "C"),
        (55, "D"),
        (41, "D"),
        (40, "E"),
        (26, "E"),
        (25, "F"),
        (11, "F"),
        (10, "G"),
    ],
)
def test_grade_boundaries(value: int, letter: str) -> None:
    assert grade(value) == letter


def test_greenhouse_gases_and_water() -> None:
    assert greenhouse_gases(50) == 2
    assert water(50) == 3
    assert greenhouse_gases(44) == 2.12
    assert water(44) == 3.18
    assert greenhouse_gases(100) == 1
    assert water(100) == 1.5
    assert EcoIndex(693, 78, 2420).greenhouse_gases == 2.12
