"""Organisations of the network and the people who belong to them.

The foundation keeps only what roles and permissions need; the network issue adds the
profile (legal identifiers, place, capacity, software) to these same models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    FREELANCER = "freelancer", _("Freelancer")
    PUBLIC_BODY = "public_body", _("Public body")


class Organisation(models.Model):
    """A member organisation (provider) or a client organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("identifier"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    is_member = models.BooleanField(
        _("member of the network"),
        default=False,
        help_text=_("Admitted provider; clients are organisations that are not members."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["is_member", "kind"])]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person belongs to an organisation; a manager may edit its profile."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_manager = models.BooleanField(_("manager"), default=False)
    joined_at = models.DateTimeField(_("joined on"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"


class Region(models.Model):
    """A French region (INSEE code)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A French département (INSEE code: 01…95, 2A, 2B, 971…)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A French commune, with its town hall's coordinates: places are never geocoded online."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        ordering = ["name", "insee_code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})"


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
