"""What missions hold about a person: the evaluations they gave as a client contact, and
what they did on missions as a member or coordinator.

Erasure anonymises the evaluations given at the person's address — name, address and free
comment go; the ratings stay, since they are published only as aggregates and feed matching.
What people did on missions (days, invoices, contributions, the timeline) stays: it belongs
to the organisations' records and, once the account is anonymised, leads to no one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from guichet.core.registries.personal_data import PersonalData, register
from guichet.missions.models import (
    Contribution,
    DeliveredDays,
    Evaluation,
    Invoice,
    Mission,
    MissionDocument,
    MissionEvent,
)

ERASED_NAME = "—"
ERASED_EMAIL = "erased@invalid.invalid"


def _evaluations_of(person: Any) -> QuerySet[Evaluation]:
    if not person.email:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(contact_email__iexact=person.email)


def export(person: Any) -> dict[str, Any]:
    return {
        "evaluations_given": [
            {
                "mission": evaluation.mission.reference,
                "contact_name": evaluation.contact_name,
                "contact_email": evaluation.contact_email,
                "submitted_at": evaluation.submitted_at.isoformat()
                if evaluation.submitted_at
                else None,
                "ratings": {
                    "quality": evaluation.quality,
                    "deadlines": evaluation.deadlines,
                    "communication": evaluation.communication,
                    "openness": evaluation.openness,
                },
                "would_recommend": evaluation.would_recommend,
                "comment": evaluation.comment,
            }
            for evaluation in _evaluations_of(person).select_related("mission")
        ],
        "missions_started": Mission.objects.filter(created_by=person).count(),
        "timeline_events": MissionEvent.objects.filter(by=person).count(),
        "delivered_days_recorded": DeliveredDays.objects.filter(recorded_by=person).count(),
        "invoices_recorded": Invoice.objects.filter(created_by=person).count(),
        "contributions_logged": Contribution.objects.filter(created_by=person).count(),
        "documents_uploaded": MissionDocument.objects.filter(uploaded_by=person).count(),
    }


def erase(person: Any) -> int:
    with transaction.atomic():
        return _evaluations_of(person).update(
            contact_name=ERASED_NAME, contact_email=ERASED_EMAIL, comment=""
        )


register(
    PersonalData(
        app="missions",
        fields=(
            "missions.Evaluation.contact_name",
            "missions.Evaluation.contact_email",
            "missions.Evaluation.comment",
            "missions.Mission.created_by",
            "missions.Mission.justification_by",
            "missions.Mission.justification_approved_by",
            "missions.MissionEvent.by",
            "missions.MissionDocument.uploaded_by",
            "missions.DeliveredDays.recorded_by",
            "missions.Invoice.created_by",
            "missions.Contribution.created_by",
        ),
        export=export,
        erase=erase,
        order=55,
    )
)
