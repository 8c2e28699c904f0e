"""Upstream contributions logged during a mission, and the justification for giving nothing
back ("upstream first", commitment 5 of the charter).

The people of a member organisation log what it contributed: a patch, an issue, a
translation… to a project of the catalogue, at an http(s) address logged once across the
network. Marking one merged tells the mission's members by email. A mission with
development work closes only with a contribution logged or a justification approved by a
coordinator (domain/workflow.py, enforced by services/missions.mission_move): a manager of
a member organisation (or a coordinator) writes why nothing went upstream, a coordinator
approves it. Writing it again withdraws the approval given to the former text.

Who may open the pages is checked by the views (access.py); these services check what the
data itself requires: the organisation works on the mission, the mission is not cancelled,
the justification's writer manages a member organisation and its approver coordinates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.missions import access, notifications_contributions
from guichet.missions.domain import workflow
from guichet.missions.domain.contributions import url_key, url_refusal
from guichet.missions.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Mission,
    MissionMember,
)
from guichet.missions.services.common import MissionError, event_add
from guichet.network.models import Organisation, Software

TITLE_MAX = 200
URL_MAX = 500
JUSTIFICATION_MIN = 40
JUSTIFICATION_MAX = 4000


def _refuse_cancelled(mission: Mission) -> None:
    if mission.status == workflow.CANCELLED:
        raise MissionError("contributions_not_open")


def _checked_status(status: str) -> str:
    if status not in ContributionStatus.values:
        raise MissionError("contribution_status_unknown")
    return status


def contribution_url_refusal(url: str, *, exclude: int | None = None) -> str | None:
    """None when `url` may be logged, else the code of what is wrong: not http(s), too long,
    or already logged (compared by domain/contributions.url_key)."""
    url = url.strip()
    refusal = url_refusal(url)
    if refusal is not None:
        return refusal
    if len(url) > URL_MAX:
        return "url_too_long"
    taken = Contribution.objects.filter(url_key=url_key(url))
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        return "url_duplicate"
    return None


def contribution_add(
    *,
    mission: Mission,
    organisation: Organisation,
    software: Software,
    kind: str,
    title: str,
    url: str,
    status: str = ContributionStatus.PROPOSED,
    embargo_until: date | None = None,
    by: Any,
) -> Contribution:
    """Log a contribution the organisation made during the mission (MissionError otherwise).

    Logged already merged, it tells the members as a merge would. A merged catalogue entry
    is replaced by the one it was merged into."""
    _refuse_cancelled(mission)
    if not MissionMember.objects.filter(mission=mission, organisation=organisation).exists():
        raise MissionError("organisation_not_member")
    if kind not in ContributionKind.values:
        raise MissionError("contribution_kind_unknown")
    _checked_status(status)
    title = " ".join(title.split())
    if not title:
        raise MissionError("contribution_title_missing")
    if len(title) > TITLE_MAX:
        raise MissionError("contribution_title_too_long")
    url = url.strip()
    refusal = contribution_url_refusal(url)
    if refusal is not None:
        raise MissionError(refusal)
    if software.merged_into_id is not None:
        software = software.merged_into  # type: ignore[assignment]
    merged = status == ContributionStatus.MERGED
    with transaction.atomic():
        try:
            with transaction.atomic():
                contribution = Contribution.objects.create(
                    mission=mission,
                    organisation=organisation,
                    software=software,
                    kind=kind,
                    title=title,
                    url=url,
                    url_key=url_key(url),
                    status=status,
                    embargo_until=embargo_until,
                    created_by=by if getattr(by, "pk", None) else None,
                    merged_at=timezone.now() if merged else None,
                )
        except IntegrityError as error:  # logged by someone else meanwhile
            raise MissionError("url_duplicate") from error
        event_add(
            mission=mission,
            kind="contribution_added",
            by=by,
            contribution=contribution.pk,
            organisation=organisation.name,
            software=software.name,
            status=status,
        )
        if merged:
            notifications_contributions.contribution_merged(contribution)
    return contribution


def contribution_update(
    *, contribution: Contribution, status: str, embargo_until: date | None, by: Any
) -> Contribution:
    """Change a contribution's status or embargo date. Becoming merged records when, and
    tells the mission's members by email (once: a second "merged" changes nothing)."""
    _checked_status(status)
    with transaction.atomic():
        locked = (
            Contribution.objects.select_for_update()
            .select_related("mission", "software", "organisation")
            .get(pk=contribution.pk)
        )
        _refuse_cancelled(locked.mission)
        previous = locked.status
        newly_merged = status == ContributionStatus.MERGED and previous != status
        locked.status = status
        locked.embargo_until = embargo_until
        if newly_merged:
            locked.merged_at = timezone.now()
        elif status != ContributionStatus.MERGED:
            locked.merged_at = None
        locked.save(update_fields=["status", "embargo_until", "merged_at"])
        event_add(
            mission=locked.mission,
            kind="contribution_updated",
            by=by,
            contribution=locked.pk,
            software=locked.software.name,
            previous=previous,
            status=status,
        )
        if newly_merged:
            notifications_contributions.contribution_merged(locked)
    for field in ("status", "embargo_until", "merged_at"):
        setattr(contribution, field, getattr(locked, field))
    return contribution


