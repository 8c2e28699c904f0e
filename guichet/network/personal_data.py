"""What the network app holds about a person: memberships, and what they did for the network.

Only memberships are erased. Charter signatures, applications, evaluations and link
verifications are records of the network's decisions: they stay, and once the account is
erased (anonymised) they no longer lead to anyone.
"""

from typing import Any

from guichet.core.registries.personal_data import PersonalData, register
from guichet.network.models import (
    Application,
    CharterSignature,
    EvaluatorAssignment,
    Membership,
    SoftwareLink,
)


def export(person: Any) -> dict[str, Any]:
    return {
        "memberships": [
            {
                "organisation": m.organisation.name,
                "manager": m.is_manager,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in Membership.objects.filter(person=person).select_related("organisation")
        ],
        "charter_signatures": [
            {
                "organisation": s.organisation.name,
                "charter_version": s.charter.version,
                "signed_at": s.signed_at.isoformat(),
            }
            for s in CharterSignature.objects.filter(signed_by=person).select_related(
                "organisation", "charter"
            )
        ],
        "applications_submitted": [
            {"organisation": a.organisation.name, "kind": a.kind, "status": a.status}
            for a in Application.objects.filter(submitted_by=person).select_related("organisation")
        ],
        "evaluations": [
            {
                "application": a.application_id,
                "assigned_at": a.assigned_at.isoformat(),
                "ratings": [
                    {"value": r.value.title, "rating": r.rating, "comment": r.comment}
                    for r in a.ratings.all()
                ],
            }
            for a in EvaluatorAssignment.objects.filter(evaluator=person).prefetch_related(
                "ratings__value"
            )
        ],
        "software_links_verified": [
            {"organisation": link.organisation.name, "software": link.software.name}
            for link in SoftwareLink.objects.filter(verified_by=person).select_related(
                "organisation", "software"
            )
        ],
    }


def erase(person: Any) -> int:
    return Membership.objects.filter(person=person).delete()[0]


register(
    PersonalData(
        app="network",
        fields=(
            "network.Membership.person",
            "network.SoftwareLink.verified_by",
            "network.CharterSignature.signed_by",
            "network.Application.submitted_by",
            "network.Application.decided_by",
            "network.EvaluatorAssignment.evaluator",
            "network.EvaluatorAssignment.assigned_by",
            "network.ValueRating.comment",
        ),
        export=export,
        erase=erase,
    )
)
