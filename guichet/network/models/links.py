"""Who knows what: an organisation's role on a software, with public evidence."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.network.models.catalogue import Software
from guichet.network.models.organisations import Organisation


class SoftwareRole(models.TextChoices):
    """Roles on a software, from the closest to its code to the farthest."""

    EDITOR = "editor", _("Editor")
    MAINTAINER = "maintainer", _("Maintainer")
    CORE_CONTRIBUTOR = "core_contributor", _("Core contributor")
    CONTRIBUTOR = "contributor", _("Contributor")
    INTEGRATOR = "integrator", _("Integrator")
    TRAINER = "trainer", _("Trainer")
    HOST = "host", _("Host")


# The order roles are listed in: editors first, as the charter's direct-link commitment wants.
ROLE_ORDER = [choice.value for choice in SoftwareRole]


class SoftwareLink(models.Model):
    """An organisation's role on a software. The role and its evidence are public."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="software_links"
    )
    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(_("role"), max_length=20, choices=SoftwareRole.choices)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    references = models.TextField(
        _("references"), blank=True, help_text=_("Projects or clients, as you may cite them.")
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        ordering = ["software__name", "role"]
        verbose_name = _("software link")
        verbose_name_plural = _("software links")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "software", "role"], name="one_link_per_role"
            )
        ]
        indexes = [models.Index(fields=["software", "role"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()} — {self.software}"

    @property
    def is_verified(self) -> bool:
        """Verified by a coordinator less than a verification period ago (a year by default)."""
        if self.verified_at is None:
            return False
        period = timedelta(days=settings.GUICHET_LINK_VERIFICATION_DAYS)
        return timezone.now() - self.verified_at < period


class EvidenceKind(models.TextChoices):
    REPOSITORY = "repository", _("Repository")
    COMMITS = "commits", _("Commits")
    MERGE_REQUESTS = "merge_requests", _("Merge requests")
    PACKAGE = "package", _("Published package")
    PUBLIC_CONTRACT = "public_contract", _("Public contract won")
    OTHER = "other", _("Other")


class Evidence(models.Model):
    """A public trace that backs a link: a repository, commits, a package, a contract."""

    link = models.ForeignKey(SoftwareLink, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    url = models.URLField(_("address"), max_length=500)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "url"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["link", "url"], name="evidence_once")]

    def __str__(self) -> str:
        return self.url
