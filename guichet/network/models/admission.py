"""Admission by peers: an application, evaluators from other organisations, a decision.

Re-evaluation and exclusion follow the same path, so they are applications of another kind.
The associates decide: a coordinator puts the application to their decision (a governance
proposal, kept in `proposal`), and the decision's effect records the outcome here, with
`decision_reference` and `decided_through`. Decisions that coordinators recorded by hand,
before governance, keep `decided_through = coordinator`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.network.models.charter import Charter, CharterValue
from guichet.network.models.organisations import Organisation


class ApplicationKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    REEVALUATION = "reevaluation", _("Periodic re-evaluation")
    EXCLUSION = "exclusion", _("Exclusion")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    EVALUATING = "evaluating", _("Being evaluated")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionChannel(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    GOVERNANCE = "governance", _("Consent decision")


class Application(models.Model):
    """An organisation's application to join (or to stay in, or to be excluded from) the network."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="+", verbose_name=_("charter")
    )
    motivation = models.TextField(_("motivation"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_through = models.CharField(
        _("decided through"), max_length=20, choices=DecisionChannel.choices, blank=True
    )
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    # The associates' decision it was put to (the latest, when one was withdrawn).
    proposal = models.OneToOneField(
        "governance.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("decision of the associates"),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(status__in=["submitted", "evaluating", "awaiting_decision"]),
                name="one_open_application_per_kind",
                violation_error_message=_("This organisation already has an open application."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class EvaluatorAssignment(models.Model):
    """A member asked to evaluate an application, for their organisation (never the applicant)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations_assigned"
    )
    evaluator_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned on"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator_organisation"],
                name="one_evaluator_per_organisation",
                violation_error_message=_("This organisation already evaluates the application."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.application}"


class Rating(models.TextChoices):
    RESPECTS = "respects", _("Respects")
    PARTLY = "partly", _("Partly respects")
    DOES_NOT = "does_not", _("Does not respect")


class ValueRating(models.Model):
    """An evaluator's rating of the applicant against one value of the charter."""

    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="ratings"
    )
    value = models.ForeignKey(CharterValue, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "value"], name="rate_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.get_rating_display()}"
