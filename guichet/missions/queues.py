"""What the missions ask of people ("My space", the coordinators' home): missions to start,
for the coordinators; client evaluations to read, for the people of member organisations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.queues import COORDINATION, ORGANISATIONS, Queue, register_queue
from guichet.missions.access import can_coordinate
from guichet.missions.models import MissionStatus
from guichet.missions.selectors import evaluated_missions_count, ready_to_start_count


def _to_start(person: Any) -> int | None:
    return ready_to_start_count() if can_coordinate(person) else None


register_queue(
    Queue(
        key="missions.to_start",
        audience=COORDINATION,
        label=_("Missions to start"),
        # The list's "Ready to start" panel, shown to coordinators above every mission.
        url=lambda: f"{reverse('missions:list')}#ready",
        count=_to_start,
        order=30,
    )
)
register_queue(
    Queue(
        key="missions.evaluations_to_read",
        audience=ORGANISATIONS,
        label=_("Client evaluations to read"),
        url=lambda: f"{reverse('missions:list')}?status={MissionStatus.EVALUATED}",
        count=evaluated_missions_count,
        order=20,
    )
)
