"""The software catalogue and its two-level taxonomy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """The first level of the catalogue's taxonomy (e.g. "Données et contenu")."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """The second level of the taxonomy, within a sector (e.g. "Compression décompression")."""

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="components")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("identifier"), max_length=160)

    class Meta:
        ordering = ["sector__name", "name"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["sector", "slug"], name="component_unique_in_sector")
        ]

    def __str__(self) -> str:
        return f"{self.sector} / {self.name}"


class Software(models.Model):
    """A free software in the catalogue. Its slug is its stable id; the external ids are the
    keys public directories use (SILL, Wikidata, Comptoir du Libre), so imports can join on them.
    A merged entry points to the one that replaced it and disappears from listings.
    """

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=160)
    function = models.CharField(_("what it does"), max_length=300, blank=True)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    licence = models.CharField(_("licence (SPDX)"), max_length=100, blank=True)
    repository_url = models.URLField(_("source repository"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    component = models.ForeignKey(
        Component,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="software",
        verbose_name=_("component"),
    )
    sill_id = models.CharField(_("SILL id"), max_length=10, unique=True, null=True, blank=True)
    # Not unique: the SILL lists a few plugins under their parent's Wikidata or Comptoir id.
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True, db_index=True)
    comptoir_id = models.CharField(
        _("Comptoir du Libre id"), max_length=10, blank=True, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_entries",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("software")
        verbose_name_plural = _("software")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["merged_into"])]

    def __str__(self) -> str:
        return self.name
