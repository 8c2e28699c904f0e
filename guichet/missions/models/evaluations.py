"""The client's evaluation of a delivered mission, answered through an emailed link."""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.missions.models.missions import Mission
from guichet.network.models import Organisation


def _rating(label: Any) -> "models.PositiveSmallIntegerField[Any, Any]":
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Evaluation(models.Model):
    """One client contact's evaluation of one mission, editable until the mission closes.

    Its link is signed and carries the nonce (services/evaluations.py): each reminder can
    carry it again without storing a secret, and a new nonce revokes every link sent."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="evaluations")
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("email"))
    language = models.CharField(max_length=8, default="fr")
    nonce = models.CharField(max_length=32)
    asked_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    reminders_stopped_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    quality = _rating(_("quality of the work"))
    deadlines = _rating(_("deadlines kept"))
    communication = _rating(_("communication"))
    openness = _rating(_("openness (contributions, documentation handed over)"))
    would_recommend = models.BooleanField(_("would recommend"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # The mean of the four ratings (domain/evaluations.evaluation_score), kept for reading.
    score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("client evaluation")
        verbose_name_plural = _("client evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "contact_email"], name="evaluation_once_per_contact"
            )
        ]
        indexes = [models.Index(fields=["submitted_at"])]

    def __str__(self) -> str:
        return f"{self.mission} — {self.contact_email}"


class EvaluationReply(models.Model):
    """A member's public reply, shown next to the client's comment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="replies")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("reply"))
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("reply to an evaluation")
        verbose_name_plural = _("replies to evaluations")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "organisation"], name="one_reply_each")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.evaluation_id}"
