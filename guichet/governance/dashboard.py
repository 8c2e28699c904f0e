"""The Decisions section of My space (web's dashboard): open proposals, and the rounds
awaiting one's position, for those who take part in decisions."""

from __future__ import annotations

from typing import Any

from guichet.governance.access import can_take_part
from guichet.governance.models import OPEN_STATUSES, Proposal
from guichet.governance.selectors import waiting_rounds


def dashboard_context(user: Any) -> dict[str, Any]:
    """The template's context (governance/dashboard_section.html); empty for the others."""
    if not can_take_part(user):
        return {"takes_part_in_decisions": False}
    return {
        "takes_part_in_decisions": True,
        "decisions_open": Proposal.objects.filter(status__in=OPEN_STATUSES).count(),
        "decisions_waiting": waiting_rounds(user).count(),
    }
