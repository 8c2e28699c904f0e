"""The charter: a versioned list of values that member organisations sign."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.network.models.organisations import Organisation


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


class Charter(models.Model):
    """One version of the charter. The published version with the highest number is current."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    preamble = models.TextField(_("preamble (French)"), blank=True)
    preamble_en = models.TextField(_("preamble (English)"), blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    # The decision that adopted this version: a proposal's reference (or, for versions
    # published before governance, whatever reference the coordinators gave).
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    # The associates' decision the draft was put to (the latest one, when several were).
    proposal = models.OneToOneField(
        "governance.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charter",
        verbose_name=_("decision of the associates"),
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def __str__(self) -> str:
        return str(_("Charter, version %(version)s") % {"version": self.version})

    @property
    def localized_preamble(self) -> str:
        return self.preamble_en if _english() and self.preamble_en else self.preamble


class CharterValue(models.Model):
    """A value of the charter: what members commit to, and are evaluated against."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="values")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    text = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["charter", "position"]
        verbose_name = _("charter value")
        verbose_name_plural = _("charter values")
        constraints = [
            models.UniqueConstraint(fields=["charter", "position"], name="value_position_once")
        ]

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return self.title_en if _english() else self.title

    @property
    def localized_text(self) -> str:
        return self.text_en if _english() else self.text


class CharterSignature(models.Model):
    """An organisation signed a version of the charter, through one of its people."""

    charter = models.ForeignKey(Charter, on_delete=models.PROTECT, related_name="signatures")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="charter_signatures"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed on"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")
        constraints = [
            models.UniqueConstraint(fields=["charter", "organisation"], name="sign_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — v{self.charter_id}"
