"""The Fichier des Écritures Comptables (article A47 A-1 of the Livre des procédures fiscales):
its columns, in their legal order and names, and how each value is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from guichet.finance.domain.money import decimal_comma

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SEPARATOR = "\t"
# Records end with CR LF, which every reader of the format accepts.
END_OF_RECORD = "\r\n"


def fec_date(value: date | None) -> str:
    """AAAAMMJJ, or empty."""
    return value.strftime("%Y%m%d") if value is not None else ""


# Tabs and line breaks inside a field would split it or its record: each becomes a space.
_ONE_LINE = str.maketrans({"\t": " ", "\r": " ", "\n": " ", "\v": " ", "\f": " "})


def fec_text(value: str) -> str:
    """A text field on one line without the separator: tabs and line breaks become spaces."""
    return value.translate(_ONE_LINE).strip()


def fec_record(values: Sequence[str]) -> str:
    """One line of the file from its 18 values, already written as text."""
    if len(values) != len(COLUMNS):
        raise ValueError(f"A FEC record has {len(COLUMNS)} fields, not {len(values)}.")
    return SEPARATOR.join(values) + END_OF_RECORD


def fec_header() -> str:
    """The first line: the names of the columns."""
    return fec_record(COLUMNS)


def fec_posting(
    *,
    journal_code: str,
    journal_name: str,
    number: int,
    entry_date: date,
    account_number: str,
    account_name: str,
    auxiliary_code: str,
    auxiliary_name: str,
    document_reference: str,
    document_date: date,
    label: str,
    debit: int,
    credit: int,
    validated_on: date,
) -> str:
    """One posting as a FEC line. Amounts in cents; in euros, so no foreign currency.
    Lettering (EcritureLet, DateLet) is left empty: the ledger does not letter yet."""
    return fec_record(
        (
            fec_text(journal_code),
            fec_text(journal_name),
            str(number),
            fec_date(entry_date),
            fec_text(account_number),
            fec_text(account_name),
            fec_text(auxiliary_code),
            fec_text(auxiliary_name),
            fec_text(document_reference),
            fec_date(document_date),
            fec_text(label),
            decimal_comma(debit),
            decimal_comma(credit),
            "",
            "",
            fec_date(validated_on),
            "",
            "",
        )
    )


def fec_filename(siren: str, year_end: date) -> str:
    """<SIREN>FEC<AAAAMMJJ of the fiscal year's last day>.txt"""
    return f"{siren}FEC{fec_date(year_end)}.txt"
