"""What the books hold about a person: nothing.

Entries name organisations and software projects (through their auxiliary accounts), never
people; who wrote or validated an entry is in the audit log, which is anonymised with the
account. So there is nothing to export or erase here, and the ledger stays whole.
"""

from __future__ import annotations

from typing import Any

from guichet.core.registries.personal_data import PersonalData, register


def export(person: Any) -> dict[str, Any]:
    return {}


def erase(person: Any) -> int:
    return 0


register(PersonalData(app="finance", fields=(), export=export, erase=erase))
