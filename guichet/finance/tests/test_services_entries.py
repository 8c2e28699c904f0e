"""Writing entries: drafts, validation (number, chain, date), reversals, and the refusals
that leave nothing half-written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry
from guichet.finance.domain.chain import GENESIS, entry_hash
from guichet.finance.messages import FinanceError
from guichet.finance.models import (
    Entry,
    EntryStatus,
    FiscalYear,
    JournalSequence,
    Posting,
    SourceKind,
)
from guichet.finance.services.entries import (
    entry_create,
    entry_discard,
    entry_reverse,
    entry_validate,
)
from guichet.finance.services.fiscal_years import fiscal_year_close
from guichet.finance.tests.factories import (
    BANK_FEES,
    client_account,
    draft,
    journal,
    posted,
    postings,
    supplier_account,
    year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def years() -> Any:
    """2025, then 2026: fiscal years open in order."""
    return year(date(2025, 1, 1), date(2025, 12, 31)), year()


def books() -> tuple[int, int, int]:
    """What a refused step must leave as it was: entries, postings, audit records."""
    return Entry.objects.count(), Posting.objects.count(), AuditEntry.objects.count()


def test_a_new_entry_is_a_draft_with_its_postings_in_cents(demo: dict[str, Any]) -> None:
    entry = draft(
        [("411", "1 200,00", 0, client_account()), ("706", 0, Decimal(1000)), ("44571", 0, 200)],
        code="VT",
        by=demo["coordinator"],
    )

    assert entry.status == EntryStatus.DRAFT
    assert (entry.number, entry.sequence, entry.hash) == (None, None, "")
    lines = list(entry.postings.order_by("position").values_list("debit_cents", "credit_cents"))
    assert lines == [(120000, 0), (0, 100000), (0, 20000)]
    record = AuditEntry.objects.get(action="finance.entry.create", object_id=str(entry.pk))
    assert record.actor_id == demo["coordinator"].pk


def test_validation_numbers_each_journal_from_one_without_gaps() -> None:
    first, second = posted(), posted()
    sale = posted([("627", 1, 0), ("512", 0, 1)], code="OD")

    assert (first.number, second.number, sale.number) == (1, 2, 1)
    assert (first.sequence, second.sequence, sale.sequence) == (1, 2, 3)
    counters = JournalSequence.objects.filter(journal__code__in=["BQ", "OD"])
    assert dict(counters.values_list("journal__code", "last_number")) == {"BQ": 2, "OD": 1}


def test_validation_chains_each_entry_to_the_one_before() -> None:
    first, second = posted(), posted()

    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    postings_of_first = first.postings.select_related("account", "auxiliary").order_by("position")
    assert first.hash == entry_hash(first.chain_facts(postings_of_first), GENESIS)
    assert first.validated_at is not None
    assert audit_verify() is None


def test_a_draft_not_validated_takes_no_number_so_none_is_skipped() -> None:
    posted()
    left = draft()
    third = posted()

    entry_discard(entry=left, by=None)
    assert third.number == 2
    assert not Entry.objects.filter(pk=left.pk).exists()


def test_a_validated_entry_is_validated_once() -> None:
    entry = posted()
    with pytest.raises(FinanceError) as refused:
        entry_validate(entry=entry, by=None)
    assert refused.value.code == "entry_validated"


def test_a_validated_entry_cannot_be_discarded() -> None:
    entry = posted()
    with pytest.raises(FinanceError) as refused:
        entry_discard(entry=entry, by=None)
    assert refused.value.code == "entry_validated"
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_a_reversal_cancels_the_entry_in_a_new_validated_entry() -> None:
    entry = posted()

    reversal = entry_reverse(entry=entry, by=None, date=date(2026, 4, 2))

    assert reversal.is_validated
    assert (reversal.number, reversal.reverses_id, reversal.date) == (2, entry.pk, date(2026, 4, 2))
    assert reversal.label == "Extourne de BQ 1\u00a0: Frais bancaires de mars"
    assert AuditEntry.objects.filter(
        action="finance.entry.reverse", object_id=str(entry.pk)
    ).exists()
    original = entry.postings.order_by("position").values_list("account_id", "debit_cents")
    mirrored = reversal.postings.order_by("position").values_list("account_id", "credit_cents")
    assert list(original) == list(mirrored)


def test_the_reversal_label_is_french_whatever_the_persons_language() -> None:
    with translation.override("en"):
        reversal = entry_reverse(entry=posted(), by=None, date=date(2026, 4, 2))
    assert reversal.label.startswith("Extourne de BQ 1")


def test_an_entry_is_reversed_once_and_a_draft_never() -> None:
    entry = posted()
    entry_reverse(entry=entry, by=None, date=date(2026, 4, 2))

    with pytest.raises(FinanceError) as twice:
        entry_reverse(entry=entry, by=None, date=date(2026, 4, 3))
    with pytest.raises(FinanceError) as of_a_draft:
        entry_reverse(entry=draft(), by=None, date=date(2026, 4, 3))
    assert (twice.value.code, of_a_draft.value.code) == (
        "entry_already_reversed",
        "entry_not_validated",
    )


def test_an_entry_of_a_closed_year_is_reversed_in_the_open_year() -> None:
    last_year = FiscalYear.objects.get(starts_on=date(2025, 1, 1))
    entry = posted(on=date(2025, 6, 1))
    fiscal_year_close(year=last_year, by=None)

    reversal = entry_reverse(entry=entry, by=None, date=date(2026, 1, 5))

    assert (reversal.fiscal_year.starts_on, reversal.number) == (date(2026, 1, 1), 1)


def test_the_entry_keeps_a_link_to_its_source() -> None:
    entry = entry_create(
        journal=journal("OD"),
        date=date(2026, 5, 1),
        label="Dotation au budget contributif",
        document_reference="DEC-2026-4",
        postings=postings([("6288", 500, 0), ("401", 0, 500, supplier_account())]),
        source_kind=SourceKind.DECISION,
        source_id=4,
        by=None,
    )
    assert Entry.objects.filter(source_kind="decision", source_id=4).get() == entry


# --- Refusals: clear, translated, and nothing written -------------------------------------


def refused(lines: Any = BANK_FEES, **fields: Any) -> FinanceError:
    before = books()
    arguments = {
        "journal": journal("BQ"),
        "date": date(2026, 3, 1),
        "label": "Frais",
        "document_reference": "REL-03",
        "postings": postings(lines) if isinstance(lines, list) else lines,
        "by": None,
        **fields,
    }
    with pytest.raises(FinanceError) as refusal:
        entry_create(**arguments)
    assert books() == before
    return refusal.value


def test_an_unbalanced_entry_is_refused_with_both_totals() -> None:
    error = refused([("627", "12.50", 0), ("512", 0, "12.49")])

    assert error.code == "unbalanced"
    with translation.override("fr"):
        assert error.message == (
            "L'écriture n'est pas équilibrée\u00a0: ses débits (12,50\u00a0€) diffèrent de ses "
            "crédits (12,49\u00a0€)."
        )


def test_an_amount_with_three_decimals_is_refused_never_rounded() -> None:
    error = refused([("627", "12.505", 0), ("512", 0, "12.505")])

    assert error.code == "amount_too_precise"
    with translation.override("fr"):
        assert "jamais arrondi" in error.message


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([("627", "-12.50", 0), ("512", 0, "-12.50")], "amount_negative"),
        ([("627", 0, 0), ("512", 0, 0)], "amount_zero"),
        ([("627", 5, 5), ("512", 0, 0)], "debit_and_credit"),
        ([("627", 5, 0)], "too_few_postings"),
        ([("627", 5.0, 0), ("512", 0, 5)], "amount_invalid"),
        ([("411", 5, 0), ("512", 0, 5)], "auxiliary_required"),
    ],
)
def test_postings_that_make_no_sense_are_refused(lines: Any, code: str) -> None:
    assert refused(lines).code == code


def test_an_auxiliary_account_goes_only_with_its_own_account() -> None:
    of_a_supplier = supplier_account()
    assert refused([("411", 5, 0, of_a_supplier), ("512", 0, 5)]).code == "auxiliary_mismatch"
    assert refused([("627", 5, 0, of_a_supplier), ("512", 0, 5)]).code == "auxiliary_not_expected"


def test_an_entry_dated_in_a_closed_year_is_refused() -> None:
    last_year = FiscalYear.objects.get(starts_on=date(2025, 1, 1))
    fiscal_year_close(year=last_year, by=None)

    assert refused(date=date(2025, 12, 31)).code == "year_closed"


def test_an_entry_dated_outside_every_fiscal_year_is_refused() -> None:
    assert refused(date=date(2030, 1, 1)).code == "no_fiscal_year"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"label": "  "}, "label_required"),
        ({"label": "x" * 201}, "label_too_long"),
        ({"document_reference": ""}, "document_reference_required"),
        ({"source_kind": "invoice"}, "source_invalid"),
        ({"source_kind": "gift", "source_id": 3}, "source_invalid"),
        ({"source_id": 3}, "source_invalid"),
    ],
)
def test_an_entry_without_what_the_books_need_is_refused(fields: Any, code: str) -> None:
    assert refused(**fields).code == code


def test_a_draft_gone_unbalanced_is_not_validated_and_keeps_its_number_free() -> None:
    entry = draft()
    Posting.objects.filter(entry=entry, position=2).update(credit_cents=1249)
    before = books()

    with pytest.raises(FinanceError) as refusal:
        entry_validate(entry=entry, by=None)

    assert refusal.value.code == "unbalanced"
    assert books() == before
    entry.refresh_from_db()
    assert (entry.status, entry.number) == (EntryStatus.DRAFT, None)
    assert (
        JournalSequence.objects.get(journal__code="BQ", fiscal_year=entry.fiscal_year).last_number
        == 0
    )


def test_a_draft_is_not_validated_once_its_year_is_closed() -> None:
    entry = draft()
    FiscalYear.objects.filter(pk=entry.fiscal_year_id).update(status="closed")

    with pytest.raises(FinanceError) as refusal:
        entry_validate(entry=entry, by=None)

    assert refusal.value.code == "year_closed"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_a_year_with_drafts_does_not_close() -> None:
    entry = draft(on=date(2025, 4, 1))
    with pytest.raises(FinanceError) as refusal:
        fiscal_year_close(year=entry.fiscal_year, by=None)
    assert refusal.value.code == "drafts_remain"
