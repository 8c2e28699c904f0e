"""The audit log names people by id: a person may read their records, which are never erased.

Security records are kept under the network's legitimate interest in protecting accounts;
once an account is erased (anonymised), its records no longer lead to anyone.
"""

from typing import Any

from guichet.core.models import AuditEntry
from guichet.core.registries.personal_data import PersonalData, register


def export(person: Any) -> list[dict[str, Any]]:
    return [
        {
            "date": e.created_at.isoformat(),
            "action": e.action,
            "ip_address": e.ip_address,
        }
        for e in AuditEntry.objects.filter(actor_id=person.pk).order_by("sequence")
    ]


def erase(person: Any) -> int:
    return 0


register(
    PersonalData(
        app="core",
        fields=("core.AuditEntry.actor_id", "core.AuditEntry.ip_address"),
        export=export,
        erase=erase,
    )
)
