"""The matching rules in force, and every ranking made with them, for audit and replay."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.needs.models.lots import Lot


class MatchingRules(models.Model):
    """One version of the public matching rules; the highest version is in force.

    Versions are never edited: a change is a new version, made by staff now and by a
    governance decision later (`decision_reference`).
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    parameters = models.JSONField(_("parameters"))
    note = models.TextField(_("what changed and why"), blank=True)
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("in force since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("matching rules")
        verbose_name_plural = _("matching rules")

    def __str__(self) -> str:
        return str(_("Matching rules, version %(version)s") % {"version": self.version})


class MatchingRun(models.Model):
    """A ranking made for a lot: the rules, the inputs and the result, kept as they were."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="runs")
    rules = models.ForeignKey(MatchingRules, on_delete=models.PROTECT, related_name="runs")
    inputs = models.JSONField()
    result = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        indexes = [models.Index(fields=["lot", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.lot} — {self.created_at:%Y-%m-%d %H:%M}"
