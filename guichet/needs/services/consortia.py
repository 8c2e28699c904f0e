"""Consortia (groupements): propose one from the shortlists, adjust it, freeze it.

The engine (domain/consortium.py) proposes the fewest members covering every lot with the
best total score, within a tender's cap on lots per bidder; the coordinator and the members
then set days, day rates, the kind, and may change the lead: coordinators at any time, the
lead's managers by handing it over to a co-contractor. Contractors (the lead and the
co-contractors) may bring subcontractors on some of their own lots; a subcontractor's amount
is part of its contractor's share, never added to the consortium's total. A tender's
consortium is frozen once its bid deadline has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.needs import notifications
from guichet.needs.access import can_coordinate, is_manager_of
from guichet.needs.domain.consortium import LotOption, NoConsortiumError, Proposal, propose
from guichet.needs.models import (
    Consortium,
    ConsortiumKind,
    ConsortiumMember,
    ConsortiumRole,
    Lot,
    MemberResponse,
    Request,
    RequestStatus,
    ShortlistEntry,
)
from guichet.needs.models.consortia import CENT
from guichet.network.access import can_manage
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


def _alternative_record(proposal: Proposal) -> dict[str, Any] | None:
    """The team the proposal was preferred to, as recorded with it (None: there was none)."""
    alternative = proposal.alternative
    if alternative is None:
        return None
    return {
        "assignment": {str(lot): org for lot, org in alternative.assignment.items()},
        "members": list(alternative.members),
        "total_score": alternative.total_score,
        "reason": alternative.reason,
    }


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
                "lots": len(proposal.assignment),
                "max_lots_per_bidder": request.max_lots_per_bidder,
                "alternative": _alternative_record(proposal),
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


def _check_days_and_rate(person_days: Decimal, day_rate: Decimal) -> None:
    """The same bounds for every member, contractor or subcontractor."""
    if not Decimal(0) <= person_days <= MAX_DAYS or person_days % Decimal("0.5"):
        raise ConsortiumError("invalid_person_days")
    if not Decimal(0) <= day_rate <= MAX_DAY_RATE:
        raise ConsortiumError("invalid_day_rate")


def consortium_member_update(
    *, member: ConsortiumMember, person_days: Decimal, day_rate: Decimal, by: Any
) -> ConsortiumMember:
    """Set a member's days and day rate (excluding tax), exact decimals."""
    _editable(member.consortium)
    _check_days_and_rate(person_days, day_rate)
    with transaction.atomic():
        member.person_days = person_days
        member.day_rate = day_rate.quantize(CENT)
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


def _future_lead(consortium: Consortium, organisation: Organisation) -> ConsortiumMember:
    """The member taking the lead: a contractor of this consortium, never a subcontractor
    (it has no contract with the buyer)."""
    member = consortium.members.filter(organisation=organisation).first()
    if member is None or member.role == ConsortiumRole.SUBCONTRACTOR:
        raise ConsortiumError("lead_must_be_co_contractor")
    return member


def _lead_swap(*, consortium: Consortium, member: ConsortiumMember, by: Any, action: str) -> None:
    """Make `member` the lead and the former lead a co-contractor, audited. The former
    lead's subcontractors stay with it: they follow the contractor, not the role."""
    with transaction.atomic():
        former = consortium.members.filter(role=ConsortiumRole.LEAD).first()
        consortium.members.filter(role=ConsortiumRole.LEAD).update(
            role=ConsortiumRole.CO_CONTRACTOR
        )
        member.role = ConsortiumRole.LEAD
        member.save(update_fields=["role"])
        audit_record(
            action=action,
            actor=by,
            target=consortium,
            data={
                "organisation": member.organisation_id,
                "former": former.organisation_id if former else None,
            },
        )


def consortium_lead_set(*, consortium: Consortium, organisation: Organisation, by: Any) -> None:
    """A coordinator makes a co-contractor the lead; the former lead becomes a co-contractor."""
    _editable(consortium)
    member = _future_lead(consortium, organisation)
    _lead_swap(consortium=consortium, member=member, by=by, action="consortium.lead")


def consortium_lead_hand_over(
    *, consortium: Consortium, to: Organisation, by: Any
) -> ConsortiumMember:
    """A manager of the lead organisation hands the lead to a co-contractor; the other
    members' managers and the coordinators are told by email once it is saved."""
    _editable(consortium)
    lead = consortium.members.filter(role=ConsortiumRole.LEAD).first()
    # Coordinators change the lead on their own page (consortium_lead_set), not this way.
    if lead is None or not is_manager_of(by, lead.organisation_id):
        raise ConsortiumError("not_lead_manager")
    member = _future_lead(consortium, to)
    if member.role != ConsortiumRole.CO_CONTRACTOR:
        raise ConsortiumError("lead_must_be_co_contractor")
    with transaction.atomic():
        _lead_swap(consortium=consortium, member=member, by=by, action="consortium.lead_hand_over")
        notifications.consortium_lead_handed_over(consortium=consortium, former=lead, lead=member)
    return member


