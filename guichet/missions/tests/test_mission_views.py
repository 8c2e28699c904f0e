"""The mission's pages: who sees them, and each form's answer to good and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.missions.models import Mission, MissionStatus
from guichet.missions.services.missions import mission_from_choice, mission_move
from guichet.needs.models import Consortium, ShortlistEntry
from tests.html_forms import page_form, submit

pytestmark = pytest.mark.django_db
XWIKI = "Intranet documentaire XWiki"  # chosen: Atelier du Code Commun ("member_other")


@pytest.fixture
def mission(demo: Any) -> Mission:
    entry = ShortlistEntry.objects.get(lot__request__title=XWIKI, chosen_at__isnull=False)
    Mission.objects.filter(lots=entry.lot).delete()
    found = mission_from_choice(entry=entry, by=demo["coordinator"])
    member = found.members.get()
    member.day_rate = Decimal("612.35")
    member.save()
    return found


def url(mission: Mission) -> str:
    return reverse("missions:mission", args=[mission.pk])


def test_the_members_people_see_the_mission_and_its_rates(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    page = client_as(demo["member_other"]).get(url(mission))
    assert page.status_code == 200
    assert "612,35" in page.content.decode()
    listed = client_as(demo["member_other"]).get(reverse("missions:list"))
    assert mission.title in listed.content.decode()


def test_another_organisation_gets_404_and_never_sees_the_rates(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    page = client_as(demo["member"]).get(url(mission))
    assert page.status_code == 404
    listed = client_as(demo["member"]).get(reverse("missions:list"))
    assert mission.title not in listed.content.decode()


def test_signing_in_is_needed(client: Any, mission: Mission) -> None:
    assert client.get(url(mission)).status_code == 302


def test_a_coordinator_starts_the_consortiums_mission_from_the_list(
    client_as: Any, demo: Any
) -> None:
    consortium = Consortium.objects.filter(mission__isnull=True).first()
    assert consortium is not None
    http = client_as(demo["coordinator"])
    assert consortium.request.reference in http.get(reverse("missions:list")).content.decode()
    answer = http.post(
        reverse("missions:start"), {"consortium": consortium.pk, "includes_development": "on"}
    )
    started = Mission.objects.get(consortium=consortium)
    assert answer.status_code == 302
    assert answer["Location"] == url(started)
    assert started.includes_development


def test_a_member_cannot_start_a_mission(client_as: Any, demo: Any) -> None:
    consortium = Consortium.objects.filter(mission__isnull=True).first()
    assert consortium is not None
    answer = client_as(demo["member_other"]).post(
        reverse("missions:start"), {"consortium": consortium.pk}
    )
    assert answer.status_code == 404
    assert not Mission.objects.filter(consortium=consortium).exists()


def test_the_manager_records_days_and_sees_them(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    member = mission.members.get()
    month = timezone.localdate().strftime("%Y-%m")
    http = client_as(demo["member_other"])
    answer = http.post(
        url(mission), {"action": "days", "member": member.pk, "month": month, "days": "4.5"}
    )
    assert answer.status_code == 302
    assert member.delivered_days.get().days == Decimal("4.5")


def test_too_many_days_come_back_with_a_message_and_the_input_kept(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    member = mission.members.get()
    month = timezone.localdate().strftime("%Y-%m")
    answer = client_as(demo["member_other"]).post(
        url(mission), {"action": "days", "member": member.pk, "month": month, "days": "75"}
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "60 at most" in body or "60 au plus" in body
    assert 'value="75"' in body
    assert not member.delivered_days.exists()


def test_changing_the_title_keeps_the_dates_the_form_shows(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    """The French page shows dates a browser's date picker reads (ISO): sent back as the
    browser sends them, a title change leaves them as they were."""
    Mission.objects.filter(pk=mission.pk).update(
        starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 30)
    )
    coordinator = client_as(demo["coordinator"])
    page = coordinator.get(url(mission))
    form = page_form(page.content, having=".//input[@name='action'][@value='edit']")
    assert form.xpath(".//input[@name='starts_on']/@value") == ["2027-02-01"]

    sent = submit(coordinator, url(mission), form, changes={"title": "Intranet XWiki, phase 2"})

    assert sent.status_code == 302
    mission.refresh_from_db()
    assert mission.title == "Intranet XWiki, phase 2"
    assert (mission.starts_on, mission.ends_on) == (date(2027, 2, 1), date(2027, 6, 30))
    shown = coordinator.get(url(mission)).content.decode()
    assert "01/02/2027 → 30/06/2027" in shown


def test_a_refused_change_opens_the_details_form_with_its_errors(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    coordinator = client_as(demo["coordinator"])
    form = page_form(
        coordinator.get(url(mission)).content,
        having=".//input[@name='action'][@value='edit']",
    )

    sent = submit(coordinator, url(mission), form, changes={"title": ""})

    assert sent.status_code == 400
    assert '<details class="panel" id="edit" open>' in sent.content.decode()


def test_a_member_who_is_not_the_lead_cannot_move_the_mission(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    # A lone provider steers its own mission; its people who do not manage it do not.
    answer = client_as(demo["coordinator"]).post(
        url(mission), {"action": "move", "target": "running"}
    )
    assert answer.status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.RUNNING
    refused = client_as(demo["member"]).post(
        url(mission), {"action": "move", "target": "delivered"}
    )
    assert refused.status_code == 404


def test_a_move_the_workflow_forbids_is_refused_with_its_reason(
    client_as: Any, demo: Any, mission: Mission
) -> None:
    answer = client_as(demo["coordinator"]).post(
        url(mission), {"action": "move", "target": "closed"}
    )
    assert answer.status_code == 400
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED
