"""Delivered days and invoices as pure rules (exact decimals)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from guichet.missions.domain.delivery import (
    amount_incl_tax,
    delivered_days_refusal,
    month_start,
    vat_amount,
)

TODAY = date(2026, 5, 14)
MAXIMUM = Decimal(23)


def _code(days: str, month: date = date(2026, 5, 1)) -> str | None:
    refusal = delivered_days_refusal(
        days=Decimal(days), month=month, today=TODAY, monthly_maximum=MAXIMUM
    )
    return refusal.code if refusal else None


def test_days_from_zero_to_the_monthly_maximum_are_accepted() -> None:
    assert _code("0") is None
    assert _code("12.5") is None
    assert _code("23") is None


def test_negative_days_and_days_over_the_maximum_are_refused() -> None:
    assert _code("-0.5") == "days_negative"
    assert _code("23.5") == "days_over_maximum"


def test_days_are_recorded_for_past_and_current_months_only() -> None:
    assert _code("3", date(2025, 12, 1)) is None
    assert _code("3", date(2026, 6, 1)) == "month_in_future"
    assert _code("3", date(2027, 1, 1)) == "month_in_future"


def test_a_month_is_named_by_its_first_day() -> None:
    assert month_start(date(2026, 2, 28)) == date(2026, 2, 1)


def test_vat_is_rounded_half_up_to_the_cent() -> None:
    assert vat_amount(Decimal("1000.00"), Decimal("20.00")) == Decimal("200.00")
    assert vat_amount(Decimal("0.25"), Decimal("10.00")) == Decimal("0.03")  # 0.025 → 0.03
    assert vat_amount(Decimal("612.35"), Decimal("5.50")) == Decimal("33.68")  # 33.67925


def test_the_amount_including_tax_adds_the_rounded_vat() -> None:
    assert amount_incl_tax(Decimal("612.35"), Decimal("20")) == Decimal("734.82")
    assert amount_incl_tax(Decimal("100"), Decimal("0")) == Decimal("100.00")
    assert isinstance(amount_incl_tax(Decimal("1.005"), Decimal("20")), Decimal)
