"""Committed days: a member whose missions already take its capacity over a lot's period
drops in capacity when the lot is ranked, and the ranking says so; the network index follows
every change of missions, their members and their delivered days."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.missions.commitments import connect, missions_commitments
from guichet.missions.models import DeliveredDays, Mission, MissionMember, MissionStatus
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.domain.matching import rank, ranking_to_dict
from guichet.needs.index_triggers import install
from guichet.needs.models import Lot, MatchingIndexState, ShortlistEntry
from guichet.needs.selectors_matching import lot_need, matching_candidates, rules_current
from guichet.needs.services.matching import EXPLAINED, lot_rank, run_replays, run_result
from guichet.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connected(db: None) -> None:
    """What MissionsConfig.ready() does (idempotent), and the triggers migrations install."""
    connect()
    install()


def _lot() -> Lot:
    """The demo's remote lot (Nextcloud), from 60 to 225 days from now."""
    return Lot.objects.select_related("request", "commune", "request__commune").get(
        request__title=QUALIFIED_TITLE, position=2
    )


def _entry(run: Any, organisation: Organisation) -> dict[str, Any]:
    return next(e for e in run_result(run)["ranked"] if e["organisation"] == organisation.pk)


def _capacity(run: Any, organisation: Organisation) -> dict[str, Any]:
    return next(c for c in _entry(run, organisation)["components"] if c["name"] == "capacity")


def _book(organisation: Organisation, lot: Lot, days: str) -> MissionMember:
    """A running mission of another request over the whole lot's period."""
    other = ShortlistEntry.objects.exclude(lot__request=lot.request).first()
    assert other is not None
    mission = Mission.objects.create(
        request=other.lot.request,
        title="Migration en cours",
        status=MissionStatus.RUNNING,
        starts_on=timezone.localdate(),
        ends_on=lot.deadline,
    )
    return MissionMember.objects.create(
        mission=mission, organisation=organisation, role="provider", person_days=Decimal(days)
    )


@pytest.fixture
def member(demo: Any) -> Organisation:
    """The best ranked member for the lot, with free capacity before any mission."""
    run = lot_rank(lot=_lot(), by=demo["coordinator"])
    organisation = Organisation.objects.get(pk=run_result(run)["ranked"][0]["organisation"])
    assert organisation.capacity_days > 0
    capacity = _capacity(run, organisation)
    assert "committed" not in capacity["reason"]["params"]
    return organisation


def test_a_member_fully_booked_by_its_missions_drops_in_capacity_and_says_so(
    demo: Any, member: Organisation
) -> None:
    lot = _lot()
    before = lot_rank(lot=lot, by=demo["coordinator"])
    # Far more days than its capacity over the mission's months: nothing left for the lot.
    _book(member, lot, "2000")
    after = lot_rank(lot=lot, by=demo["coordinator"])
    assert after.snapshot_id != before.snapshot_id, "a new mission rebuilds the index"
    capacity = _capacity(after, member)
    assert capacity["value"] == 0.0
    params = capacity["reason"]["params"]
    assert params["available"] == 0.0
    assert params["capacity"] == float(member.capacity_days)
    assert params["committed"] > member.capacity_days
    assert _entry(after, member)["total"] < _entry(before, member)["total"]
    # The readable engine, over candidates read by plain queries, counts the same.
    rules = rules_current()[1]
    need = lot_need(lot)
    reference = rank(need, matching_candidates(lot, need, rules), rules, explain=EXPLAINED)
    assert run_result(after) == ranking_to_dict(reference)
    assert run_replays(after)
    assert run_replays(before)


