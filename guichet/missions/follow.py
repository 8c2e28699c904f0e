"""The client's view of its missions, on the private follow-up page of its request: each
mission's status, members and milestones — never the members' rates, days or invoices,
which are the members' own business with the network."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from guichet.core.registries.sections import REQUEST_FOLLOW, Section, register_section
from guichet.missions.models import Milestone, Mission, MissionMember


def follow_context(request: Any) -> dict[str, Any]:
    missions = list(
        Mission.objects.filter(request=request)
        .prefetch_related(
            Prefetch("members", queryset=MissionMember.objects.select_related("organisation")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
        )
        .order_by("created_at", "pk")
    )
    return {"missions": missions}


def connect() -> None:
    """From MissionsConfig.ready() (idempotent)."""
    register_section(
        REQUEST_FOLLOW,
        Section(key="missions", template="missions/follow_section.html", context=follow_context),
    )
