"""Organisations of the network and the people who belong to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.network.validators import validate_siren, validate_siret

# A full-time person gives about 20 days a month: 2,000 is a 100-person company's whole time.
MAX_CAPACITY_DAYS = 2000


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    FREELANCER = "freelancer", _("Freelancer")
    PUBLIC_BODY = "public_body", _("Public body")


class OrganisationSize(models.TextChoices):
    SOLO = "1", _("1 person")
    SMALL = "2-9", _("2 to 9 people")
    MEDIUM = "10-49", _("10 to 49 people")
    LARGE = "50-249", _("50 to 249 people")
    VERY_LARGE = "250+", _("250 people or more")


class Certification(models.Model):
    """A certification or label an organisation holds (Qualiopi, B Corp, ISO 27001…)."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name


class OtherNetwork(models.Model):
    """Another network an organisation belongs to: membership here is never exclusive."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("other network")
        verbose_name_plural = _("other networks")

    def __str__(self) -> str:
        return self.name


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
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_siren],
        help_text=_("9 digits; public procurement data names companies by it."),
    )
    siret = models.CharField(
        _("SIRET of the head office"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    commune = models.ForeignKey(
        "network.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("city"),
    )
    size = models.CharField(_("size"), max_length=8, choices=OrganisationSize.choices, blank=True)
    capacity_days = models.PositiveIntegerField(
        _("capacity (person-days per month)"),
        default=0,
        validators=[MaxValueValidator(MAX_CAPACITY_DAYS)],
        help_text=_("Days the organisation can give to network missions each month."),
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="organisations", verbose_name=_("certifications")
    )
    other_networks = models.ManyToManyField(
        OtherNetwork, blank=True, related_name="organisations", verbose_name=_("other networks")
    )
    admitted_at = models.DateTimeField(_("admitted on"), null=True, blank=True)
    next_evaluation_due = models.DateField(_("next evaluation due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

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
