"""The missions' part of the demo: past awards of the needs demo become missions at every
stage (idempotent: a lot that already has a mission is left alone).

- "Intranet documentaire XWiki" (Atelier du Code Commun, the "member_other" login) runs:
  days delivered, a milestone, an invoice, an embargoed contribution.
- "Support de l'outil de tickets…" is delivered: its client's evaluation link waits.
- "Inventaire du parc des collèges" (Libre et Local) and one Moodle mission are closed,
  evaluated by their clients, with merged contributions; another Moodle mission is evaluated
  and still open (its client may change its answers).
The demo's consortium and the other awards stay ready to start, for coordinators.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from guichet.accounts.models import User
from guichet.core.demo_data import DemoLogin
from guichet.missions.models import Evaluation, Mission, MissionStatus
from guichet.missions.services import delivery
from guichet.missions.services.contributions import contribution_add
from guichet.missions.services.evaluations import evaluation_submit
from guichet.missions.services.missions import (
    milestone_add,
    mission_from_choice,
    mission_move,
    mission_update,
)
from guichet.needs.models import ShortlistEntry
from guichet.network.models import Software

RUNNING_TITLE = "Intranet documentaire XWiki"
DELIVERED_TITLE = "Support de l'outil de tickets des services techniques"
EVALUATED_TITLE = "Évolutions Moodle pour la rentrée"
# A second contact of the delivered mission's client, whose link has expired.
EXPIRED_CONTACT = "lien-expire@demo.guichet.test"
CLOSED_TITLES = (
    "Inventaire du parc des collèges",
    "Maintenance de la plateforme de formation Moodle",
)


def _entry(title: str) -> ShortlistEntry | None:
    return (
        ShortlistEntry.objects.filter(lot__request__title=title, chosen_at__isnull=False)
        .select_related("lot__request", "organisation")
        .first()
    )


def _start(title: str, coordinator: User, development: bool) -> Mission | None:
    entry = _entry(title)
    if entry is None or Mission.objects.filter(lots=entry.lot).exists():
        return None
    mission = mission_from_choice(entry=entry, by=coordinator, includes_development=development)
    today = timezone.localdate()
    mission_update(
        mission=mission,
        by=coordinator,
        title=mission.title,
        includes_development=development,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=30),
    )
    mission_move(mission=mission, target=MissionStatus.RUNNING, by=coordinator)
    member = mission.members.get()
    member.day_rate = Decimal("620.00")
    member.save(update_fields=["day_rate"])
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    delivery.days_record(member=member, month=last_month, days=Decimal("6.5"), by=coordinator)
    delivery.days_record(member=member, month=today, days=Decimal("3"), by=coordinator)
    return mission


def _contribution(
    mission: Mission,
    coordinator: User,
    number: int,
    *,
    status: str = "proposed",
    embargo_until: date | None = None,
) -> None:
    software = Software.objects.filter(lots__in=mission.lots.all()).first()
    if software is None:
        return
    contribution_add(
        mission=mission,
        organisation=mission.members.get().organisation,
        software=software,
        kind="patch",
        title=f"Correctif d'accessibilité n° {number} pour {software.name}",
        url=f"https://forge.demo.guichet.test/{software.pk}/merge_requests/{mission.pk}{number}",
        status=status,
        embargo_until=embargo_until,
        by=coordinator,
    )


def load() -> list[DemoLogin]:
    coordinator = User.objects.filter(email="coordination@demo.guichet.test").first()
    if coordinator is None:
        return []
    running = _start(RUNNING_TITLE, coordinator, development=True)
    if running is not None:
        milestone_add(
            mission=running,
            title="Recette de l'intranet",
            due_on=timezone.localdate() + timedelta(days=14),
            by=coordinator,
        )
        delivery.invoice_add(
            member=running.members.get(),
            number="ACC-2026-118",
            issued_on=timezone.localdate() - timedelta(days=10),
            amount_excl_tax=Decimal("4030.00"),
            vat_rate=Decimal("20.00"),
            by=coordinator,
        )
        _contribution(
            running,
            coordinator,
            1,
            embargo_until=date.today() + timedelta(days=90),
        )
    delivered = _start(DELIVERED_TITLE, coordinator, development=False)
    if delivered is not None:
        mission_move(mission=delivered, target=MissionStatus.DELIVERED, by=coordinator)
        now = timezone.now()
        Evaluation.objects.create(
            mission=delivered,
            contact_name="Lien expiré",
            contact_email=EXPIRED_CONTACT,
            nonce=secrets.token_hex(16),
            asked_at=now - timedelta(days=90),
            expires_at=now - timedelta(days=30),
            reminders_sent=2,
        )
    evaluated = _start(EVALUATED_TITLE, coordinator, development=False)
    if evaluated is not None:
        mission_move(mission=evaluated, target=MissionStatus.DELIVERED, by=coordinator)
        evaluation_submit(
            evaluation=evaluated.evaluations.get(),
            ratings={"quality": 4, "deadlines": 3, "communication": 4, "openness": 4},
            would_recommend=True,
            comment="Bonne mission, un peu de retard sur la mise en production.",
        )
    for number, title in enumerate(CLOSED_TITLES, start=1):
        closed = _start(title, coordinator, development=True)
        if closed is None:
            continue
        _contribution(closed, coordinator, number, status="merged")
        mission_move(mission=closed, target=MissionStatus.DELIVERED, by=coordinator)
        evaluation = closed.evaluations.get()
        evaluation_submit(
            evaluation=evaluation,
            ratings={"quality": 5, "deadlines": 4, "communication": 5, "openness": 4 + number % 2},
            would_recommend=True,
            comment="Travail soigné, documentation remise en fin de mission.",
        )
        mission_move(mission=closed, target=MissionStatus.CLOSED, by=coordinator)
    return []
