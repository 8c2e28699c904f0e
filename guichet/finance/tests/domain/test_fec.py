"""The FEC's columns, names and formats, as article A47 A-1 of the LPF sets them."""

from __future__ import annotations

from datetime import date

from guichet.finance.domain.fec import COLUMNS, fec_filename, fec_header, fec_posting


def test_the_eighteen_columns_come_in_their_legal_order_and_names() -> None:
    assert COLUMNS == (
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
        "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
        "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
    )  # fmt: skip
    assert fec_header() == "\t".join(COLUMNS) + "\r\n"


def test_a_posting_is_one_tab_separated_line_with_dates_and_decimal_commas() -> None:
    line = fec_posting(
        journal_code="VT",
        journal_name="Ventes",
        number=12,
        entry_date=date(2026, 3, 1),
        account_number="411",
        account_name="Clients",
        auxiliary_code="CLI000042",
        auxiliary_name="Mairie\tde\nLyon",
        document_reference="F-2026-12",
        document_date=date(2026, 2, 28),
        label="Facture\r\nmars ",
        debit=123456,
        credit=0,
        validated_on=date(2026, 3, 2),
    )

    assert line.endswith("\r\n")
    fields = line.removesuffix("\r\n").split("\t")
    assert fields == [
        "VT", "Ventes", "12", "20260301", "411", "Clients", "CLI000042", "Mairie de Lyon",
        "F-2026-12", "20260228", "Facture  mars", "1234,56", "0,00", "", "", "20260302", "", "",
    ]  # fmt: skip


def test_the_file_is_named_after_the_siren_and_the_years_last_day() -> None:
    assert fec_filename("902817469", date(2026, 12, 31)) == "902817469FEC20261231.txt"
