"""The FEC export: the file a tax audit asks for, read back as an auditor's tool would."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.finance.domain.fec import COLUMNS
from guichet.finance.models import FiscalYear
from guichet.finance.selectors.fec import fec_lines
from guichet.finance.services.entries import entry_reverse
from guichet.finance.tests.factories import (
    client_account,
    draft,
    posted,
    project_account,
    supplier_account,
    year,
)

pytestmark = pytest.mark.django_db

FILE_NAME = "902817469FEC20261231.txt"


@pytest.fixture
def books() -> dict[str, Any]:
    """A year of books: a sale, a purchase, bank fees, an upstream share, a reversal, an
    opening entry validated last, a draft (not exported), and an entry of the year before."""
    year(date(2025, 1, 1), date(2025, 12, 31))
    year()
    posted(on=date(2025, 12, 1), label="Frais 2025")
    client, supplier = client_account(), supplier_account()
    sale = posted(
        [("411", "1200", 0, client), ("706", 0, "1000"), ("44571", 0, "200")],
        code="VT",
        on=date(2026, 2, 3),
        label="Facture F-2026-001 — Mairie",
        reference="F-2026-001",
    )
    posted([("604", "850", 0), ("44566", "170", 0), ("401", 0, "1020", supplier)], code="AC")
    posted()  # bank fees
    posted(
        [("6588", "50", 0), ("4671", 0, "50", project_account())],
        code="OD",
        label="Part amont\tGrist",
    )
    entry_reverse(entry=sale, by=None, date=date(2026, 2, 10))
    posted([("512", "5000", 0), ("1013", 0, "5000")], code="AN", on=date(2026, 1, 1))
    draft(label="Brouillon non exporté")
    return {"sale": sale}


def exported(tmp_path: Path) -> list[list[str]]:
    call_command("fec_export", year=2026, output=str(tmp_path), stdout=StringIO())
    raw = (tmp_path / FILE_NAME).read_bytes()
    text = raw.decode("utf-8")  # fails if the file is not UTF-8
    lines = text.split("\r\n")
    assert lines[-1] == ""
    return [line.split("\t") for line in lines[:-1]]


def amount(text: str) -> Decimal:
    assert re.fullmatch(r"\d+,\d{2}", text), text
    return Decimal(text.replace(",", "."))


def test_the_file_is_named_after_the_siren_and_the_last_day_of_the_year(
    books: dict[str, Any], tmp_path: Path
) -> None:
    exported(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [FILE_NAME]


def test_the_first_line_names_the_eighteen_columns_in_their_legal_order(
    books: dict[str, Any], tmp_path: Path
) -> None:
    header, *rows = exported(tmp_path)

    assert tuple(header) == COLUMNS
    assert len(rows) == 2 + 3 + 3 + 2 + 2 + 3  # opening, sale, purchase, fees, upstream, reversal
    assert all(len(row) == 18 for row in rows)


def test_every_entry_read_back_balances_and_numbers_run_on_in_each_journal(
    books: dict[str, Any], tmp_path: Path
) -> None:
    _, *rows = exported(tmp_path)
    column = {name: index for index, name in enumerate(COLUMNS)}
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    numbers: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        key = (row[column["JournalCode"]], row[column["EcritureNum"]])
        totals[key] += amount(row[column["Debit"]]) - amount(row[column["Credit"]])
        if int(key[1]) not in numbers[key[0]]:
            numbers[key[0]].append(int(key[1]))
        for name in ("EcritureDate", "PieceDate", "ValidDate"):
            assert re.fullmatch(r"20\d{6}", row[column[name]]), (name, row)

    assert all(total == 0 for total in totals.values())
    assert dict(numbers) == {
        "AN": [1],
        "VT": [1, 2],
        "AC": [1],
        "BQ": [1],
        "OD": [1],
    }


def test_opening_entries_come_first_then_every_entry_in_validation_order(
    books: dict[str, Any], tmp_path: Path
) -> None:
    _, *rows = exported(tmp_path)
    order = list(dict.fromkeys((row[0], row[2]) for row in rows))

    assert order == [("AN", "1"), ("VT", "1"), ("AC", "1"), ("BQ", "1"), ("OD", "1"), ("VT", "2")]


def test_a_posting_line_carries_accounts_auxiliary_accounts_and_documents(
    books: dict[str, Any], tmp_path: Path
) -> None:
    _, *rows = exported(tmp_path)
    client_line = next(row for row in rows if row[4] == "411" and row[2] == "1")
    upstream_line = next(row for row in rows if row[4] == "4671")

    assert client_line[:13] == [
        "VT", "Ventes", "1", "20260203", "411", "Clients", client_line[6],
        "Mairie de Villeurbanne", "F-2026-001", "20260203", "Facture F-2026-001 — Mairie",
        "1200,00", "0,00",
    ]  # fmt: skip
    assert client_line[6].startswith("CLI")
    assert client_line[13:] == ["", "", client_line[15], "", ""]
    assert upstream_line[6:8] == [upstream_line[6], "Grist"]
    assert upstream_line[10] == "Part amont Grist"  # a tab inside a label never splits a field


def test_drafts_and_other_years_stay_out(books: dict[str, Any], tmp_path: Path) -> None:
    _, *rows = exported(tmp_path)
    labels = {row[10] for row in rows}

    assert "Brouillon non exporté" not in labels
    assert "Frais 2025" not in labels
    assert all(row[3].startswith("2026") for row in rows)


def test_the_export_reads_in_two_queries_whatever_the_number_of_postings(
    books: dict[str, Any],
) -> None:
    fiscal_year = FiscalYear.objects.get(starts_on=date(2026, 1, 1))
    with CaptureQueriesContext(connection) as few:
        small = list(fec_lines(year=fiscal_year))
    for _ in range(15):
        posted()
    with CaptureQueriesContext(connection) as more:
        large = list(fec_lines(year=fiscal_year))

    assert len(large) == len(small) + 30
    assert len(few) == len(more) == 2


def test_the_export_is_a_stream_read_only_as_lines_are_asked_for(books: dict[str, Any]) -> None:
    fiscal_year = FiscalYear.objects.get(starts_on=date(2026, 1, 1))
    lines = fec_lines(year=fiscal_year)
    with CaptureQueriesContext(connection) as queries:
        assert next(lines).startswith("JournalCode\t")
    assert len(queries) == 0
    assert next(lines).startswith("AN\t")


def test_an_export_without_the_siren_is_refused_and_writes_nothing(
    books: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.GUICHET_COOPERATIVE_SIREN = ""
    with pytest.raises(CommandError, match="GUICHET_COOPERATIVE_SIREN"):
        call_command("fec_export", year=2026, output=str(tmp_path))
    settings.GUICHET_COOPERATIVE_SIREN = "902817468"
    with pytest.raises(CommandError, match="GUICHET_COOPERATIVE_SIREN"):
        call_command("fec_export", year=2026, output=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_an_export_of_a_year_that_does_not_exist_is_refused(
    books: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="2030"):
        call_command("fec_export", year=2030, output=str(tmp_path))
    assert list(tmp_path.iterdir()) == []
