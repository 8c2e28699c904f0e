"""The queues that wait for a person: what each app asks of whom, and how much of it waits.

"My space" shows, for each part a person plays (coordinator, manager of a member
organisation, associate, evaluator of an admission), the queues that wait for them, each
with its count and a link to the page that lists it; the coordinators' home shows theirs.
Apps earlier in the dependency order than the pages that show them declare their queues
in their own `queues.py` (found at start-up by CoreConfig).

A queue's count is a function of the person that answers None when the queue is not that
person's (the coordinators' queues for a member), else how many items wait. Each count is
one query: a page runs each queue once, so its number of queries does not grow with the
data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# The parts a person plays, in the order "My space" shows them, with their headings.
COORDINATION = "coordination"
ORGANISATIONS = "organisations"
EVALUATIONS = "evaluations"
DECISIONS = "decisions"
AUDIENCES: dict[str, Any] = {
    COORDINATION: _("As a coordinator"),
    ORGANISATIONS: _("For my organisations"),
    EVALUATIONS: _("As an evaluator of admissions"),
    DECISIONS: _("As an associate"),
}


@dataclass(frozen=True)
class Queue:
    """One queue: a stable key, whom it waits for, its label, its page, its count."""

    key: str
    audience: str
    label: Any  # a lazy translation
    url: Callable[[], str]
    count: Callable[[Any], int | None]
    order: int = 100


@dataclass(frozen=True)
class Waiting:
    """A queue as shown to one person: how many items wait in it, and where they are."""

    key: str
    label: str
    url: str
    count: int


@dataclass(frozen=True)
class AudienceQueues:
    key: str
    label: str
    queues: list[Waiting]


_queues: dict[str, Queue] = {}


def register_queue(queue: Queue) -> Queue:
    """Add (or replace, by key) a queue (idempotent)."""
    if queue.audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {queue.audience!r} for queue {queue.key!r}.")
    _queues[queue.key] = queue
    return queue


def registered() -> list[Queue]:
    return sorted(_queues.values(), key=lambda q: (list(AUDIENCES).index(q.audience), q.order))


def waiting_for(person: Any, *, audience: str | None = None) -> list[Waiting]:
    """The person's queues (of one audience, or all), in order, each counted once."""
    if not getattr(person, "is_authenticated", False):
        return []
    found = []
    for queue in registered():
        if audience is not None and queue.audience != audience:
            continue
        count = queue.count(person)
        if count is not None:
            found.append(Waiting(queue.key, str(queue.label), queue.url(), count))
    return found


def waiting_by_audience(person: Any) -> list[AudienceQueues]:
    """The person's queues grouped by the part they play, parts without a queue left out."""
    queues = waiting_for(person)
    audience_of = {queue.key: queue.audience for queue in _queues.values()}
    return [
        AudienceQueues(key, str(label), grouped)
        for key, label in AUDIENCES.items()
        if (grouped := [q for q in queues if audience_of[q.key] == key])
    ]
