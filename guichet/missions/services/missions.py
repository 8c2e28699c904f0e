"""Missions: started from the client's choice, moved through their workflow, with
milestones, documents and a timeline.

A mission starts from a request's consortium (all its lots and members, days and rates
copied as agreed) or from one lot whose provider the client chose. Each step writes a line
of the timeline; status changes are audited. Delivering a mission asks its client for an
evaluation (services/evaluations.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.documents import CheckedDocument
from guichet.missions import notifications
from guichet.missions.domain import workflow
from guichet.missions.models import (
    Milestone,
    Mission,
    MissionDocument,
    MissionMember,
    MissionRole,
    MissionStatus,
)
from guichet.missions.services.common import MissionError, event_add
from guichet.missions.services.evaluations import evaluation_request
from guichet.needs.models import Consortium, Lot, Request, ShortlistEntry

# A subcontractor in a consortium keeps its role in the mission; so do the lead and the
# co-contractors. A lone provider chosen for one lot is its mission's provider.
ROLE_OF_CONSORTIUM = {
    "lead": MissionRole.LEAD,
    "co_contractor": MissionRole.CO_CONTRACTOR,
    "subcontractor": MissionRole.SUBCONTRACTOR,
}


def _lots_free(lots: list[Lot]) -> None:
    taken = Mission.objects.filter(lots__in=lots).exclude(status=MissionStatus.CANCELLED)
    if taken.exists():
        raise MissionError("lot_has_mission")


def mission_from_consortium(
    *, consortium: Consortium, by: Any, includes_development: bool = False
) -> Mission:
    """The mission of a consortium: every lot it answers, every member with its role, lots,
    days and rate as agreed."""
    members = list(
        consortium.members.select_related("organisation").prefetch_related("lots").order_by("pk")
    )
    if not any(member.role == "lead" for member in members):
        raise MissionError("consortium_without_lead")
    lots = sorted({lot for member in members for lot in member.lots.all()}, key=lambda x: x.pk)
    if not lots:
        raise MissionError("consortium_without_lots")
    with transaction.atomic():
        _lots_free(lots)
        if Mission.objects.filter(consortium=consortium).exists():
            raise MissionError("consortium_has_mission")
        request = consortium.request
        mission = Mission.objects.create(
            request=request,
            consortium=consortium,
            title=request.title,
            includes_development=includes_development,
            starts_on=request.start_date,
            ends_on=request.end_date,
            created_by=by,
        )
        mission.lots.set(lots)
        copied: dict[int, MissionMember] = {}
        for member in sorted(members, key=lambda m: m.contractor_id is not None):
            copy = MissionMember.objects.create(
                mission=mission,
                organisation=member.organisation,
                role=ROLE_OF_CONSORTIUM[member.role],
                contractor=copied.get(member.contractor_id) if member.contractor_id else None,
                person_days=member.person_days,
                day_rate=member.day_rate,
            )
            copy.lots.set(member.lots.all())
            copied[member.pk] = copy
        _started(mission, by)
    return mission


def mission_from_choice(
    *, entry: ShortlistEntry, by: Any, includes_development: bool = False
) -> Mission:
    """The mission of one lot whose provider the client chose; days from the lot, the day
    rate to be set by the coordinator."""
    if entry.chosen_at is None:
        raise MissionError("provider_not_chosen")
    lot = entry.lot
    with transaction.atomic():
        _lots_free([lot])
        request: Request = lot.request
        mission = Mission.objects.create(
            request=request,
            # A one-lot request's lot often repeats its title: say it once.
            title=request.title
            if lot.title.strip().casefold() == request.title.strip().casefold()
            else f"{request.title} — {lot.title}",
            includes_development=includes_development,
            starts_on=lot.start_date or request.start_date,
            ends_on=lot.deadline or request.end_date,
            created_by=by,
        )
        mission.lots.set([lot])
        member = MissionMember.objects.create(
            mission=mission,
            organisation=entry.organisation,
            role=MissionRole.PROVIDER,
            person_days=lot.person_days,
        )
        member.lots.set([lot])
        _started(mission, by)
    return mission


def _started(mission: Mission, by: Any) -> None:
    event_add(mission=mission, kind="created", by=by)
    audit_record(action="mission.create", actor=by, target=mission, data={"id": mission.pk})
    notifications.assigned(mission)


def mission_move(*, mission: Mission, target: str, by: Any) -> Mission:
    """Move the mission to `target` when the workflow allows it (MissionError otherwise).

    Closing a mission with development work needs a contribution or an approved
    justification; delivering it asks the client for an evaluation.
    """
    with transaction.atomic():
        # Read the status under a lock (two coordinators may click at once); the caller's
        # object is then updated in place, so that what it holds stays true.
        locked = Mission.objects.select_for_update().get(pk=mission.pk)
        mission.status = from_status = locked.status
        # A withdrawn contribution gave nothing back; a rejected one was offered all the same.
        refusal = workflow.move_refusal(
            current=locked.status,
            target=target,
            includes_development=locked.includes_development,
            contributions=locked.contributions.exclude(status="withdrawn").count(),
            justification_approved=locked.justification_approved_at is not None,
        )
        if refusal is not None:
            raise MissionError(refusal.code)
        now = timezone.now()
        mission.status = target
        if target == MissionStatus.DELIVERED:
            mission.delivered_at = now
        if target in (MissionStatus.CLOSED, MissionStatus.CANCELLED):
            mission.closed_at = now
        mission.save(update_fields=["status", "delivered_at", "closed_at"])
        event_add(mission=mission, kind="status", by=by, status=target, previous=from_status)
        audit_record(
            action="mission.status",
            actor=by,
            target=mission,
            data={"from": from_status, "to": target},
        )
        if target == MissionStatus.DELIVERED:
            evaluation_request(mission=mission)
    return mission


def mission_update(
    *,
    mission: Mission,
    by: Any,
    title: str,
    includes_development: bool,
    starts_on: date | None,
    ends_on: date | None,
) -> Mission:
    """The coordinator's edit of the mission's title, dates and development flag."""
    if mission.status in workflow.ENDED:
        raise MissionError("mission_ended")
    if starts_on and ends_on and ends_on < starts_on:
        raise MissionError("end_before_start")
    mission.title = title.strip() or mission.title
    mission.includes_development = includes_development
    mission.starts_on, mission.ends_on = starts_on, ends_on
    with transaction.atomic():
        mission.save(update_fields=["title", "includes_development", "starts_on", "ends_on"])
        event_add(mission=mission, kind="updated", by=by)
    return mission


def milestone_add(*, mission: Mission, title: str, due_on: date, by: Any) -> Milestone:
    if mission.status in workflow.ENDED:
        raise MissionError("mission_ended")
    with transaction.atomic():
        milestone = Milestone.objects.create(mission=mission, title=title.strip(), due_on=due_on)
        event_add(mission=mission, kind="milestone_added", by=by, title=milestone.title)
    return milestone


def milestone_done(*, milestone: Milestone, done: bool, by: Any) -> Milestone:
    """Mark a milestone done (or not done again)."""
    if milestone.mission.status in workflow.ENDED:
        raise MissionError("mission_ended")
    with transaction.atomic():
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done_at"])
        event_add(
            mission=milestone.mission,
            kind="milestone_done" if done else "milestone_reopened",
            by=by,
            title=milestone.title,
        )
    return milestone


def milestones_notify_due(*, today: date | None = None) -> int:
    """Email the members of each mission whose milestone falls due today or earlier and is
    not done, once per milestone (safe to run twice, or late). Returns how many."""
    today = today or timezone.localdate()
    due = Milestone.objects.filter(
        due_on__lte=today, done_at__isnull=True, due_notified_at__isnull=True
    ).exclude(mission__status__in=workflow.ENDED)
    sent = 0
    for milestone in due.select_related("mission"):
        with transaction.atomic():
            claimed = Milestone.objects.filter(
                pk=milestone.pk, due_notified_at__isnull=True
            ).update(due_notified_at=timezone.now())
            if claimed:
                notifications.milestone_due(milestone)
                sent += 1
    return sent


def document_add(*, mission: Mission, document: CheckedDocument, by: Any) -> MissionDocument:
    """Attach a checked document (PDF or ODT, see needs/documents.py) to the mission."""
    with transaction.atomic():
        stored = MissionDocument.objects.create(
            mission=mission,
            file=document.file,
            original_name=document.name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by=by if getattr(by, "pk", None) else None,
        )
        event_add(mission=mission, kind="document_added", by=by, name=document.name)
    return stored
