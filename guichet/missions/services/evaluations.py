"""Client evaluations: asked for when a mission is delivered, answered through an emailed
link, reminded after 7 and 14 days, answered by the members.

The client's first answer moves a delivered mission to "evaluated"; the answers may change
until the mission closes. Members of the mission are emailed when an answer arrives, and
a manager of each member organisation may publish one reply next to the client's comment.

The link is signed with the site's key and carries the evaluation's nonce: unguessable,
sendable again in each reminder without storing a secret, revoked all at once by a new
nonce, and refused after `expires_at` (GUICHET_EVALUATION_DAYS after it was asked for).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.missions import notifications, notifications_evaluations
from guichet.missions.domain import workflow
from guichet.missions.domain.evaluations import (
    CRITERIA,
    MAX_COMMENT_LENGTH,
    MAX_REPLY_LENGTH,
    REMINDER_DAYS,
    evaluation_score,
    ratings_refusal,
    reminder_due,
)
from guichet.missions.models import Evaluation, EvaluationReply, Mission, MissionStatus
from guichet.missions.services.common import MissionError, event_add
from guichet.network.models import Membership, Organisation

SALT = "guichet.missions.evaluation"


def evaluation_token(evaluation: Evaluation) -> str:
    """The secret part of the evaluation's link."""
    return signing.dumps({"e": evaluation.pk, "n": evaluation.nonce}, salt=SALT, compress=True)


def evaluation_find(token: str) -> Evaluation:
    """The evaluation a link opens, or MissionError: link_unknown (forged, revoked) or
    link_expired."""
    try:
        data = signing.loads(token, salt=SALT)
        evaluation = Evaluation.objects.select_related("mission__request").get(
            pk=int(data["e"]), nonce=str(data["n"])
        )
    except (signing.BadSignature, Evaluation.DoesNotExist, KeyError, TypeError, ValueError):
        raise MissionError("link_unknown") from None
    if evaluation.expires_at <= timezone.now():
        raise MissionError("link_expired")
    return evaluation


def evaluation_request(*, mission: Mission) -> list[Evaluation]:
    """Ask the mission's client contact for an evaluation, once per contact; asking again
    renews the link of a contact who has not answered yet."""
    request = mission.request
    expires_at = timezone.now() + timedelta(days=settings.GUICHET_EVALUATION_DAYS)
    with transaction.atomic():
        evaluation, created = Evaluation.objects.get_or_create(
            mission=mission,
            contact_email=request.contact_email.lower(),
            defaults={
                "contact_name": request.contact_name,
                "language": request.language,
                "nonce": secrets.token_hex(16),
                "expires_at": expires_at,
            },
        )
        if not created:
            if evaluation.submitted_at is not None:
                return []
            evaluation.nonce, evaluation.expires_at = secrets.token_hex(16), expires_at
            evaluation.asked_at, evaluation.reminders_sent = timezone.now(), 0
            evaluation.save(update_fields=["nonce", "expires_at", "asked_at", "reminders_sent"])
        notifications.evaluation_asked(evaluation, evaluation_token(evaluation))
        event_add(mission=mission, kind="evaluation_asked")
    return [evaluation]


def evaluation_submit(
    *, evaluation: Evaluation, ratings: dict[str, int], would_recommend: bool, comment: str
) -> Evaluation:
    """Record the client's answers (MissionError when refused): the score is the mean of
    the four ratings. The first answer moves a delivered mission to "evaluated" and tells
    its members; later ones change the answers while the mission is not closed."""
    refusal = ratings_refusal(ratings)
    if refusal is not None:
        raise MissionError(refusal)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise MissionError("comment_too_long")
    score = evaluation_score([ratings[criterion] for criterion in CRITERIA])
    with transaction.atomic():
        # The mission first, then its evaluation: the same order as every other writer.
        mission = Mission.objects.select_for_update().get(pk=evaluation.mission_id)
        evaluation = (
            Evaluation.objects.select_for_update().select_related("mission").get(pk=evaluation.pk)
        )
        evaluation.mission = mission
        if evaluation.expires_at <= timezone.now():
            raise MissionError("link_expired")
        first = evaluation.submitted_at is None
        if not workflow.may_be_evaluated(mission.status):
            raise MissionError("evaluation_not_open")
        if not first and not workflow.evaluation_editable(mission.status):
            raise MissionError("evaluation_closed")
        now = timezone.now()
        for criterion in CRITERIA:
            setattr(evaluation, criterion, ratings[criterion])
        evaluation.would_recommend = bool(would_recommend)
        evaluation.comment = comment
        evaluation.score = score
        evaluation.submitted_at = evaluation.submitted_at or now
        evaluation.updated_at = now
        evaluation.save(
            update_fields=[
                *CRITERIA,
                "would_recommend",
                "comment",
                "score",
                "submitted_at",
                "updated_at",
            ]
        )
        audit_record(
            action="evaluation.submit" if first else "evaluation.update",
            target=evaluation,
            data={"mission": mission.pk, "score": str(score)},
        )
        if first:
            event_add(mission=mission, kind="evaluation_received", score=str(score))
            if mission.status == MissionStatus.DELIVERED:
                _evaluated(mission)
            notifications_evaluations.evaluation_received(evaluation)
        else:
            event_add(mission=mission, kind="evaluation_updated", score=str(score))
    return evaluation


