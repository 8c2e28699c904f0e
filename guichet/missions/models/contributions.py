"""Upstream contributions: what members gave back to the free software used in a mission."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.missions.models.missions import Mission
from guichet.network.models import Organisation, Software


class ContributionKind(models.TextChoices):
    PATCH = "patch", _("Patch or merge request")
    ISSUE = "issue", _("Issue")
    DOCUMENTATION = "documentation", _("Documentation")
    TRANSLATION = "translation", _("Translation")
    RELEASE = "release", _("Release")
    SECURITY_REPORT = "security_report", _("Security report")


class ContributionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Contribution(models.Model):
    """A contribution to an upstream project made during a mission. Before its embargo
    date the public sees only "a contribution to <project>", without link or title."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="contributions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions"
    )
    software = models.ForeignKey(
        Software,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("upstream project"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContributionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    # The address as compared for duplicates (see domain/contributions.url_key).
    url_key = models.CharField(max_length=500, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.PROPOSED,
    )
    embargo_until = models.DateField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("For confidential work: the link is shown publicly only from this date."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("upstream contribution")
        verbose_name_plural = _("upstream contributions")
        indexes = [
            models.Index(fields=["software", "status"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title
