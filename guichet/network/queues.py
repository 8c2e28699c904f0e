"""What admission by peers asks of people ("My space", the coordinators' home): applications
waiting for evaluators or for the associates' decision, and members due for re-evaluation,
for the coordinators; the evaluations asked of a person, for that person."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import is_coordinator
from guichet.core.registries.queues import COORDINATION, EVALUATIONS, Queue, register_queue
from guichet.network.models import ApplicationStatus
from guichet.network.selectors_admission import (
    applications_count,
    open_assignments_of_evaluator,
    reevaluations_to_open_count,
)


def _applications_url(status: str) -> str:
    return f"{reverse('network:coordination_applications')}?status={status}"


def _applications(status: str) -> Any:
    def count(person: Any) -> int | None:
        return applications_count(status=status) if is_coordinator(person) else None

    return count


def _reevaluations(person: Any) -> int | None:
    if not is_coordinator(person):
        return None
    return reevaluations_to_open_count(today=timezone.localdate())


def _evaluations(person: Any) -> int | None:
    """Not a role: the queue shows only while someone has asked the person for one."""
    waiting = open_assignments_of_evaluator(person).filter(completed_at__isnull=True).count()
    return waiting or None


register_queue(
    Queue(
        key="network.applications_to_assign",
        audience=COORDINATION,
        label=_("Applications waiting for evaluators"),
        url=lambda: _applications_url(ApplicationStatus.SUBMITTED),
        count=_applications(ApplicationStatus.SUBMITTED),
        order=40,
    )
)
register_queue(
    Queue(
        key="network.applications_to_decide",
        audience=COORDINATION,
        label=_("Applications to put to the associates' decision"),
        url=lambda: _applications_url(ApplicationStatus.AWAITING_DECISION),
        count=_applications(ApplicationStatus.AWAITING_DECISION),
        order=50,
    )
)
register_queue(
    Queue(
        key="network.reevaluations_due",
        audience=COORDINATION,
        label=_("Members due for re-evaluation"),
        url=lambda: reverse("network:coordination_reevaluations"),
        count=_reevaluations,
        order=60,
    )
)
register_queue(
    Queue(
        key="network.evaluations_to_give",
        audience=EVALUATIONS,
        label=_("Admissions to evaluate"),
        # My space lists the evaluations asked of the person, each with its link.
        url=lambda: f"{reverse('web:dashboard')}#evaluations-title",
        count=_evaluations,
        order=10,
    )
)
