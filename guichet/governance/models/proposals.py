"""Proposals: a text put to the associates, its versions, its discussion and attachments."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalKind(models.TextChoices):
    GENERAL = "general", _("General")
    ADMISSION = "admission", _("Admission")
    EXCLUSION = "exclusion", _("Exclusion")
    CHARTER_CHANGE = "charter_change", _("Charter change")
    RULE_CHANGE = "rule_change", _("Rule change")
    CONTRIBUTIVE_BUDGET = "contributive_budget", _("Contributive budget")
    ELECTION = "election", _("Election")


class DecisionMode(models.TextChoices):
    CONSENT = "consent", _("Consent")
    MAJORITY = "majority", _("Majority vote")
    ELECTION = "election", _("Election")


class Threshold(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two thirds")


class ProposalStatus(models.TextChoices):
    DISCUSSION = "discussion", _("In discussion")
    VOTING = "voting", _("Round open")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (ProposalStatus.DISCUSSION, ProposalStatus.VOTING)
FIXED_SUBJECT_KINDS = (ProposalKind.CHARTER_CHANGE, ProposalKind.RULE_CHANGE)


class Proposal(models.Model):
    """A proposal to the associates; its current text is its latest version.

    `reference` (D-2026-007) is what adopted decisions are cited by: an admission, a charter
    version or a rules version keeps it. `subject` names what the decision acts on for the
    apps that register an effect of its kind (see governance/effects.py).
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProposalKind.choices, default=ProposalKind.GENERAL
    )
    mode = models.CharField(
        _("decision mode"),
        max_length=10,
        choices=DecisionMode.choices,
        default=DecisionMode.CONSENT,
    )
    threshold = models.CharField(
        _("majority needed"), max_length=12, choices=Threshold.choices, default=Threshold.SIMPLE
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DISCUSSION,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("opened on"), auto_now_add=True)
    discussion_ends_at = models.DateTimeField(_("discussion open until"))
    named_positions = models.BooleanField(
        _("positions are published with names"),
        default=True,
        help_text=_("Otherwise the decision log shows the counts only."),
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    budget_amount = models.DecimalField(
        _("budget (euros)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_committed_at = models.DateTimeField(_("budget committed on"), null=True, blank=True)
    payload = models.JSONField(_("parameters"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True, db_index=True)
    outcome_statement = models.TextField(_("outcome statement"), blank=True)
    outcome_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    effect_applied = models.CharField(_("what the decision did"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def amendable(self) -> bool:
        """A charter change or a rules change puts its draft to decision as it is, and an
        election its candidates: amending the text would not change what is applied."""
        return self.kind not in FIXED_SUBJECT_KINDS


class ProposalVersion(models.Model):
    """One version of the text: the first, then each amendment (a new round follows)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("version of a proposal")
        verbose_name_plural = _("versions of proposals")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} v{self.number}"


class Comment(models.Model):
    """A message of a proposal's discussion thread."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.proposal.reference} #{self.pk}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the file's own name is kept apart and never used as a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"governance/{secrets.token_urlsafe(24)}.{extension}"


class Attachment(models.Model):
    """A document attached to a proposal (PDF or OpenDocument)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A person standing in an election."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("statement"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="stand_once_per_election")
        ]

    def __str__(self) -> str:
        return str(self.person)
