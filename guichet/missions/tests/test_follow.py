"""The client follows its missions on its request's private page, without their rates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.missions.models import Mission, MissionStatus
from guichet.missions.services.missions import milestone_add, mission_from_choice, mission_move
from guichet.needs.models import ShortlistEntry
from guichet.needs.services.links import follow_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission(demo: Any) -> Mission:
    entry = ShortlistEntry.objects.filter(
        chosen_at__isnull=False, lot__request__consortium__isnull=True
    ).first()
    assert entry is not None
    found = mission_from_choice(entry=entry, by=demo["coordinator"])
    member = found.members.get()
    member.day_rate = Decimal("987.65")
    member.save()
    return found


def follow(client: Client, mission: Mission) -> str:
    path = reverse("needs:request_follow", args=[follow_token(mission.request)])
    with translation.override("en"):
        return client.get("/en" + path).content.decode()


def test_the_client_sees_its_missions_status_members_and_milestones(
    client: Client, demo: Any, mission: Mission
) -> None:
    milestone_add(mission=mission, title="Acceptance tests", due_on=mission.ends_on or
                  mission.created_at.date(), by=demo["coordinator"])  # fmt: skip
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    html = follow(client, mission)
    assert mission.reference in html
    assert "Running" in html
    assert mission.members.get().organisation.name in html
    assert "Acceptance tests" in html
    # The members' rates are theirs and the network's, not on the client's page.
    assert "987" not in html


def test_a_request_without_mission_shows_no_mission_section(client: Client, demo: Any) -> None:
    entry = ShortlistEntry.objects.filter(chosen_at__isnull=False).first()
    assert entry is not None
    path = reverse("needs:request_follow", args=[follow_token(entry.lot.request)])
    with translation.override("en"):
        assert 'id="missions"' not in client.get("/en" + path).content.decode()
