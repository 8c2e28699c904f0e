"""The books of the cooperative: chart of accounts, journals, fiscal years, entries."""

from guichet.finance.models.chart import Account, AuxiliaryAccount, AuxiliaryKind
from guichet.finance.models.entries import Entry, EntryStatus, Posting, SourceKind
from guichet.finance.models.journals import (
    FiscalYear,
    FiscalYearStatus,
    Journal,
    JournalKind,
    JournalSequence,
)

__all__ = [
    "Account",
    "AuxiliaryAccount",
    "AuxiliaryKind",
    "Entry",
    "EntryStatus",
    "FiscalYear",
    "FiscalYearStatus",
    "Journal",
    "JournalKind",
    "JournalSequence",
    "Posting",
    "SourceKind",
]
