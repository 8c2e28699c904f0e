"""Rounds of decision, the positions taken in them, proxies, and secret ballots."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.governance.models.proposals import Proposal, ProposalVersion


class Round(models.Model):
    """One round on one version of a proposal. The electorate and the statutes' rules are
    copied when it opens; the outcome is recorded once, when it closes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened on"), auto_now_add=True)
    closes_at = models.DateTimeField(_("closes on"), db_index=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, db_index=True)
    # person id (as text, JSON keys are) → college slug, at opening.
    electorate = models.JSONField(default=dict)
    # The statutes' rules at opening: weights, quorums, proxy cap, threshold.
    rules = models.JSONField(default=dict)
    adopted = models.BooleanField(null=True)
    reason = models.CharField(max_length=30, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    counts_by_college = models.JSONField(default=dict, blank=True)
    participation = models.PositiveIntegerField(default=0)
    # Proxies as applied at the close: [{"giver", "holder", "accepted"}].
    proxy_register = models.JSONField(default=list, blank=True)
    # Elections: the count (approvals, or STV rounds) and who was elected (candidate ids).
    result = models.JSONField(default=dict, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_round_number"),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(closed_at__isnull=True),
                name="one_open_round_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} — {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def electorate_size(self) -> int:
        return len(self.electorate)


class PositionValue(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONCERN = "concern", _("Concern")
    OBJECTION = "objection", _("Objection")
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class ObjectionState(models.TextChoices):
    RAISED = "raised", _("Raised")
    EXAMINED = "examined", _("Examined, valid")
    INTEGRATED = "integrated", _("Integrated by an amendment")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")
    NOT_VALID = "not_valid", _("Declared not valid")


class Position(models.Model):
    """The position counted for `person` in a round: taken by them, or by `cast_by` holding
    their proxy. One per person and round, enforced by the database."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(_("position"), max_length=10, choices=PositionValue.choices)
    comment = models.TextField(_("comment"), blank=True)
    change_requested = models.TextField(_("what would make it safe to try"), blank=True)
    objection_state = models.CharField(
        _("state of the objection"), max_length=12, choices=ObjectionState.choices, blank=True
    )
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    examination = models.TextField(_("facilitator's reasons"), blank=True)
    taken_at = models.DateTimeField(_("taken on"), auto_now=True)

    class Meta:
        ordering = ["round", "taken_at", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_position_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.get_value_display()}"

    @property
    def by_proxy(self) -> bool:
        return self.cast_by_id != self.person_id


class Proxy(models.Model):
    """An associate's proxy to another: for one proposal, or for a period (any proposal whose
    round closes within it). Revoked proxies stay in the register."""

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proxies_given"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proxies_held"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="proxies"
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("given on"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False)
                | Q(starts_on__isnull=False, ends_on__isnull=False),
                name="proxy_for_a_proposal_or_a_period",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="no_proxy_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder}"


class Participation(models.Model):
    """That a person voted in an election round (and who cast it), kept apart from the
    ballot: nothing links the two."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="vote_once_per_election")
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.person_id}"


class Ballot(models.Model):
    """A secret ballot: the candidates approved, or ranked, with no voter and no time."""

    # A random key, so that the order of ballots tells nothing of the order of voters.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(default=list)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return f"{self.round} — {self.pk}"
