"""What the decisions ask of people ("My space"): the open rounds awaiting their position,
for the associates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.queues import DECISIONS, Queue, register_queue
from guichet.governance.access import is_associate
from guichet.governance.selectors import waiting_rounds


def _rounds(person: Any) -> int | None:
    return waiting_rounds(person).count() if is_associate(person) else None


register_queue(
    Queue(
        key="governance.rounds_to_position_on",
        audience=DECISIONS,
        label=_("Rounds awaiting your position"),
        # The proposals list puts open ones first and marks the rounds awaiting a position.
        url=lambda: reverse("governance:proposals"),
        count=_rounds,
        order=10,
    )
)
