"""Missions as services: started from the client's choice, moved through their workflow,
with days, invoices and milestones."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from guichet.core.models import AuditEntry
from guichet.missions.models import MissionEvent, MissionRole, MissionStatus
from guichet.missions.services import delivery
from guichet.missions.services.common import MissionError
from guichet.missions.services.missions import (
    milestone_add,
    milestones_notify_due,
    mission_from_choice,
    mission_from_consortium,
    mission_move,
)
from guichet.needs.models import Consortium, ShortlistEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium() -> Consortium:
    found = Consortium.objects.filter(mission__isnull=True).first()
    assert found is not None, "the demo has a consortium ready to start"
    return found


@pytest.fixture
def chosen() -> ShortlistEntry:
    found = ShortlistEntry.objects.filter(
        chosen_at__isnull=False, lot__missions__isnull=True, lot__request__consortium__isnull=True
    ).first()
    assert found is not None, "the demo has a chosen provider without mission"
    return found


def refused(code: str) -> Any:
    return pytest.raises(MissionError, match=f"^{code}$")


def test_a_consortiums_mission_copies_its_members_lots_days_and_rates(
    demo: Any, consortium: Consortium
) -> None:
    mission = mission_from_consortium(consortium=consortium, by=demo["coordinator"])
    agreed = {
        m.organisation_id: (m.role, m.person_days, m.day_rate, {lot.pk for lot in m.lots.all()})
        for m in consortium.members.all()
    }
    copied = {
        m.organisation_id: (m.role, m.person_days, m.day_rate, {lot.pk for lot in m.lots.all()})
        for m in mission.members.all()
    }
    assert copied == agreed
    assert set(mission.lots.values_list("pk", flat=True)) == set(
        consortium.request.lots.values_list("pk", flat=True)
    )
    subcontractor = mission.members.filter(role=MissionRole.SUBCONTRACTOR).first()
    if subcontractor is not None:
        assert subcontractor.contractor is not None
        assert subcontractor.contractor.mission_id == mission.pk
    assert mission.status == MissionStatus.PLANNED
    assert MissionEvent.objects.filter(mission=mission, kind="created").exists()
    assert AuditEntry.objects.filter(action="mission.create", object_id=str(mission.pk)).exists()


def test_a_mission_starts_and_its_members_people_are_emailed(
    demo: Any, chosen: ShortlistEntry, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mission = mission_from_choice(entry=chosen, by=demo["coordinator"])
    member = mission.members.get()
    assert member.organisation_id == chosen.organisation_id
    assert member.role == MissionRole.PROVIDER
    assert member.person_days == chosen.lot.person_days
    people = set(chosen.organisation.memberships.values_list("person__email", flat=True))
    assert people
    assert {m.to[0] for m in mail.outbox} == people


def test_a_lot_has_one_mission_unless_it_was_cancelled(demo: Any, chosen: ShortlistEntry) -> None:
    first = mission_from_choice(entry=chosen, by=demo["coordinator"])
    with refused("lot_has_mission"):
        mission_from_choice(entry=chosen, by=demo["coordinator"])
    mission_move(mission=first, target=MissionStatus.CANCELLED, by=demo["coordinator"])
    again = mission_from_choice(entry=chosen, by=demo["coordinator"])
    assert again.pk != first.pk


def test_the_workflow_runs_from_planned_to_closed_and_audits_every_step(
    demo: Any, chosen: ShortlistEntry
) -> None:
    mission = mission_from_choice(entry=chosen, by=demo["coordinator"])
    with refused("move_not_allowed"):
        mission_move(mission=mission, target=MissionStatus.CLOSED, by=demo["coordinator"])
    for status in (MissionStatus.RUNNING, MissionStatus.DELIVERED, MissionStatus.CLOSED):
        mission = mission_move(mission=mission, target=status, by=demo["coordinator"])
        assert mission.status == status
    assert mission.delivered_at is not None
    assert mission.closed_at is not None
    with refused("mission_ended"):
        mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    steps = AuditEntry.objects.filter(action="mission.status", object_id=str(mission.pk))
    assert [entry.data["to"] for entry in steps.order_by("sequence")] == [
        "running",
        "delivered",
        "closed",
    ]


def test_delivering_asks_the_client_for_an_evaluation_by_email(
    demo: Any, chosen: ShortlistEntry, django_capture_on_commit_callbacks: Any
) -> None:
    mission = mission_from_choice(entry=chosen, by=demo["coordinator"])
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mission_move(mission=mission, target=MissionStatus.DELIVERED, by=demo["coordinator"])
    evaluation = mission.evaluations.get()
    assert evaluation.contact_email == chosen.lot.request.contact_email.lower()
    sent = [m for m in mail.outbox if m.to == [chosen.lot.request.contact_email]]
    assert len(sent) == 1
    assert "/mission/evaluation/" in sent[0].body


def test_closing_a_development_mission_without_contribution_is_refused(
    demo: Any, chosen: ShortlistEntry
) -> None:
    mission = mission_from_choice(entry=chosen, by=demo["coordinator"], includes_development=True)
    for status in (MissionStatus.RUNNING, MissionStatus.DELIVERED):
        mission_move(mission=mission, target=status, by=demo["coordinator"])
    with refused("close_needs_contribution"):
        mission_move(mission=mission, target=MissionStatus.CLOSED, by=demo["coordinator"])
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DELIVERED


@pytest.fixture
def running(demo: Any, chosen: ShortlistEntry) -> Any:
    mission = mission_from_choice(entry=chosen, by=demo["coordinator"])
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=demo["coordinator"])
    return mission


def test_days_are_recorded_per_month_and_corrected_not_added(demo: Any, running: Any) -> None:
    member = running.members.get()
    month = timezone.localdate().replace(day=1)
    delivery.days_record(member=member, month=month, days=Decimal("4.5"), by=demo["coordinator"])
    delivery.days_record(member=member, month=month, days=Decimal("5"), by=demo["coordinator"])
    assert list(member.delivered_days.values_list("days", flat=True)) == [Decimal("5.0")]


@pytest.mark.parametrize(
    ("days", "month_offset", "code"),
    [
        (Decimal("-1"), 0, "days_negative"),
        (Decimal("61"), 0, "days_over_maximum"),
        (Decimal("2"), 40, "month_in_future"),
    ],
)
def test_bad_days_are_refused_and_nothing_is_recorded(
    demo: Any, running: Any, days: Decimal, month_offset: int, code: str
) -> None:
    member = running.members.get()
    month = timezone.localdate() + timedelta(days=month_offset)
    with refused(code):
        delivery.days_record(member=member, month=month, days=days, by=demo["coordinator"])
    assert not member.delivered_days.exists()


def test_days_are_not_recorded_before_the_mission_runs(demo: Any, chosen: ShortlistEntry) -> None:
    mission = mission_from_choice(entry=chosen, by=demo["coordinator"])
    with refused("days_not_open"):
        delivery.days_record(
            member=mission.members.get(), month=date.today(), days=Decimal(1), by=None
        )


def test_invoices_are_exact_to_the_cent_and_numbered_once_per_member(
    demo: Any, running: Any
) -> None:
    member = running.members.get()
    invoice = delivery.invoice_add(
        member=member,
        number="F-1",
        issued_on=date.today(),
        amount_excl_tax=Decimal("1234.565"),
        vat_rate=Decimal("20"),
        by=demo["coordinator"],
    )
    assert invoice.amount_excl_tax == Decimal("1234.56")  # quantized, banker's rounding
    assert invoice.vat + invoice.amount_excl_tax == invoice.amount_incl_tax
    with refused("invoice_number_taken"):
        delivery.invoice_add(
            member=member,
            number="F-1",
            issued_on=date.today(),
            amount_excl_tax=Decimal("10"),
            vat_rate=Decimal("20"),
            by=demo["coordinator"],
        )
    assert member.invoices.count() == 1


def test_a_milestone_due_is_emailed_once_even_when_the_job_runs_twice(
    demo: Any, running: Any, django_capture_on_commit_callbacks: Any
) -> None:
    milestone_add(
        mission=running, title="Recette", due_on=date.today() - timedelta(days=1), by=None
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert milestones_notify_due() == 1
    sent = len(mail.outbox)
    assert sent >= 1
    assert "Recette" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert milestones_notify_due() == 0
    assert len(mail.outbox) == sent
