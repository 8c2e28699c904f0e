"""What the network app holds about a person: the organisations they belong to."""

from typing import Any

from guichet.core.registries.personal_data import PersonalData, register
from guichet.network.models import Membership


def export(person: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "manager": m.is_manager,
            "joined_at": m.joined_at.isoformat(),
        }
        for m in Membership.objects.filter(person=person).select_related("organisation")
    ]


def erase(person: Any) -> int:
    return Membership.objects.filter(person=person).delete()[0]


register(
    PersonalData(
        app="network",
        # Who verified a software link stays on the link: once the account is erased
        # (anonymised), it no longer leads to anyone.
        fields=("network.Membership.person", "network.SoftwareLink.verified_by"),
        export=export,
        erase=erase,
    )
)
