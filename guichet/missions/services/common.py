"""What every missions service shares: its refusal, and the timeline."""

from __future__ import annotations

from typing import Any

from guichet.core.errors import CodedError
from guichet.missions.models import Mission, MissionEvent


class MissionError(CodedError):
    """A mission step that cannot be done; `code` keys a translated message."""


def event_add(*, mission: Mission, kind: str, by: Any = None, **data: Any) -> MissionEvent:
    """One line of the mission's timeline (`kind` keys a sentence, `data` fills it in)."""
    return MissionEvent.objects.create(
        mission=mission, kind=kind, data=data, by=by if getattr(by, "pk", None) else None
    )
