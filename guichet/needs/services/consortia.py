"""Consortia (groupements): propose one from the shortlists, adjust it, freeze it.

The engine (domain/consortium.py) proposes the fewest members covering every lot with the
best total score, within a tender's cap on lots per bidder; the coordinator and the members
then set days, day rates, the kind, and may change the lead. A tender's consortium is
frozen once its bid deadline has passed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.needs.domain.consortium import LotOption, NoConsortiumError, propose
from guichet.needs.models import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    ConsortiumRole,
    MemberResponse,
    Request,
    RequestStatus,
    ShortlistEntry,
)
from guichet.network.models import Organisation

MAX_DAYS = Decimal("10000")
MAX_DAY_RATE = Decimal("10000")


class ConsortiumError(CodedError):
    """A consortium step that cannot be done; `code` keys a translated message, `lot` names
    the lot nobody may take, when that is why."""

    def __init__(self, code: str, lot: int | None = None) -> None:
        super().__init__(code)
        self.lot = lot


def consortium_is_frozen(consortium: Consortium) -> bool:
    """Frozen when marked so, or when the tender's bid deadline has passed."""
    if consortium.frozen_at is not None:
        return True
    request = consortium.request
    return bool(
        request.is_tender and request.tender_deadline and request.tender_deadline <= timezone.now()
    )


def lot_options(request: Request) -> list[LotOption]:
    """Per lot, who may take it and with which score: the client's choice when made,
    otherwise every member sent on the shortlist that did not decline."""
    entries = ShortlistEntry.objects.filter(lot__request=request, sent_at__isnull=False).exclude(
        member_response=MemberResponse.DECLINED
    )
    by_lot: dict[int, list[ShortlistEntry]] = {}
    for entry in entries.order_by("lot_id", "rank"):
        by_lot.setdefault(entry.lot_id, []).append(entry)
    options = []
    for lot in request.lots.order_by("position"):
        candidates = by_lot.get(lot.pk, [])
        chosen = [entry for entry in candidates if entry.chosen_at is not None]
        pool = chosen or candidates
        options.append(
            LotOption(
                lot=lot.pk,
                person_days=float(lot.person_days),
                candidates={entry.organisation_id: entry.score for entry in pool},
            )
        )
    return options


def consortium_propose(*, request: Request, by: Any) -> Consortium:
    """Form the consortium the engine proposes, with the suggested lead."""
    if request.status not in (RequestStatus.SHORTLISTED, RequestStatus.CHOSEN):
        raise ConsortiumError("request_not_ready_for_consortium")
    if Consortium.objects.filter(request=request).exists():
        raise ConsortiumError("consortium_exists")
    try:
        proposal = propose(lot_options(request), request.max_lots_per_bidder)
    except NoConsortiumError as error:
        raise ConsortiumError("no_consortium", lot=error.lot) from error
    days = {lot.pk: lot.person_days for lot in request.lots.all()}
    with transaction.atomic():
        consortium = Consortium.objects.create(
            request=request,
            kind=ConsortiumKind.JOINT,
            created_by=by,
            proposal={
                "assignment": {str(lot): org for lot, org in proposal.assignment.items()},
                "members": list(proposal.members),
                "lead": proposal.lead,
                "total_score": proposal.total_score,
            },
        )
        for organisation_id in proposal.members:
            lots = [lot for lot, org in proposal.assignment.items() if org == organisation_id]
            member = ConsortiumMember.objects.create(
                consortium=consortium,
                organisation_id=organisation_id,
                role=ConsortiumRole.LEAD
                if organisation_id == proposal.lead
                else ConsortiumRole.CO_CONTRACTOR,
                person_days=sum((days[lot] for lot in lots), Decimal(0)),
            )
            member.lots.set(lots)
        request.status = RequestStatus.CONSORTIUM
        request.save(update_fields=["status"])
        audit_record(
            action="consortium.propose",
            actor=by,
            target=request,
            data={"members": list(proposal.members), "lead": proposal.lead},
        )
    return consortium


def _editable(consortium: Consortium) -> None:
    if consortium_is_frozen(consortium):
        raise ConsortiumError("consortium_frozen")


def consortium_member_update(
    *, member: ConsortiumMember, person_days: Decimal, day_rate: Decimal, by: Any
) -> ConsortiumMember:
    """Set a member's days and day rate (excluding tax), exact decimals."""
    _editable(member.consortium)
    if not Decimal(0) <= person_days <= MAX_DAYS or person_days % Decimal("0.5"):
        raise ConsortiumError("invalid_person_days")
    if not Decimal(0) <= day_rate <= MAX_DAY_RATE:
        raise ConsortiumError("invalid_day_rate")
    with transaction.atomic():
        member.person_days = person_days
        member.day_rate = day_rate.quantize(Decimal("0.01"))
        member.save(update_fields=["person_days", "day_rate"])
        audit_record(
            action="consortium.member_update",
            actor=by,
            target=member.consortium,
            data={
                "organisation": member.organisation_id,
                "person_days": str(person_days),
                "day_rate": str(member.day_rate),
            },
        )
    return member


def consortium_lead_set(*, consortium: Consortium, organisation: Organisation, by: Any) -> None:
    """Make a co-contractor the lead; the former lead becomes a co-contractor."""
    _editable(consortium)
    member = consortium.members.filter(organisation=organisation).first()
    if member is None or member.role == ConsortiumRole.SUBCONTRACTOR:
        raise ConsortiumError("lead_must_be_co_contractor")
    with transaction.atomic():
        consortium.members.filter(role=ConsortiumRole.LEAD).update(
            role=ConsortiumRole.CO_CONTRACTOR
        )
        member.role = ConsortiumRole.LEAD
        member.save(update_fields=["role"])
        audit_record(
            action="consortium.lead",
            actor=by,
            target=consortium,
            data={"organisation": organisation.pk},
        )


def consortium_kind_set(*, consortium: Consortium, kind: str, by: Any) -> None:
    _editable(consortium)
    if kind not in ConsortiumKind.values:
        raise ConsortiumError("invalid_consortium_kind")
    with transaction.atomic():
        consortium.kind = kind
        consortium.save(update_fields=["kind"])
        audit_record(action="consortium.kind", actor=by, target=consortium, data={"kind": kind})


def consortium_total(consortium: Consortium) -> Decimal:
    """The consortium's price excluding tax: the sum of each member's days times rate."""
    return sum((member.total for member in consortium.members.all()), Decimal("0.00"))
