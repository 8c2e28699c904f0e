"""What members deliver and invoice on a mission. Amounts are exact decimals."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.missions.domain.delivery import amount_incl_tax, vat_amount
from guichet.missions.models.missions import MissionMember


class DeliveredDays(models.Model):
    """The person-days one member delivered on a mission in one month."""

    member = models.ForeignKey(
        MissionMember, on_delete=models.CASCADE, related_name="delivered_days"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    days = models.DecimalField(
        _("person-days delivered"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "month"]
        verbose_name = _("delivered days")
        verbose_name_plural = _("delivered days")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="delivered_days_once"),
            models.CheckConstraint(
                condition=models.Q(days__gte=0), name="delivered_days_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}: {self.days}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Invoice(models.Model):
    """An invoice a member issued for its work on the mission (the finance ledger reads
    these later)."""

    member = models.ForeignKey(MissionMember, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40)
    issued_on = models.DateField(_("date"))
    amount_excl_tax = models.DecimalField(
        _("amount excl. tax (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "issued_on", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="invoice_number_once")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def vat(self) -> Decimal:
        return vat_amount(self.amount_excl_tax, self.vat_rate)

    @property
    def amount_incl_tax(self) -> Decimal:
        return amount_incl_tax(self.amount_excl_tax, self.vat_rate)
