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
