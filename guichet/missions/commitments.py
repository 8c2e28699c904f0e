"""Committed days, as the matching engine reads them: what members of planned and running
missions still have to deliver.

Matching reads them through needs/commitments.py (a source registered here) and counts them
over a lot's period by needs/domain/commitments.py; its network index holds them, so the
index triggers watch the missions (status and dates), their lots, members and delivered days:
any change that moves a commitment rebuilds the index.

`connect()` does both; MissionsConfig.ready() calls it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from guichet.missions.domain import workflow
from guichet.missions.models import DeliveredDays, Mission, MissionMember
from guichet.needs.commitments import Source, register_source
from guichet.needs.domain.commitments import Commitment, commitment_period, remaining_days
from guichet.needs.index_triggers import watch

# Missions whose agreed days are still to be delivered.
OPEN = (workflow.PLANNED, workflow.RUNNING)
MISSIONS_TABLE = "missions_mission"
MISSION_LOTS_TABLE = "missions_mission_lots"
DELIVERED_TABLE = "missions_delivereddays"
MISSION_CONDITIONS = {
    "UPDATE": "NEW.status IS DISTINCT FROM OLD.status "
    "OR NEW.starts_on IS DISTINCT FROM OLD.starts_on "
    "OR NEW.ends_on IS DISTINCT FROM OLD.ends_on",
}


def missions_commitments(
    organisations: list[int] | None, today: date, length: int
) -> list[Commitment]:
    """One commitment per member of a planned or running mission: its agreed days less
    those it delivered, over what remains of the mission's dates. One query."""
    delivered = Subquery(
        DeliveredDays.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(total=Sum("days"))
        .values("total"),
        output_field=DecimalField(),
    )
    members = MissionMember.objects.filter(mission__status__in=OPEN).order_by()
    if organisations is not None:
        members = members.filter(organisation__in=organisations)
    rows = members.annotate(
        delivered_total=Coalesce(delivered, Value(Decimal(0)), output_field=DecimalField())
    ).values_list(
        "organisation_id",
        "person_days",
        "delivered_total",
        "mission__starts_on",
        "mission__ends_on",
        "mission__created_at",
    )
    found = []
    for organisation, agreed, done, starts, ends, created_at in rows:
        days = remaining_days(float(agreed), float(done))
        if days <= 0:
            continue
        first, last = commitment_period(
            starts=starts,
            ends=ends,
            recorded=timezone.localdate(created_at),
            today=today,
            length=length,
        )
        found.append(Commitment(organisation, days, first, last))
    return found


def followed_lots(lots: list[int]) -> set[int]:
    """The lots, among these, that a mission follows (whatever its status): their days count
    in the mission, or are done."""
    if not lots:
        return set()
    return set(
        Mission.lots.through.objects.filter(lot_id__in=lots).values_list("lot_id", flat=True)
    )


SOURCE = Source(commitments=missions_commitments, followed=followed_lots)


def connect() -> None:
    """Plug committed days into matching and its index (idempotent; from
    MissionsConfig.ready(), before migrations install the triggers)."""
    register_source(SOURCE)
    watch(MISSIONS_TABLE, MISSION_CONDITIONS)
    watch(MISSION_LOTS_TABLE)
    watch(DELIVERED_TABLE)
