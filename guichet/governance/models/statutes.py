"""What the statutes set for decisions: weights and quorums of colleges, proxies, periods.

One row (the statutes in force); each round copies what it needs when it opens, so a change
of statutes never alters a round already running.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import College

SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Statutes(models.Model):
    """The decision rules of the statutes in force (a single row, edited in the admin)."""

    weighted_colleges = models.BooleanField(
        _("weight votes by college"),
        default=False,
        help_text=_("Count each college's votes within it first, then weight the colleges."),
    )
    quorum_percent = models.DecimalField(
        _("quorum (% of associates)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=SHARE,
    )
    max_proxies = models.PositiveSmallIntegerField(
        _("proxies one person may hold"), default=1, validators=[MaxValueValidator(20)]
    )
    discussion_days = models.PositiveSmallIntegerField(
        _("minimum discussion period (days)"), default=7, validators=[MaxValueValidator(90)]
    )
    round_days = models.PositiveSmallIntegerField(
        _("length of a round (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("statutes")
        verbose_name_plural = _("statutes")

    def __str__(self) -> str:
        return str(_("Decision rules of the statutes"))


class CollegeRule(models.Model):
    """A college's weight in weighted votes, and its own quorum."""

    statutes = models.ForeignKey(Statutes, on_delete=models.CASCADE, related_name="colleges")
    college = models.OneToOneField(College, on_delete=models.CASCADE, related_name="+")
    weight_percent = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, default=Decimal(0), validators=SHARE
    )
    quorum_percent = models.DecimalField(
        _("quorum within the college (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=SHARE,
    )

    class Meta:
        verbose_name = _("college rule")
        verbose_name_plural = _("college rules")

    def __str__(self) -> str:
        return str(self.college)
