"""The sentences of a mission's timeline, one per kind of event (MissionEvent.kind)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from guichet.missions.models import MissionEvent, MissionStatus


def _number(value: Any) -> str:
    """A decimal kept as text in the event, written the way the active language does."""
    try:
        return str(formats.number_format(Decimal(str(value))))
    except (ArithmeticError, ValueError):
        return str(value)


def _status(value: Any) -> str:
    return str(dict(MissionStatus.choices).get(value, value))


SENTENCES: dict[str, Any] = {
    "created": lambda d: _("The mission was started."),
    "updated": lambda d: _("The mission's details were changed."),
    "status": lambda d: (
        _("Status: %(previous)s → %(status)s.")
        % {"previous": _status(d.get("previous")), "status": _status(d.get("status"))}
    ),
    "milestone_added": lambda d: _("Milestone added: %(title)s.") % d,
    "milestone_done": lambda d: _("Milestone done: %(title)s.") % d,
    "milestone_reopened": lambda d: _("Milestone reopened: %(title)s.") % d,
    "days": lambda d: (
        _("%(organisation)s delivered %(days)s days in %(month)s.")
        % {**d, "days": _number(d.get("days")), "month": str(d.get("month", ""))[:7]}
    ),
    "invoice": lambda d: _("%(organisation)s recorded invoice %(number)s.") % d,
    "document_added": lambda d: _("Document attached: %(name)s.") % d,
    "evaluation_asked": lambda d: _("The client was asked for an evaluation."),
    "evaluation_received": lambda d: _("The client evaluated the mission."),
    "evaluation_updated": lambda d: _("The client changed its evaluation."),
    "evaluation_reminded": lambda d: _("The client was reminded of its evaluation."),
    "evaluation_reminders_stopped": lambda d: _("The client stopped the reminders."),
    "evaluation_reply": lambda d: _("%(organisation)s replied to the client's evaluation.") % d,
    "contribution_added": lambda d: _("An upstream contribution was logged."),
    "contribution_updated": lambda d: _("An upstream contribution changed status."),
    "justification_submitted": lambda d: _(
        "A justification for giving nothing back upstream was written."
    ),
    "justification_approved": lambda d: _("A coordinator approved the justification."),
}


def event_sentence(event: MissionEvent) -> str:
    """What the event says, in the active language (a generic line for an unknown kind)."""
    sentence = SENTENCES.get(event.kind)
    if sentence is None:
        return _("The mission changed.")
    try:
        return str(sentence(event.data or {}))
    except (KeyError, TypeError, ValueError):
        return _("The mission changed.")
