"""What the books refuse, said to people: the refusal services raise, and one translated
message per code (the domain's codes included, since services pass them on)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import CodedError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class FinanceError(CodedError):
    """A step of the books that cannot be done; nothing was written. `code` keys a message,
    `params` fill it in."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.params = params

    @property
    def message(self) -> str:
        """The refusal in the active language."""
        return error_message(self.code, **self.params)


MESSAGES: dict[str, StrPromise] = {
    # Amounts (domain/money.py)
    "amount_invalid": _("This amount is not a number of euros."),
    "amount_too_precise": _(
        "An amount has two decimals at most (cents): it is never rounded for you."
    ),
    "amount_too_large": _("This amount is too large for the books."),
    # Entries (domain/entries.py)
    "too_few_postings": _("An entry has two postings at least: a debit and a credit."),
    "amount_negative": _(
        "A posting's amount cannot be negative: put it on the other side (debit or credit)."
    ),
    "amount_zero": _("A posting needs an amount above zero."),
    "debit_and_credit": _("A posting is either a debit or a credit, not both."),
    "unbalanced": _(
        "The entry does not balance: its debits (%(debit)s €) differ from its credits "
        "(%(credit)s €)."
    ),
    "label_required": _("Give the entry a label."),
    "label_too_long": _("A label has 200 characters at most."),
    "document_reference_required": _("Give the reference of the document the entry records."),
    "document_reference_too_long": _("A document reference has 60 characters at most."),
    "auxiliary_required": _(
        "Account %(account)s is kept per client, supplier or project: name which one."
    ),
    "auxiliary_not_expected": _(
        "Account %(account)s is not kept per client, supplier or project: name none."
    ),
    "auxiliary_mismatch": _("This auxiliary account belongs to another account."),
    "source_invalid": _("The entry's source names a kind of record and the record, or nothing."),
    "entry_validated": _(
        "This entry is validated: it is never changed nor deleted. Correct it with a "
        "reversing entry."
    ),
    "entry_not_validated": _("Only a validated entry is reversed; a draft is discarded."),
    "entry_already_reversed": _("This entry has already been reversed."),
    # Fiscal years (domain/fiscal_years.py)
    "no_fiscal_year": _("No fiscal year holds this date: open it first."),
    "year_closed": _("This fiscal year is closed: no entry goes into it any more."),
    "year_period_invalid": _("A fiscal year ends after it starts."),
    "year_too_long": _("A fiscal year lasts 24 months at most."),
    "year_not_contiguous": _("A fiscal year starts the day after the previous one ends."),
    "year_overlaps": _("This period overlaps a fiscal year that already exists."),
    "year_move_not_allowed": _(
        "A fiscal year goes from open to closed, then to locked, never back."
    ),
    "drafts_remain": _(
        "This fiscal year still holds draft entries: validate or discard them first."
    ),
    "earlier_year_open": _("An earlier fiscal year is still open: close it first."),
    # Chart of accounts (domain/chart.py)
    "account_number_invalid": _(
        "An account number has 3 to 10 digits, the first being its class (1 to 8)."
    ),
    "auxiliary_holder_required": _(
        "A client's or supplier's account names an organisation; an upstream project's, "
        "a software project."
    ),
    # Allocation (domain/allocation.py)
    "no_parts": _("There is nothing to split the amount between."),
    "weight_negative": _("A share of a split cannot be negative."),
    "weights_zero": _("The shares of a split cannot all be zero."),
    "weight_invalid": _("A share of a split is an exact number (never a float)."),
    # The FEC export
    "siren_missing": _("The cooperative's SIREN is not set: give it in GUICHET_COOPERATIVE_SIREN."),
    "siren_invalid": _("GUICHET_COOPERATIVE_SIREN is not a valid SIREN (9 digits, checksum)."),
    "year_not_found": _("No fiscal year ends in %(year)s."),
    "year_ambiguous": _("Two fiscal years end in %(year)s: the export needs one."),
}
UNKNOWN = _("This step cannot be done.")

# Why `manage.py ledger_check` finds the books broken (selectors/integrity.py).
BREAKS: dict[str, StrPromise] = {
    "guard_missing": _("the database has lost this guard: run manage.py migrate"),
    "sequence_gap": _("an entry is missing from the chain before this one"),
    "chain_broken": _("its previous hash is not the hash of the entry validated before it"),
    "hash_mismatch": _("its content no longer matches its hash: it was changed"),
    "numbering_gap": _("its number does not follow the last one of its journal and year"),
    "too_few_postings": _("it has fewer than two postings"),
    "amount_negative": _("a posting has a negative amount"),
    "amount_zero": _("a posting has no amount"),
    "debit_and_credit": _("a posting has both a debit and a credit"),
    "unbalanced": _("its debits differ from its credits"),
    "counter_mismatch": _("the journal's counter does not match its last validated entry"),
    "trial_balance": _("the year's debits differ from its credits"),
}


def error_message(code: str, **params: Any) -> str:
    """The sentence for a refusal's code, in the active language (amounts written as its
    readers write them: 12,50 in French)."""
    message = str(MESSAGES.get(code, UNKNOWN))
    shown = {
        key: number_format(value, 2) if isinstance(value, Decimal) else value
        for key, value in params.items()
    }
    return message % shown if "%(" in message else message
