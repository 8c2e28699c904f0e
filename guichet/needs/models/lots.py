"""A lot: one part of a request, matched and awarded on its own."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.needs.models.requests import Request
from guichet.network.models import Commune, Software

# A CPV code (common procurement vocabulary): eight digits, optionally a check digit.
cpv_validator = RegexValidator(
    r"^\d{8}(-\d)?$", _("A CPV code is eight digits, optionally followed by a dash and a digit.")
)


class Lot(models.Model):
    """A part of a request with its own software, skills, days, place and deadline."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="lots")
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    software = models.ManyToManyField(
        Software, blank=True, related_name="lots", verbose_name=_("software")
    )
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    cpv_code = models.CharField(
        _("CPV code"), max_length=10, blank=True, validators=[cpv_validator]
    )
    person_days = models.DecimalField(
        _("estimated person-days"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    on_site = models.BooleanField(_("on-site"), default=False)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    more_candidates_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position", "pk"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="lot_number_once")
        ]

    def __str__(self) -> str:
        return str(_("Lot %(number)s: %(title)s") % {"number": self.position, "title": self.title})
