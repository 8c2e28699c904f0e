"""What makes an entry bookable: its postings, in integer cents, and their balance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace


class LedgerRuleError(ValueError):
    """A rule of the books broken; `code` says which, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Line:
    """One posting of an entry: an account (and its auxiliary account, if any), a side."""

    account: str
    debit: int = 0
    credit: int = 0
    auxiliary: str = ""
    label: str = ""


def check_line(line: Line) -> None:
    """One side only, with a positive amount: LedgerRuleError("amount_negative" |
    "amount_zero" | "debit_and_credit")."""
    if line.debit < 0 or line.credit < 0:
        raise LedgerRuleError("amount_negative")
    if line.debit == 0 and line.credit == 0:
        raise LedgerRuleError("amount_zero")
    if line.debit and line.credit:
        raise LedgerRuleError("debit_and_credit")


def check_lines(lines: Sequence[Line]) -> None:
    """An entry has two postings at least, each valid, and its debits equal its credits:
    LedgerRuleError("too_few_postings" | the line's refusal | "unbalanced")."""
    if len(lines) < 2:
        raise LedgerRuleError("too_few_postings")
    for line in lines:
        check_line(line)
    if balance(lines) != 0:
        raise LedgerRuleError("unbalanced")


def balance(lines: Iterable[Line]) -> int:
    """Debits minus credits, in cents: zero for a balanced entry."""
    return sum(line.debit - line.credit for line in lines)


def reversed_lines(lines: Iterable[Line]) -> list[Line]:
    """The same postings on the other side: booked after the original, they cancel it."""
    return [replace(line, debit=line.credit, credit=line.debit) for line in lines]
