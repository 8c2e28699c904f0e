"""Building blocks of the finance tests: fiscal years, accounts and entries through the
services, as the books are really kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from guichet.accounts.models import User
from guichet.finance.models import (
    Account,
    AuxiliaryAccount,
    AuxiliaryKind,
    Entry,
    FiscalYear,
    Journal,
)
from guichet.finance.services.auxiliary import auxiliary_account_for
from guichet.finance.services.entries import PostingInput, entry_create, entry_validate
from guichet.finance.services.fiscal_years import fiscal_year_open
from guichet.network.models import Organisation, Software

Amount = Decimal | int | str
# (account number, debit, credit) or (account number, debit, credit, auxiliary account)
LineSpec = tuple[str, Amount, Amount] | tuple[str, Amount, Amount, AuxiliaryAccount]
BANK_FEES: list[LineSpec] = [("627", "12.50", 0), ("512", 0, "12.50")]


def year(starts_on: date = date(2026, 1, 1), ends_on: date = date(2026, 12, 31)) -> FiscalYear:
    """The fiscal year of these dates, opened through the service the first time."""
    found = FiscalYear.objects.filter(starts_on=starts_on).first()
    return found or fiscal_year_open(starts_on=starts_on, ends_on=ends_on, by=None)


def account(number: str) -> Account:
    return Account.objects.get(number=number)


def journal(code: str) -> Journal:
    return Journal.objects.get(code=code)


def organisation(name: str = "Mairie de Villeurbanne", member: bool = False) -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        slug=name.lower().replace(" ", "-"),
        defaults={
            "name": name,
            "kind": "company" if member else "public_body",
            "is_member": member,
        },
    )
    return found


def software(name: str = "Grist") -> Software:
    found, _ = Software.objects.get_or_create(slug=name.lower(), defaults={"name": name})
    return found


def client_account(name: str = "Mairie de Villeurbanne") -> AuxiliaryAccount:
    return auxiliary_account_for(
        kind=AuxiliaryKind.CLIENT, organisation=organisation(name), by=None
    )


def supplier_account(name: str = "Libre et Local") -> AuxiliaryAccount:
    return auxiliary_account_for(
        kind=AuxiliaryKind.SUPPLIER, organisation=organisation(name, member=True), by=None
    )


def project_account(name: str = "Grist") -> AuxiliaryAccount:
    return auxiliary_account_for(
        kind=AuxiliaryKind.UPSTREAM_PROJECT, software=software(name), by=None
    )


def postings(lines: Sequence[LineSpec]) -> list[PostingInput]:
    return [
        PostingInput(
            account=account(spec[0]),
            debit=spec[1],
            credit=spec[2],
            auxiliary=spec[3] if len(spec) > 3 else None,  # type: ignore[misc]
        )
        for spec in lines
    ]


def draft(
    lines: Sequence[LineSpec] = BANK_FEES,
    *,
    code: str = "BQ",
    on: date = date(2026, 3, 1),
    label: str = "Frais bancaires de mars",
    reference: str = "REL-2026-03",
    by: User | None = None,
) -> Entry:
    return entry_create(
        journal=journal(code),
        date=on,
        label=label,
        document_reference=reference,
        postings=postings(lines),
        by=by,
    )


def posted(lines: Sequence[LineSpec] = BANK_FEES, **fields: object) -> Entry:
    """A validated entry."""
    return entry_validate(entry=draft(lines, **fields), by=None)  # type: ignore[arg-type]