def _evaluated(mission: Mission) -> None:
    """The move the client's first answer makes (not one people make: workflow.MOVES)."""
    mission.status = MissionStatus.EVALUATED
    mission.save(update_fields=["status"])
    event_add(
        mission=mission,
        kind="status",
        status=MissionStatus.EVALUATED,
        previous=MissionStatus.DELIVERED,
    )
    audit_record(
        action="mission.status",
        target=mission,
        data={"from": MissionStatus.DELIVERED, "to": MissionStatus.EVALUATED},
    )


def evaluation_reminders_stop(*, evaluation: Evaluation) -> Evaluation:
    """The client asks for no more reminders (from its evaluation page); idempotent."""
    with transaction.atomic():
        stopped = Evaluation.objects.filter(
            pk=evaluation.pk, reminders_stopped_at__isnull=True
        ).update(reminders_stopped_at=timezone.now())
        if stopped:
            event_add(mission=evaluation.mission, kind="evaluation_reminders_stopped")
    evaluation.refresh_from_db(fields=["reminders_stopped_at"])
    return evaluation


def evaluation_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each client who has not answered, 7 then 14 days after being asked
    (domain.reminder_due), skipping stopped, expired and answered ones. Each reminder is
    claimed by raising `reminders_sent` from the value read, so a run twice, or two at once,
    sends it once; a late run sends the one due, the next run the following one. Returns
    how many reminders left."""
    now = now or timezone.now()
    candidates = (
        Evaluation.objects.filter(
            submitted_at__isnull=True,
            reminders_stopped_at__isnull=True,
            expires_at__gt=now,
            reminders_sent__lt=len(REMINDER_DAYS),
            mission__status__in=[s for s in workflow.STATUSES if workflow.may_be_evaluated(s)],
        )
        .select_related("mission__request")
        .order_by("pk")
    )
    sent = 0
    for evaluation in candidates:
        due = reminder_due(
            asked_at=evaluation.asked_at,
            now=now,
            reminders_sent=evaluation.reminders_sent,
            submitted=evaluation.submitted_at is not None,
            expires_at=evaluation.expires_at,
        )
        if not due:
            continue
        with transaction.atomic():
            claimed = Evaluation.objects.filter(
                pk=evaluation.pk,
                reminders_sent=evaluation.reminders_sent,
                nonce=evaluation.nonce,
                submitted_at__isnull=True,
                reminders_stopped_at__isnull=True,
            ).update(reminders_sent=F("reminders_sent") + 1)
            if not claimed:
                continue
            notifications.evaluation_asked(evaluation, evaluation_token(evaluation), reminder=True)
            event_add(
                mission=evaluation.mission,
                kind="evaluation_reminded",
                number=evaluation.reminders_sent + 1,
            )
        sent += 1
    return sent


def _manages(person: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        person_id=getattr(person, "pk", None), organisation=organisation, is_manager=True
    ).exists()


def evaluation_reply_publish(
    *, evaluation: Evaluation, organisation: Organisation, text: str, by: Any
) -> EvaluationReply:
    """Publish (or correct) the organisation's one reply to the client's evaluation, shown
    next to the comment to whoever reads it. `by` must manage the organisation, which must
    be a member of the mission."""
    if not evaluation.mission.members.filter(organisation=organisation).exists():
        raise MissionError("reply_not_member")
    if not _manages(by, organisation):
        raise MissionError("reply_not_manager")
    if evaluation.submitted_at is None:
        raise MissionError("reply_nothing_to_answer")
    text = text.strip()
    if not text:
        raise MissionError("reply_empty")
    if len(text) > MAX_REPLY_LENGTH:
        raise MissionError("reply_too_long")
    with transaction.atomic():
        reply, created = EvaluationReply.objects.update_or_create(
            evaluation=evaluation, organisation=organisation, defaults={"text": text}
        )
        event_add(
            mission=evaluation.mission,
            kind="evaluation_reply",
            by=by,
            organisation=organisation.name,
        )
        audit_record(
            action="evaluation.reply" if created else "evaluation.reply_update",
            actor=by,
            target=reply,
            data={"evaluation": evaluation.pk, "organisation": organisation.pk},
        )
    return reply