def may_justify(user: Any, mission: Mission) -> bool:
    """A manager of one of the mission's organisations, or a coordinator."""
    return access.can_coordinate(user) or access.managed_members(user, mission).exists()


def justification_submit(*, mission: Mission, text: str, by: Any) -> Mission:
    """Write (or rewrite) why nothing went upstream from a mission with development work,
    e.g. nothing reusable was written, or the client's confidentiality. Rewriting it waits
    for a coordinator's approval again; sending the same text again changes nothing."""
    if not may_justify(by, mission):
        raise MissionError("justification_not_allowed")
    text = text.strip()
    if len(text) < JUSTIFICATION_MIN:
        raise MissionError("justification_too_short")
    if len(text) > JUSTIFICATION_MAX:
        raise MissionError("justification_too_long")
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        if locked.status in workflow.ENDED:
            raise MissionError("mission_ended")
        if not locked.includes_development:
            raise MissionError("justification_not_needed")
        if text == locked.justification:
            return mission  # saved unchanged: neither its author nor its approval changes
        was_approved = locked.justification_approved_at is not None
        locked.justification = text
        locked.justification_by = by if getattr(by, "pk", None) else None
        locked.justification_approved_at = None
        locked.justification_approved_by = None
        locked.save(
            update_fields=[
                "justification",
                "justification_by",
                "justification_approved_at",
                "justification_approved_by",
            ]
        )
        event_add(mission=locked, kind="justification_submitted", by=by)
        audit_record(
            action="mission.justification_submit",
            actor=by,
            target=locked,
            data={"mission": locked.pk, "approval_withdrawn": was_approved},
        )
    _copy_justification(locked, mission)
    return mission


def justification_approve(*, mission: Mission, by: Any) -> Mission:
    """A coordinator approves the mission's justification: the mission may then close
    without a contribution. Approving twice changes nothing."""
    if not access.can_coordinate(by):
        raise MissionError("justification_approve_not_allowed")
    with transaction.atomic():
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        if locked.status in workflow.ENDED:
            raise MissionError("mission_ended")
        if not locked.justification.strip():
            raise MissionError("justification_missing")
        if locked.justification_approved_at is None:
            locked.justification_approved_at = timezone.now()
            locked.justification_approved_by = by
            locked.save(update_fields=["justification_approved_at", "justification_approved_by"])
            event_add(mission=locked, kind="justification_approved", by=by)
            audit_record(
                action="mission.justification_approve",
                actor=by,
                target=locked,
                data={"mission": locked.pk},
            )
    _copy_justification(locked, mission)
    return mission


def _copy_justification(source: Mission, target: Mission) -> None:
    for field in (
        "justification",
        "justification_by_id",
        "justification_approved_at",
        "justification_approved_by_id",
    ):
        setattr(target, field, getattr(source, field))
