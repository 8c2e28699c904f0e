"""Shortlists: the members proposed to the client for a lot, and the client's choice.

A provider the client brings is invited by a link and gets a minimal profile (an
organisation that is not a member); it then stands on the shortlist like the others.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.needs.models.lots import Lot
from guichet.needs.models.matching import MatchingRun
from guichet.needs.models.requests import Request
from guichet.network.models import Organisation


class MemberResponse(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Available")
    DECLINED = "declined", _("Declined")


class ShortlistEntry(models.Model):
    """A member on a lot's shortlist, with its rank, score and reasons when proposed."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="shortlist")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shortlisted"
    )
    run = models.ForeignKey(
        MatchingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    score = models.FloatField(_("score"), default=0)
    # The ranked entry as the engine explained it (components with their reasons).
    explanation = models.JSONField(default=dict)
    note = models.TextField(_("coordinator's note"), blank=True)
    brought_by_client = models.BooleanField(_("brought by the client"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent to the client on"), null=True, blank=True)
    member_response = models.CharField(
        _("member's answer"),
        max_length=10,
        choices=MemberResponse.choices,
        default=MemberResponse.PENDING,
    )
    member_responded_at = models.DateTimeField(null=True, blank=True)
    chosen_at = models.DateTimeField(_("chosen by the client on"), null=True, blank=True)

    class Meta:
        ordering = ["lot", "rank", "pk"]
        verbose_name = _("shortlisted member")
        verbose_name_plural = _("shortlist")
        constraints = [
            models.UniqueConstraint(fields=["lot", "organisation"], name="shortlist_once"),
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(chosen_at__isnull=False),
                name="one_choice_per_lot",
                violation_error_message=_("A provider is already chosen for this lot."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "chosen_at"])]

    def __str__(self) -> str:
        return f"{self.lot} — {self.organisation}"


class ProviderInvitation(models.Model):
    """A provider of the client's own, invited by a link to join a lot's shortlist."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="invitations")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="invitations")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email"))
    # A word from the client to the provider it invites, shown on the invitation page.
    message = models.TextField(_("message"), blank=True)
    # The invitation email and page speak the client's language.
    language = models.CharField(max_length=8, default="fr")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provider invitation")
        verbose_name_plural = _("provider invitations")

    def __str__(self) -> str:
        return f"{self.organisation_name} → {self.lot}"