def _subcontracting_allowed(by: Any, contractor: ConsortiumMember) -> None:
    """Coordinators, and the managers of the contractor the subcontractor works for."""
    if not getattr(by, "is_authenticated", False) or not can_manage(by, contractor.organisation):
        raise ConsortiumError("not_contractor_manager")


def _check_subcontract(
    consortium: Consortium, contractor: ConsortiumMember, organisation: Organisation, lots: set[int]
) -> None:
    if contractor.consortium_id != consortium.pk or contractor.role == ConsortiumRole.SUBCONTRACTOR:
        raise ConsortiumError("subcontractor_needs_contractor")
    if consortium.members.filter(organisation=organisation).exists():
        raise ConsortiumError("already_in_consortium")
    if not lots:
        raise ConsortiumError("subcontractor_without_lots")
    # A contractor can only pass on work it holds itself.
    if not lots <= set(contractor.lots.values_list("pk", flat=True)):
        raise ConsortiumError("subcontractor_lots_not_contractors")


def consortium_subcontractor_add(
    *,
    consortium: Consortium,
    contractor: ConsortiumMember,
    organisation: Organisation,
    lots: Iterable[Lot],
    person_days: Decimal,
    day_rate: Decimal,
    by: Any,
) -> ConsortiumMember:
    """Bring in a subcontractor (any organisation of the directory, member or not) working
    for `contractor` (the lead or a co-contractor) on some of its lots."""
    _editable(consortium)
    _subcontracting_allowed(by, contractor)
    lot_ids = {lot.pk for lot in lots}
    _check_subcontract(consortium, contractor, organisation, lot_ids)
    _check_days_and_rate(person_days, day_rate)
    with transaction.atomic():
        member = ConsortiumMember.objects.create(
            consortium=consortium,
            organisation=organisation,
            role=ConsortiumRole.SUBCONTRACTOR,
            contractor=contractor,
            person_days=person_days,
            day_rate=day_rate.quantize(CENT),
        )
        member.lots.set(sorted(lot_ids))
        audit_record(
            action="consortium.subcontractor_add",
            actor=by,
            target=consortium,
            data={
                "organisation": organisation.pk,
                "contractor": contractor.organisation_id,
                "lots": sorted(lot_ids),
                "person_days": str(person_days),
                "day_rate": str(member.day_rate),
            },
        )
    return member


def consortium_subcontractor_remove(*, subcontractor: ConsortiumMember, by: Any) -> None:
    """Take a subcontractor out; allowed to the same people who may bring it in. A
    subcontractor without a contractor (older data) is removed by coordinators only."""
    consortium = subcontractor.consortium
    _editable(consortium)
    if subcontractor.role != ConsortiumRole.SUBCONTRACTOR:
        raise ConsortiumError("not_a_subcontractor")
    contractor = subcontractor.contractor
    if contractor is None:
        if not can_coordinate(by):
            raise ConsortiumError("not_contractor_manager")
    else:
        _subcontracting_allowed(by, contractor)
    with transaction.atomic():
        audit_record(
            action="consortium.subcontractor_remove",
            actor=by,
            target=consortium,
            data={
                "organisation": subcontractor.organisation_id,
                "contractor": contractor.organisation_id if contractor else None,
            },
        )
        subcontractor.delete()


def consortium_kind_set(*, consortium: Consortium, kind: str, by: Any) -> None:
    _editable(consortium)
    if kind not in ConsortiumKind.values:
        raise ConsortiumError("invalid_consortium_kind")
    with transaction.atomic():
        consortium.kind = kind
        consortium.save(update_fields=["kind"])
        audit_record(action="consortium.kind", actor=by, target=consortium, data={"kind": kind})


def consortium_total(
    consortium: Consortium, members: Iterable[ConsortiumMember] | None = None
) -> Decimal:
    """The consortium's price excluding tax: the lead's and co-contractors' days times rates.

    A subcontractor's amount is part of its contractor's share (the contractor pays it), so
    it is never added again. Pass `members` already loaded to spare a query.
    """
    found = consortium.members.all() if members is None else members
    return sum(
        (member.total for member in found if member.role != ConsortiumRole.SUBCONTRACTOR),
        Decimal("0.00"),
    )


def consortium_subcontracted(members: Iterable[ConsortiumMember]) -> dict[int, Decimal]:
    """Per contractor (its ConsortiumMember id), the amount it subcontracts, to the cent:
    included in its own share. Contractors without subcontractors are left out."""
    amounts: dict[int, Decimal] = {}
    for member in members:
        if member.role == ConsortiumRole.SUBCONTRACTOR and member.contractor_id is not None:
            amounts[member.contractor_id] = (
                amounts.get(member.contractor_id, Decimal("0.00")) + member.total
            )
    return amounts
