"""A consortium as people read it: the lead, then the co-contractors, each followed by its
own subcontractors, and totals that count subcontractors once (inside their contractor's
share). One query for the members, one for their lots, whatever their number. And why the
engine proposed this team.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from guichet.needs.models import Consortium, ConsortiumMember, ConsortiumRole
from guichet.needs.services.consortia import consortium_subcontracted, consortium_total
from guichet.network.models import Organisation


@dataclass
class ContractorShare:
    """A contractor (lead or co-contractor), its subcontractors and what it passes on to
    them; `exceeded` when that is more than its own share, which people should fix."""

    member: ConsortiumMember
    subcontractors: list[ConsortiumMember] = field(default_factory=list)
    subcontracted: Decimal = Decimal("0.00")

    @property
    def exceeded(self) -> bool:
        return self.subcontracted > self.member.total


@dataclass
class ConsortiumLayout:
    members: list[ConsortiumMember]
    contractors: list[ContractorShare]
    # Subcontractors recorded without a contractor (before contractors were recorded).
    unattached: list[ConsortiumMember]
    total: Decimal
    total_days: Decimal

    @property
    def lead(self) -> ConsortiumMember | None:
        return next(
            (s.member for s in self.contractors if s.member.role == ConsortiumRole.LEAD), None
        )

    @property
    def has_subcontractors(self) -> bool:
        return bool(self.unattached) or any(share.subcontractors for share in self.contractors)


def consortium_members(consortium: Consortium) -> list[ConsortiumMember]:
    """Every member with its organisation and lots; the lots sorted on `lot_list`."""
    members = list(
        consortium.members.select_related("organisation")
        .prefetch_related("lots")
        .order_by("organisation__name", "pk")
    )
    for member in members:
        member.lot_list = sorted(member.lots.all(), key=lambda lot: lot.position)  # type: ignore[attr-defined]
    return members


def consortium_layout(consortium: Consortium) -> ConsortiumLayout:
    members = consortium_members(consortium)
    subcontracted = consortium_subcontracted(members)
    contractors = [
        ContractorShare(member=member, subcontracted=subcontracted.get(member.pk, Decimal("0.00")))
        for member in members
        if member.role != ConsortiumRole.SUBCONTRACTOR
    ]
    # The lead first, then the co-contractors by name (members are sorted by name).
    contractors.sort(key=lambda share: share.member.role != ConsortiumRole.LEAD)
    by_pk = {share.member.pk: share for share in contractors}
    unattached = []
    for member in members:
        if member.role != ConsortiumRole.SUBCONTRACTOR:
            continue
        share = by_pk.get(member.contractor_id or 0)
        if share is None:
            unattached.append(member)
        else:
            share.subcontractors.append(member)
    return ConsortiumLayout(
        members=members,
        contractors=contractors,
        unattached=unattached,
        total=consortium_total(consortium, members),
        total_days=sum((share.member.person_days for share in contractors), Decimal(0)),
    )


def _team(
    record: dict[str, Any], names: dict[int, str], positions: dict[int, int]
) -> dict[str, Any]:
    """A recorded team as the page shows it: its members' names, lots and total score (out
    of 100 per lot, as rankings show scores)."""
    by_member: dict[int, list[int]] = {}
    for lot, organisation in record.get("assignment", {}).items():
        by_member.setdefault(int(organisation), []).append(positions.get(int(lot), 0))
    return {
        "members": [
            {"name": names.get(pk, "?"), "lots": sorted(by_member.get(pk, []))}
            for pk in record.get("members", [])
        ],
        "size": len(record.get("members", [])),
        "total": round(float(record.get("total_score", 0)) * 100),
    }


def consortium_why(consortium: Consortium) -> dict[str, Any] | None:
    """Why the engine proposed this team (domain/consortium.py), from what it recorded: the
    team, the lead it suggested, the tender's cap, and the alternative it was preferred to
    (None in consortia recorded before alternatives were). None when nothing was recorded.
    Two queries."""
    proposal = consortium.proposal or {}
    if not proposal.get("members"):
        return None
    alternative = proposal.get("alternative")
    ids = set(proposal["members"]) | set((alternative or {}).get("members", []))
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    positions = dict(consortium.request.lots.values_list("pk", "position"))
    lots = int(proposal.get("lots") or len(proposal.get("assignment", {})))
    return {
        "team": _team(proposal, names, positions),
        "lead": names.get(int(proposal.get("lead") or 0), "?"),
        "cap": proposal.get("max_lots_per_bidder"),
        "maximum": lots * 100,
        "recorded": "alternative" in proposal,
        "alternative": _team(alternative, names, positions) if alternative else None,
        "reason": (alternative or {}).get("reason"),
    }
