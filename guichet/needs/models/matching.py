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


class MatchingIndexState(models.Model):
    """One row whose token database triggers change whenever something the matching index
    holds changes (organisations, links, evidence, charter signatures, awards, places, rules):
    an index built at a token is current while the token stays.

    Triggers, not signals, so that bulk imports and raw updates are seen too; a rolled-back
    change rolls the token back with it. See matching_index.py.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("matching index state")
        verbose_name_plural = _("matching index state")

    def __str__(self) -> str:
        return self.token


class MatchingSnapshot(models.Model):
    """The network as the engine saw it at one index token: every organisation and link it
    reads, packed. Rankings point at the snapshot they used, so they can be replayed."""

    token = models.CharField(max_length=32, unique=True)
    rules = models.ForeignKey(MatchingRules, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField()
    organisations = models.PositiveIntegerField()
    links = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["-built_at", "-pk"]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"{self.built_at:%Y-%m-%d %H:%M} ({self.organisations}, {self.links})"


class MatchingRun(models.Model):
    """A ranking made for a lot: the rules, the inputs and the result, kept as they were.

    Since the network index, a run records the snapshot it read, the lot's own inputs, and
    the order it decided as numbers (`ordered`); explanations are recomputed from those when
    read. Earlier runs kept their candidates in `inputs` and the explained ranking in
    `result`.
    """

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="runs")
    rules = models.ForeignKey(MatchingRules, on_delete=models.PROTECT, related_name="runs")
    snapshot = models.ForeignKey(
        MatchingSnapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    inputs = models.JSONField()
    ordered = models.BinaryField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
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
