"""Reads of client evaluations, each saying what it prefetches.

Who reads what: a member's public figure is an aggregate (mean and count, hidden below
domain.PUBLIC_MINIMUM evaluations); the answers one by one, the free comment and the
members' replies are read by the people of the mission's member organisations and by the
coordinators only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from guichet.missions import access
from guichet.missions.domain.evaluations import Aggregate, public_aggregate
from guichet.missions.models import Evaluation, EvaluationReply, Mission, MissionMember
from guichet.network.models import Membership


def scores_by_organisation(
    organisation_ids: Iterable[int] | None = None,
) -> dict[int, list[Decimal]]:
    """The scores of the submitted evaluations of every mission each organisation was a
    member of (any role), in one query; every organisation when `organisation_ids` is None.

    Read whole and filtered here rather than with an IN list: evaluations are few, the
    organisations asked for may be the whole network."""
    wanted = None if organisation_ids is None else set(organisation_ids)
    rows = (
        MissionMember.objects.filter(
            mission__evaluations__submitted_at__isnull=False,
            mission__evaluations__score__isnull=False,
        )
        .order_by("organisation_id", "mission__evaluations__pk")
        .values_list("organisation_id", "mission__evaluations__score")
    )
    found: dict[int, list[Decimal]] = defaultdict(list)
    for organisation_id, score in rows:
        if score is not None and (wanted is None or organisation_id in wanted):
            found[organisation_id].append(Decimal(score))
    return dict(found)


def public_satisfaction(organisation_id: int) -> Aggregate:
    """What anyone may read of an organisation's evaluations: count, and mean from
    PUBLIC_MINIMUM evaluations on."""
    return public_aggregate(scores_by_organisation([organisation_id]).get(organisation_id, []))


@dataclass
class EvaluationRow:
    """One evaluation as a mission's page shows it to the people allowed to read it."""

    evaluation: Evaluation
    replies: list[EvaluationReply]
    # Organisations of the reader that may reply (it manages them, they work on the mission),
    # each with the address of its reply page and its reply if already published.
    may_reply: list[dict[str, Any]] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.evaluation.submitted_at is not None


def managed_organisation_ids(user: Any, mission: Mission) -> set[int]:
    """The mission's member organisations the person manages (never all, for coordinators:
    a reply speaks for an organisation)."""
    return set(
        mission.members.filter(
            organisation__in=Membership.objects.filter(
                person_id=getattr(user, "pk", None), is_manager=True
            ).values("organisation_id")
        ).values_list("organisation_id", flat=True)
    )


def evaluations_for_mission(*, mission: Mission, user: Any) -> list[EvaluationRow]:
    """The mission's evaluations with their replies, for a person who may read them (one of
    its members' people, or a coordinator); nobody else reads anything, an empty list.

    Five queries whatever the number of evaluations: who reads, the evaluations, their
    replies with organisations, the organisations the reader manages, the members."""
    if not access.own_members(user, mission).exists():
        return []
    evaluations = list(
        mission.evaluations.prefetch_related(
            Prefetch(
                "replies",
                queryset=EvaluationReply.objects.select_related("organisation").order_by(
                    "published_at", "pk"
                ),
            )
        ).order_by("asked_at", "pk")
    )
    managed = managed_organisation_ids(user, mission)
    members = {
        member.organisation_id: member.organisation
        for member in mission.members.select_related("organisation")
        if member.organisation_id in managed
    }
    rows = []
    for evaluation in evaluations:
        replies = list(evaluation.replies.all())
        replied = {reply.organisation_id: reply for reply in replies}
        row = EvaluationRow(evaluation=evaluation, replies=replies)
        if evaluation.submitted_at is not None:
            url = reverse("missions:evaluation_reply", args=[mission.pk, evaluation.pk])
            row.may_reply = [
                {
                    "organisation": organisation,
                    "url": f"{url}?organisation={pk}",
                    "reply": replied.get(pk),
                }
                for pk, organisation in sorted(members.items(), key=lambda item: item[1].name)
            ]
        rows.append(row)
    return rows
