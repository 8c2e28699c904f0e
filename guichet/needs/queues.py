"""What the guichet asks of people ("My space", the coordinators' home): requests to
qualify and qualified requests to propose members for, for the coordinators; proposals to
answer, for the managers of member organisations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.queues import COORDINATION, ORGANISATIONS, Queue, register_queue
from guichet.needs.access import can_coordinate
from guichet.needs.models import RequestStatus
from guichet.needs.selectors import requests_in_status_count
from guichet.needs.selectors_shortlists import proposals_to_answer_count


def _requests_url(status: str) -> str:
    return f"{reverse('needs:coordination_requests')}?status={status}"


def _requests(status: str) -> Any:
    def count(person: Any) -> int | None:
        return requests_in_status_count(status) if can_coordinate(person) else None

    return count


register_queue(
    Queue(
        key="needs.requests_to_qualify",
        audience=COORDINATION,
        label=_("Requests to qualify"),
        url=lambda: _requests_url(RequestStatus.SUBMITTED),
        count=_requests(RequestStatus.SUBMITTED),
        order=10,
    )
)
register_queue(
    Queue(
        key="needs.requests_to_shortlist",
        audience=COORDINATION,
        label=_("Qualified requests waiting for their shortlists"),
        url=lambda: _requests_url(RequestStatus.QUALIFIED),
        count=_requests(RequestStatus.QUALIFIED),
        order=20,
    )
)
register_queue(
    Queue(
        key="needs.proposals_to_answer",
        audience=ORGANISATIONS,
        label=_("Proposals to answer"),
        url=lambda: reverse("needs:member_entries"),
        count=proposals_to_answer_count,
        order=10,
    )
)
