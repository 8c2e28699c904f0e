"""Entries and their postings: drafts until validated, then never changed nor deleted.

The database itself refuses to change or delete a validated entry or its postings, and to
validate an entry that does not balance (guichet/finance/guards.py), on SQLite as on
PostgreSQL: the rule holds whatever code, admin or script touches the tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.finance.domain.chain import EntryFacts
from guichet.finance.domain.entries import Line
from guichet.finance.domain.money import to_decimal
from guichet.finance.models.chart import Account, AuxiliaryAccount
from guichet.finance.models.journals import FiscalYear, Journal


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("ledger", "Draft")
    VALIDATED = "validated", pgettext_lazy("ledger", "Validated")


class SourceKind(models.TextChoices):
    """What an entry records; with `source_id`, the record it comes from."""

    INVOICE = "invoice", pgettext_lazy("ledger", "Invoice")
    PAYMENT = "payment", pgettext_lazy("ledger", "Payment")
    DECISION = "decision", pgettext_lazy("ledger", "Decision")
    REVERSEMENT = "reversement", pgettext_lazy("ledger", "Upstream reversement")


class Entry(models.Model):
    """An accounting entry (écriture) in one journal and fiscal year.

    A draft can be discarded. Validation checks the balance, gives the next number of its
    journal and year (no gap), the date and time, and a SHA-256 hash chained to the entry
    validated before it (`sequence` is its place in that chain). A correction is a new
    entry that reverses this one (`reverses`).
    """

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="entries", verbose_name=_("journal")
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fiscal year")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=200)
    document_reference = models.CharField(_("document reference"), max_length=60)
    document_date = models.DateField(_("document date"))
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)
    sequence = models.PositiveBigIntegerField(
        _("place in the chain"), null=True, blank=True, unique=True
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, blank=True
    )
    source_id = models.PositiveBigIntegerField(_("source record"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["source_kind", "source_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year", "number"], name="finance_entry_number_once"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status="draft",
                        number__isnull=True,
                        sequence__isnull=True,
                        validated_at__isnull=True,
                        hash="",
                        previous_hash="",
                    )
                    | (
                        Q(
                            status="validated",
                            number__isnull=False,
                            sequence__isnull=False,
                            validated_at__isnull=False,
                        )
                        & ~Q(hash="")
                        & ~Q(previous_hash="")
                    )
                ),
                name="finance_entry_validated_has_number_and_hash",
            ),
            models.CheckConstraint(
                condition=Q(source_kind="", source_id__isnull=True)
                | (~Q(source_kind="") & Q(source_id__isnull=False)),
                name="finance_entry_source_kind_with_id",
            ),
        ]

    def __str__(self) -> str:
        if self.number is None:
            return f"{self.journal_id} ({EntryStatus.DRAFT.label}) {self.label}"
        return f"{self.reference} {self.label}"

    @property
    def is_validated(self) -> bool:
        return self.status == EntryStatus.VALIDATED

    @property
    def reference(self) -> str:
        """How people and the ledger check name a validated entry: journal/year/number."""
        return f"{self.journal.code}/{self.fiscal_year.starts_on:%Y-%m-%d}/{self.number}"

    def chain_facts(self, postings: Iterable[Posting]) -> EntryFacts:
        """What the hash covers (journal, fiscal year, reversed entry read here)."""
        assert self.number is not None
        assert self.sequence is not None
        assert self.validated_at is not None
        return EntryFacts(
            sequence=self.sequence,
            journal=self.journal.code,
            year=self.fiscal_year.starts_on.isoformat(),
            number=self.number,
            date=self.date.isoformat(),
            label=self.label,
            document_reference=self.document_reference,
            document_date=self.document_date.isoformat(),
            validated_at=self.validated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            source_kind=self.source_kind,
            source_id="" if self.source_id is None else str(self.source_id),
            reverses=self.reverses.reference if self.reverses is not None else "",
            lines=tuple(posting.line() for posting in postings),
        )


class Posting(models.Model):
    """One line of an entry: an account (with its auxiliary account when the account is
    kept per client, supplier or project), and a debit or a credit, in cents."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="postings", verbose_name=_("entry")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", verbose_name=_("account")
    )
    auxiliary = models.ForeignKey(
        AuxiliaryAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("auxiliary account"),
    )
    label = models.CharField(_("label"), max_length=200)
    debit_cents = models.BigIntegerField(_("debit (cents)"), default=0)
    credit_cents = models.BigIntegerField(_("credit (cents)"), default=0)

    class Meta:
        ordering = ["entry", "position"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="finance_posting_line_once"),
            models.CheckConstraint(
                condition=Q(debit_cents__gt=0, credit_cents=0)
                | Q(debit_cents=0, credit_cents__gt=0),
                name="finance_posting_one_positive_side",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.position}"

    @property
    def debit(self) -> Decimal:
        return to_decimal(self.debit_cents)

    @property
    def credit(self) -> Decimal:
        return to_decimal(self.credit_cents)

    def line(self) -> Line:
        """The posting as the domain rules read it (account and auxiliary read here)."""
        return Line(
            account=self.account.number,
            debit=self.debit_cents,
            credit=self.credit_cents,
            auxiliary=self.auxiliary.code if self.auxiliary is not None else "",
            label=self.label,
        )
