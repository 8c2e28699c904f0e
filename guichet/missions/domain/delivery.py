"""Delivered days and invoices, as pure rules (amounts are exact decimals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Refusal:
    code: str


def delivered_days_refusal(
    *, days: Decimal, month: date, today: date, monthly_maximum: Decimal
) -> Refusal | None:
    """None when `days` may be recorded for `month`: not negative, at most the monthly
    maximum of one organisation on one mission, and not for a month still to come."""
    if days < 0:
        return Refusal("days_negative")
    if days > monthly_maximum:
        return Refusal("days_over_maximum")
    if (month.year, month.month) > (today.year, today.month):
        return Refusal("month_in_future")
    return None


def month_start(day: date) -> date:
    return day.replace(day=1)


def vat_amount(amount_excl_tax: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT on an amount, rate in percent, rounded half up to the cent."""
    return (amount_excl_tax * vat_rate / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_incl_tax(amount_excl_tax: Decimal, vat_rate: Decimal) -> Decimal:
    return amount_excl_tax.quantize(CENT, rounding=ROUND_HALF_UP) + vat_amount(
        amount_excl_tax, vat_rate
    )