def test_the_coordinator_reads_the_committed_days_in_french(
    client: Client, demo: Any, member: Organisation
) -> None:
    lot = _lot()
    # Half the member's capacity a month over the lot's period.
    months = (lot.deadline - timezone.localdate()).days / Decimal("30.4")
    _book(member, lot, str((member.capacity_days * months / 2).quantize(Decimal("0.1"))))
    lot_rank(lot=lot, by=demo["coordinator"])
    client.force_login(demo["coordinator"])
    with translation.override("fr"):
        page = unescape(
            client.get(reverse("needs:coordination_lot_ranking", args=[lot.pk])).content.decode()
        )
    half = member.capacity_days / 2
    expected = f"sur {member.capacity_days}, {half:g} engagés en mission"
    assert expected.replace(".", ",") in " ".join(page.split())


def test_delivered_days_and_ended_missions_free_the_capacity_again(
    demo: Any, member: Organisation
) -> None:
    lot = _lot()
    booked = _book(member, lot, "2000")
    full = _capacity(lot_rank(lot=lot, by=demo["coordinator"]), member)
    DeliveredDays.objects.create(
        member=booked, month=timezone.localdate().replace(day=1), days=Decimal("300")
    )
    less = _capacity(lot_rank(lot=lot, by=demo["coordinator"]), member)
    assert less["reason"]["params"]["committed"] < full["reason"]["params"]["committed"]
    Mission.objects.filter(pk=booked.mission_id).update(status=MissionStatus.CANCELLED)
    free = _capacity(lot_rank(lot=lot, by=demo["coordinator"]), member)
    assert "committed" not in free["reason"]["params"]


def test_a_lot_chosen_and_not_started_commits_its_provider_until_a_mission_follows_it(
    demo: Any, member: Organisation
) -> None:
    lot = _lot()
    other = Lot.objects.exclude(request=lot.request).first()
    assert other is not None
    other.start_date, other.deadline = lot.start_date, lot.deadline
    other.person_days = Decimal("300")
    other.save()
    ShortlistEntry.objects.filter(lot=other).update(chosen_at=None)
    ShortlistEntry.objects.update_or_create(
        lot=other, organisation=member, defaults={"chosen_at": timezone.now()}
    )
    chosen = _capacity(lot_rank(lot=lot, by=demo["coordinator"]), member)
    assert chosen["reason"]["params"]["committed"] > 0
    # Once a mission follows the lot, its own days count instead (here: none yet).
    mission = Mission.objects.create(request=other.request, title="Suite", starts_on=None)
    mission.lots.add(other)
    followed = _capacity(lot_rank(lot=lot, by=demo["coordinator"]), member)
    assert "committed" not in followed["reason"]["params"]


def test_missions_outside_planned_and_running_commit_nobody(demo: Any) -> None:
    organisation = Organisation.objects.filter(is_member=True).first()
    assert organisation is not None
    lot = _lot()
    for status in MissionStatus.values:
        Mission.objects.all().delete()
        booked = _book(organisation, lot, "10")
        Mission.objects.filter(pk=booked.mission_id).update(status=status)
        found = missions_commitments([organisation.pk], timezone.localdate(), 91)
        open_ = status in (MissionStatus.PLANNED, MissionStatus.RUNNING)
        assert bool(found) == open_, status


def test_the_index_token_changes_with_missions_and_delivered_days(
    demo: Any, member: Organisation
) -> None:
    def token() -> str:
        return MatchingIndexState.objects.get().token

    lot = _lot()
    first = token()
    booked = _book(member, lot, "10")
    second = token()
    assert second != first
    Mission.objects.filter(pk=booked.mission_id).update(ends_on=lot.deadline + timedelta(days=9))
    third = token()
    assert third != second
    Mission.objects.filter(pk=booked.mission_id).update(title="Autre titre")
    assert token() == third, "a title says nothing about commitments"
    DeliveredDays.objects.create(
        member=booked, month=timezone.localdate().replace(day=1), days=Decimal("1")
    )
    assert token() != third
    fourth = token()
    Lot.objects.filter(pk=lot.pk).update(deadline=lot.deadline + timedelta(days=1))
    assert token() != fourth
