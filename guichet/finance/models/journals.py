"""Journals, fiscal years, and the counter that numbers each journal's entries in a year."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JournalKind(models.TextChoices):
    SALES = "sales", pgettext_lazy("ledger", "Sales")
    PURCHASES = "purchases", pgettext_lazy("ledger", "Purchases")
    BANK = "bank", pgettext_lazy("ledger", "Bank")
    MISCELLANEOUS = "miscellaneous", pgettext_lazy("ledger", "Miscellaneous")
    OPENING = "opening", pgettext_lazy("ledger", "Opening")


class Journal(models.Model):
    """A book of entries of one kind (VT sales, AC purchases, BQ bank, OD miscellaneous,
    AN opening balances); its code is the FEC's JournalCode and never changes once used."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=JournalKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("journal")
        verbose_name_plural = _("journals")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FiscalYearStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ledger", "Open")
    CLOSED = "closed", pgettext_lazy("ledger", "Closed")
    LOCKED = "locked", pgettext_lazy("ledger", "Locked")


class FiscalYear(models.Model):
    """A fiscal year (exercice): entries go into it while it is open; closed, it takes none;
    locked, once its accounts are approved, it never changes again."""

    starts_on = models.DateField(_("first day"), unique=True)
    ends_on = models.DateField(_("last day"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FiscalYearStatus.choices, default="open"
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="finance_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.isoformat()}/{self.ends_on.isoformat()}"

    @property
    def is_open(self) -> bool:
        return self.status == FiscalYearStatus.OPEN


class JournalSequence(models.Model):
    """The last number given in one journal and fiscal year. Validation locks this row, so
    that two entries validated at once never get the same number nor leave one out."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("journal numbering")
        verbose_name_plural = _("journal numbering")
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year"], name="finance_one_sequence_per_journal_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journal_id}/{self.fiscal_year_id}: {self.last_number}"
