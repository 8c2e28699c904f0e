"""The chart the books start with is the one docs/finance/chart.md documents, and the
auxiliary accounts are made once per client, supplier and upstream project."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from guichet.core.models import AuditEntry
from guichet.finance.domain.chart import check_account_number
from guichet.finance.messages import FinanceError
from guichet.finance.models import Account, AuxiliaryAccount, AuxiliaryKind, Journal
from guichet.finance.services.auxiliary import auxiliary_account_for
from guichet.finance.tests.factories import organisation, software

pytestmark = pytest.mark.django_db

CHART = Path(settings.BASE_DIR) / "docs" / "finance" / "chart.md"


def documented_table(heading: str) -> list[list[str]]:
    """The rows of the first table under `## heading` in chart.md."""
    section = CHART.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].splitlines()
    start = next(n for n, line in enumerate(section) if line.startswith("|"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), section[start:]))
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_the_seeded_accounts_are_those_the_chart_documents() -> None:
    documented = {
        (number, name, name_en, mark == "✓")
        for number, name, name_en, mark in documented_table("Accounts")
    }
    seeded = set(Account.objects.values_list("number", "name", "name_en", "requires_auxiliary"))

    assert seeded == documented


def test_the_seeded_journals_are_those_the_chart_documents() -> None:
    documented = {tuple(row) for row in documented_table("Journals")}
    seeded = set(Journal.objects.values_list("code", "name", "name_en", "kind"))

    assert seeded == documented


def test_every_seeded_account_number_follows_the_pcg() -> None:
    for number in Account.objects.values_list("number", flat=True):
        check_account_number(number)
    required = {"512", "411", "401", "44566", "44571", "706", "1013", "1061", "1063", "1068"}
    assert required <= set(Account.objects.values_list("number", flat=True))


def test_a_client_gets_its_auxiliary_account_once() -> None:
    mairie = organisation("Mairie de Villeurbanne")

    first = auxiliary_account_for(kind=AuxiliaryKind.CLIENT, organisation=mairie, by=None)
    again = auxiliary_account_for(kind=AuxiliaryKind.CLIENT, organisation=mairie, by=None)

    assert first == again
    assert (first.account.number, first.code, first.name) == (
        "411",
        f"CLI{mairie.pk:06d}",
        "Mairie de Villeurbanne",
    )
    assert AuditEntry.objects.filter(action="finance.auxiliary.create").count() == 1


def test_one_organisation_may_be_both_client_and_supplier() -> None:
    member = organisation("Libre et Local", member=True)

    as_client = auxiliary_account_for(kind=AuxiliaryKind.CLIENT, organisation=member, by=None)
    as_supplier = auxiliary_account_for(kind=AuxiliaryKind.SUPPLIER, organisation=member, by=None)

    assert (as_client.account.number, as_supplier.account.number) == ("411", "401")
    assert as_supplier.code == f"FRN{member.pk:06d}"


def test_an_upstream_project_gets_its_account_in_the_upstream_fund() -> None:
    grist = software("Grist")

    account = auxiliary_account_for(kind=AuxiliaryKind.UPSTREAM_PROJECT, software=grist, by=None)

    assert (account.account.number, account.code, account.software_id) == (
        "4671",
        f"PRJ{grist.pk:06d}",
        grist.pk,
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"kind": AuxiliaryKind.CLIENT},
        {"kind": AuxiliaryKind.UPSTREAM_PROJECT},
        {"kind": AuxiliaryKind.CLIENT, "with_software": True, "with_organisation": True},
        {"kind": AuxiliaryKind.UPSTREAM_PROJECT, "with_organisation": True},
    ],
)
def test_an_auxiliary_account_needs_the_holder_its_kind_names(arguments: dict[str, Any]) -> None:
    extra: dict[str, Any] = {}
    if arguments.pop("with_software", False):
        extra["software"] = software()
    if arguments.pop("with_organisation", False):
        extra["organisation"] = organisation()
    with pytest.raises(FinanceError) as refused:
        auxiliary_account_for(by=None, **arguments, **extra)
    assert refused.value.code == "auxiliary_holder_required"
    assert not AuxiliaryAccount.objects.exists()


def test_the_database_refuses_an_auxiliary_account_without_its_holder() -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO finance_auxiliaryaccount (account_id, kind, code, name, created_at) "
            "VALUES (%s, 'client', 'CLI999999', 'Personne', '2026-01-01 00:00:00')",
            [Account.objects.get(number="411").pk],
        )
