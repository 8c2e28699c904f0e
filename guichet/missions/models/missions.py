"""A mission: the work that follows the client's choice (one lot, or a consortium's lots),
its members with their days and rates, milestones, timeline and documents."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.missions.domain import workflow
from guichet.needs.models import Consortium, Lot, Request
from guichet.network.models import Organisation

CENT = Decimal("0.01")


class MissionStatus(models.TextChoices):
    PLANNED = workflow.PLANNED, _("Planned")
    RUNNING = workflow.RUNNING, _("Running")
    DELIVERED = workflow.DELIVERED, _("Delivered")
    EVALUATED = workflow.EVALUATED, _("Evaluated by the client")
    CLOSED = workflow.CLOSED, _("Closed")
    CANCELLED = workflow.CANCELLED, _("Cancelled")


class MissionRole(models.TextChoices):
    LEAD = "lead", _("Lead (mandataire)")
    CO_CONTRACTOR = "co_contractor", _("Co-contractor")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    PROVIDER = "provider", _("Provider")


class Mission(models.Model):
    """The work on a request's accepted lots, from planning to closure."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="missions")
    # Set when the mission follows a consortium (all its lots); else one chosen lot.
    consortium = models.OneToOneField(
        Consortium, on_delete=models.PROTECT, null=True, blank=True, related_name="mission"
    )
    lots = models.ManyToManyField(Lot, related_name="missions", verbose_name=_("lots"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    includes_development = models.BooleanField(
        _("includes development work"),
        default=False,
        help_text=_(
            "Development on free software is contributed upstream: the mission then closes "
            "only with a contribution logged or a justification approved by a coordinator."
        ),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    # Why no contribution went upstream (e.g. nothing reusable, a client's embargo).
    justification = models.TextField(_("why nothing was contributed upstream"), blank=True)
    justification_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    justification_approved_at = models.DateTimeField(null=True, blank=True)
    justification_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        year = self.created_at.year if self.created_at else ""
        return f"M-{year}-{self.pk or 0:04d}"


class MissionMember(models.Model):
    """An organisation working on the mission, its role, lots, agreed days and day rate."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mission_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MissionRole.choices)
    # A subcontractor's amount is part of its contractor's share, never added again.
    contractor = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subcontractors"
    )
    lots = models.ManyToManyField(Lot, blank=True, related_name="mission_members")
    person_days = models.DecimalField(
        _("agreed person-days"),
        max_digits=7,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    day_rate = models.DecimalField(
        _("day rate excl. tax (€)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["mission", "role", "pk"]
        verbose_name = _("mission member")
        verbose_name_plural = _("mission members")
        constraints = [
            models.UniqueConstraint(fields=["mission", "organisation"], name="mission_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def total(self) -> Decimal:
        return (self.person_days * self.day_rate).quantize(CENT, rounding=ROUND_HALF_UP)


class Milestone(models.Model):
    """A step of the mission with its due date; members are reminded when it falls due."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    # Set when the "milestone due" email went, so the daily job sends it once.
    due_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mission", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["due_on", "done_at"])]

    def __str__(self) -> str:
        return self.title


class MissionEvent(models.Model):
    """One line of the mission's timeline: what happened, when, by whom."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    # Parameters of the sentence shown for the kind (a status, a count…), never free HTML.
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("mission event")
        verbose_name_plural = _("mission events")

    def __str__(self) -> str:
        return f"{self.mission_id} {self.kind}"


def mission_document_path(instance: "MissionDocument", filename: str) -> str:
    # A random name: the uploaded file's name is kept apart, never used as a path.
    return f"missions/{uuid.uuid4().hex}"


class MissionDocument(models.Model):
    """A document of the mission (PDF or ODT), seen by its members and the coordinators."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=mission_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("mission document")
        verbose_name_plural = _("mission documents")

    def __str__(self) -> str:
        return self.original_name
