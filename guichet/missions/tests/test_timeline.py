"""The timeline's sentences, in the language of the page."""

from __future__ import annotations

from django.utils import translation

from guichet.missions.models import MissionEvent
from guichet.missions.timeline import event_sentence


def test_delivered_days_are_written_the_french_way_in_french() -> None:
    event = MissionEvent(
        kind="days", data={"organisation": "Libre et Local", "month": "2026-11-01", "days": "6.5"}
    )
    with translation.override("fr"):
        assert "6,5" in event_sentence(event)
        assert "2026-11" in event_sentence(event)
    with translation.override("en"):
        assert "6.5" in event_sentence(event)


def test_an_unknown_or_broken_event_still_reads_as_a_sentence() -> None:
    with translation.override("en"):
        assert event_sentence(MissionEvent(kind="no-such-kind")) == "The mission changed."
        assert event_sentence(MissionEvent(kind="invoice", data={})) == "The mission changed."
