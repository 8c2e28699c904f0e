"""Amounts become exact cents, or are refused: never rounded, never floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.finance.domain.money import (
    MAX_CENTS,
    MoneyError,
    decimal_comma,
    to_cents,
    to_decimal,
)


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (Decimal("12.34"), 1234),
        (Decimal("12.3"), 1230),
        (Decimal("12.340"), 1234),
        (Decimal("-0.01"), -1),
        (7, 700),
        ("1234,56", 123456),
        ("1 234,56", 123456),
        ("1\u202f234,56", 123456),
        (" 99.90 ", 9990),
        (Decimal("1E+2"), 10000),
        ("0", 0),
    ],
)
def test_amounts_in_every_written_form_become_exact_cents(value: object, cents: int) -> None:
    assert to_cents(value) == cents  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [Decimal("12.345"), "0,001", Decimal("1.0000000000000000000000000001"), "1E-30"],
)
def test_an_amount_with_more_than_two_decimals_is_refused_not_rounded(value: object) -> None:
    with pytest.raises(MoneyError) as refused:
        to_cents(value)  # type: ignore[arg-type]
    assert refused.value.code == "amount_too_precise"


@pytest.mark.parametrize(
    "value", [12.5, True, None, "douze", "", "1,2,3", Decimal("NaN"), Decimal("Infinity")]
)
def test_floats_and_what_is_not_a_number_are_refused(value: object) -> None:
    with pytest.raises(MoneyError) as refused:
        to_cents(value)  # type: ignore[arg-type]
    assert refused.value.code == "amount_invalid"


@pytest.mark.parametrize("value", [Decimal("1E+20"), "1000000000000", 10**13])
def test_amounts_beyond_a_trillion_euros_are_refused(value: object) -> None:
    with pytest.raises(MoneyError) as refused:
        to_cents(value)  # type: ignore[arg-type]
    assert refused.value.code == "amount_too_large"


@given(st.integers(-MAX_CENTS, MAX_CENTS))
def test_cents_go_to_decimal_and_back_unchanged(cents: int) -> None:
    assert to_cents(to_decimal(cents)) == cents
    assert to_cents(decimal_comma(cents)) == cents


def test_the_fec_writes_a_decimal_comma_without_thousands_separator() -> None:
    assert decimal_comma(123456789) == "1234567,89"
    assert decimal_comma(5) == "0,05"
    assert decimal_comma(0) == "0,00"
    assert decimal_comma(-1050) == "-10,50"
