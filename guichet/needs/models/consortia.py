"""A consortium (groupement): a lead (mandataire), co-contractors and subcontractors, each
with its lots, person-days and day rates. Amounts are exact decimals."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.needs.models.lots import Lot
from guichet.needs.models.requests import Request
from guichet.network.models import Organisation

CENT = Decimal("0.01")


class ConsortiumKind(models.TextChoices):
    JOINT = "joint", _("Joint (conjoint)")
    JOINTLY_LIABLE = "jointly_liable", _("Jointly liable (solidaire)")


class ConsortiumRole(models.TextChoices):
    LEAD = "lead", _("Lead (mandataire)")
    CO_CONTRACTOR = "co_contractor", _("Co-contractor")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class Consortium(models.Model):
    """The team answering a multi-lot request. Frozen after a tender's bid deadline."""

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="consortium")
    kind = models.CharField(
        _("kind"), max_length=20, choices=ConsortiumKind.choices, default=ConsortiumKind.JOINT
    )
    # What the engine proposed, kept to compare with what people decided.
    proposal = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")

    def __str__(self) -> str:
        return str(_("Consortium for %(request)s") % {"request": self.request.reference})


class ConsortiumMember(models.Model):
    """An organisation in a consortium, its role, lots, days and day rate (excl. tax)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consortium_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=ConsortiumRole.choices)
    # A subcontractor works for one of the consortium's contractors (lead or co-contractor),
    # on some of that contractor's lots; its amount is part of that contractor's share.
    contractor = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subcontractors",
        verbose_name=_("subcontracting for"),
    )
    lots = models.ManyToManyField(Lot, blank=True, related_name="consortium_members")
    person_days = models.DecimalField(
        _("person-days"),
        max_digits=7,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    day_rate = models.DecimalField(
        _("day rate excl. tax (€)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["consortium", "role", "pk"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation"], name="consortium_member_once"
            ),
            models.UniqueConstraint(
                fields=["consortium"],
                condition=models.Q(role="lead"),
                name="one_lead_per_consortium",
                violation_error_message=_("A consortium has one lead."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def total(self) -> Decimal:
        """Days times rate, to the cent."""
        return (self.person_days * self.day_rate).quantize(CENT, rounding=ROUND_HALF_UP)
