"""The chart of accounts: PCG numbers, and the codes of auxiliary accounts."""

from __future__ import annotations

from guichet.finance.domain.entries import LedgerRuleError

# Auxiliary accounts (comptes auxiliaires) by kind: the prefix of their code.
AUXILIARY_PREFIXES = {"client": "CLI", "supplier": "FRN", "upstream_project": "PRJ"}


def check_account_number(number: str) -> None:
    """A PCG account number: 3 to 10 digits, its first the class (1 to 8):
    LedgerRuleError("account_number_invalid")."""
    if not (3 <= len(number) <= 10 and number.isascii() and number.isdigit()):
        raise LedgerRuleError("account_number_invalid")
    if number[0] not in "12345678":
        raise LedgerRuleError("account_number_invalid")


def auxiliary_code(kind: str, identifier: int) -> str:
    """The code of the auxiliary account of one client, supplier or upstream project:
    its kind's prefix and the record's number on six digits (CLI000042)."""
    return f"{AUXILIARY_PREFIXES[kind]}{identifier:06d}"
