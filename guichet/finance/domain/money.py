"""Exact money: amounts are integer cents inside the books, never floats.

People and other apps give amounts as `Decimal`, whole euros or text ("1 234,56"); an amount
with more than two decimals is refused, never rounded, so that nothing changes silently.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# Under a trillion euros: far beyond any cooperative's books, well inside a 64-bit integer.
MAX_CENTS = 10**14 - 1
_SPACES = (" ", "\u00a0", "\u202f")


class MoneyError(ValueError):
    """An amount that cannot be booked; `code` says why, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def to_cents(value: Decimal | int | str) -> int:
    """The amount in cents, exactly; MoneyError("amount_invalid" | "amount_too_precise" |
    "amount_too_large"). A float is refused: it may already have lost a cent."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise MoneyError("amount_invalid")
    if isinstance(value, int):
        return _bounded(value * 100)
    if isinstance(value, str):
        value = _parsed(value)
    if not value.is_finite():
        raise MoneyError("amount_invalid")
    if value.adjusted() > 13:
        raise MoneyError("amount_too_large")
    # From the digits themselves: Decimal arithmetic rounds past 28 digits, and would then
    # take 1.0000000000000000000000000001 for a whole euro.
    sign, digit_tuple, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite Decimal
    digits = list(digit_tuple)
    while exponent < -2 and digits and digits[-1] == 0:
        digits.pop()
        exponent += 1
    if exponent < -2 and digits:
        raise MoneyError("amount_too_precise")
    number = int("".join(map(str, digits)) or "0")
    cents = number * 10 ** (exponent + 2) if digits else 0
    return _bounded(-cents if sign else cents)


def _parsed(text: str) -> Decimal:
    cleaned = text.strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    # The French decimal comma, when it is the only separator.
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError("amount_invalid") from None


def _bounded(cents: int) -> int:
    if abs(cents) > MAX_CENTS:
        raise MoneyError("amount_too_large")
    return cents


def to_decimal(cents: int) -> Decimal:
    """Cents as a Decimal with two places: 123456 → Decimal("1234.56")."""
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def decimal_comma(cents: int) -> str:
    """Cents written with a decimal comma and no thousands separator: 123456 → "1234,56"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"
