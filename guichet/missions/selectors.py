"""Reads of missions, each saying what it prefetches (no N+1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from guichet.missions.models import (
    DeliveredDays,
    Invoice,
    Mission,
    MissionMember,
    MissionStatus,
)
from guichet.needs.models import Consortium, ShortlistEntry
from guichet.network.models import Membership


def missions_listed(missions: QuerySet[Mission], status: str = "") -> QuerySet[Mission]:
    """Missions for a list: request and members' organisations prefetched."""
    if status:
        missions = missions.filter(status=status)
    return (
        missions.select_related("request")
        .prefetch_related(
            Prefetch("members", queryset=MissionMember.objects.select_related("organisation"))
        )
        .order_by("-created_at", "-pk")
    )


def mission_members(mission: Mission) -> list[MissionMember]:
    """The members with organisation, lots, delivered days and invoices, and each one's
    delivered total and remaining days set as attributes."""
    members = list(
        mission.members.select_related("organisation", "contractor__organisation")
        .prefetch_related(
            "lots",
            Prefetch("delivered_days", queryset=DeliveredDays.objects.order_by("month")),
            Prefetch("invoices", queryset=Invoice.objects.order_by("issued_on", "pk")),
        )
        .order_by("role", "organisation__name")
    )
    for member in members:
        delivered = sum((row.days for row in member.delivered_days.all()), Decimal(0))
        member.delivered = delivered  # type: ignore[attr-defined]
        member.remaining = member.person_days - delivered  # type: ignore[attr-defined]
        member.lot_list = sorted(member.lots.all(), key=lambda lot: lot.position)  # type: ignore[attr-defined]
    return members


def mission_totals(members: list[MissionMember]) -> dict[str, Decimal]:
    """Planned and delivered days, and the amount agreed, of the contractors (a
    subcontractor's share is inside its contractor's, so it is not added again)."""
    contractors = [member for member in members if member.contractor_id is None]
    return {
        "planned": sum((member.person_days for member in contractors), Decimal(0)),
        "delivered": sum((member.delivered for member in members), Decimal(0)),  # type: ignore[attr-defined]
        "amount": sum((member.total for member in contractors), Decimal(0)),
    }


def ready_to_start() -> dict[str, list[Any]]:
    """What coordinators may start as missions: consortia without a mission, and lots whose
    provider the client chose outside any consortium and which have no mission yet."""
    active = Mission.objects.exclude(status=MissionStatus.CANCELLED)
    consortia = list(
        Consortium.objects.filter(mission__isnull=True)
        .exclude(request__missions__in=active)
        .select_related("request")
        .order_by("-created_at")[:50]
    )
    entries = list(
        ShortlistEntry.objects.filter(
            chosen_at__isnull=False, lot__request__consortium__isnull=True
        )
        .exclude(lot__missions__in=active)
        .select_related("lot__request", "organisation")
        .order_by("-chosen_at")[:50]
    )
    return {"consortia": consortia, "entries": entries}


def ready_to_start_count() -> int:
    """How many consortia and chosen providers wait for their mission: what
    `ready_to_start` lists, counted in one query."""
    active = Mission.objects.exclude(status=MissionStatus.CANCELLED)
    consortia = (
        Consortium.objects.filter(mission__isnull=True)
        .exclude(request__missions__in=active)
        .values_list("pk", flat=True)
    )
    entries = (
        ShortlistEntry.objects.filter(
            chosen_at__isnull=False, lot__request__consortium__isnull=True
        )
        .exclude(lot__missions__in=active)
        .values_list("pk", flat=True)
    )
    return consortia.union(entries, all=True).count()


def evaluated_missions_count(person: Any) -> int | None:
    """How many missions of the person's member organisations have their client's
    evaluation and wait to be read and closed; None when the person belongs to no member
    organisation (one query)."""
    found = Membership.objects.filter(person_id=person.pk, organisation__is_member=True).aggregate(
        organisations=Count("pk", distinct=True),
        waiting=Count(
            "organisation__mission_memberships__mission",
            distinct=True,
            filter=Q(organisation__mission_memberships__mission__status=MissionStatus.EVALUATED),
        ),
    )
    return found["waiting"] if found["organisations"] else None
