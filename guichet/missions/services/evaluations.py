"""Client evaluations: asked for when a mission is delivered, answered through an emailed
link, reminded after 7 and 14 days.

The link is signed with the site's key and carries the evaluation's nonce: unguessable,
sendable again in each reminder without storing a secret, revoked all at once by a new
nonce, and refused after `expires_at` (GUICHET_EVALUATION_DAYS after it was asked for).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from guichet.missions import notifications
from guichet.missions.models import Evaluation, Mission
from guichet.missions.services.common import MissionError, event_add

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
