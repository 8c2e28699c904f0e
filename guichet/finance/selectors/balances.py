"""Balances of the accounts, from validated entries only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from guichet.finance.models import EntryStatus, FiscalYear, Posting


@dataclass(frozen=True)
class AccountBalance:
    """One account's totals in cents; `balance` is debit minus credit."""

    number: str
    name: str
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        return self.debit - self.credit


def trial_balance(*, year: FiscalYear | None = None) -> list[AccountBalance]:
    """Every account with validated postings (in `year`, or ever), in number order: one
    aggregate query. Its balances add up to zero when the books hold."""
    postings = Posting.objects.filter(entry__status=EntryStatus.VALIDATED)
    if year is not None:
        postings = postings.filter(entry__fiscal_year=year)
    rows = (
        postings.values("account__number", "account__name")
        .annotate(total_debit=Sum("debit_cents"), total_credit=Sum("credit_cents"))
        .order_by("account__number")
    )
    return [
        AccountBalance(
            row["account__number"], row["account__name"], row["total_debit"], row["total_credit"]
        )
        for row in rows
    ]
