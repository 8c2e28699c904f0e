"""A coordinator qualifies a request: its lots, its client organisation, its tender rules, or
the answer "open source is not the right fit".

Every write is atomic and audited. The first lot moves a submitted request to "qualified"
(the client is emailed the first time only); deleting the last lot moves it back. A closed
request (not a fit, or closed) and an unconfirmed one cannot be changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.core.models import AuditEntry
from guichet.needs import notifications
from guichet.needs.models import Lot, Request, RequestStatus
from guichet.network.models import Commune, Organisation, Software

CLOSED_STATUSES = frozenset({RequestStatus.NOT_A_FIT, RequestStatus.CLOSED})
# Once members are proposed to the client, "not the right fit" would contradict the network's
# own proposal: the request is then closed otherwise.
NOT_A_FIT_FROM = frozenset({RequestStatus.SUBMITTED, RequestStatus.QUALIFIED})
MIN_RATIONALE_LENGTH = 30
MAX_PERSON_DAYS = Decimal(10_000)
QUALIFIED_ACTION = "request.qualify"


class QualificationError(CodedError):
    """A step that cannot be done; `code` keys a translated message (needs/messages.py)."""


@dataclass(frozen=True)
class LotData:
    """What a lot says, as a form (or the API) read it."""

    title: str
    person_days: Decimal
    description: str = ""
    software: tuple[Software, ...] = field(default_factory=tuple)
    skills: str = ""
    cpv_code: str = ""
    on_site: bool = False
    commune: Commune | None = None
    start_date: date | None = None
    deadline: date | None = None


def is_closed(request: Request) -> bool:
    return request.status in CLOSED_STATUSES


def _editable(request: Request) -> None:
    """Refuse any change to a request that is closed or not confirmed yet."""
    if request.status in CLOSED_STATUSES:
        raise QualificationError("request_closed")
    if request.status == RequestStatus.UNCONFIRMED:
        raise QualificationError("request_not_confirmed")


def _locked(request: Request) -> Request:
    """The request again, locked for this transaction: its status is read fresh."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    request.status = locked.status
    return locked


def _check_dates(data: LotData) -> None:
    if data.start_date and data.deadline and data.deadline < data.start_date:
        raise ValidationError(
            {"deadline": _("The deadline cannot come before the start.")}, code="deadline_early"
        )


def _fill(lot: Lot, data: LotData) -> None:
    lot.title = data.title.strip()
    lot.description = data.description.strip()
    lot.skills = data.skills.strip()
    lot.cpv_code = data.cpv_code.strip()
    lot.person_days = data.person_days
    lot.on_site = data.on_site
    lot.commune = data.commune
    lot.start_date = data.start_date
    lot.deadline = data.deadline


def _audit_data(lot: Lot, data: LotData) -> dict[str, Any]:
    return {
        "request": lot.request_id,
        "position": lot.position,
        "person_days": str(data.person_days),
        "software": sorted(item.pk for item in data.software),
    }


def _qualified_before(request: Request) -> bool:
    """Whether the request was ever qualified: the audit log keeps it, append-only."""
    return AuditEntry.objects.filter(
        action=QUALIFIED_ACTION, object_type=Request._meta.label_lower, object_id=str(request.pk)
    ).exists()


def lot_create(*, request: Request, data: LotData, by: Any) -> Lot:
    """Add a lot, numbered after the last one. The first lot qualifies a submitted request."""
    _check_dates(data)
    with transaction.atomic():
        locked = _locked(request)
        _editable(locked)
        last = locked.lots.aggregate(last=Max("position"))["last"] or 0
        lot = Lot(request=locked, position=last + 1)
        _fill(lot, data)
        lot.full_clean()
        lot.save()
        lot.software.set(data.software)
        audit_record(action="lot.create", actor=by, target=lot, data=_audit_data(lot, data))
        if locked.status == RequestStatus.SUBMITTED:
            first_time = not _qualified_before(locked)
            _status_set(locked, RequestStatus.QUALIFIED, by=by, action=QUALIFIED_ACTION)
            if first_time:
                notifications.to_client(locked, "request_qualified")
    request.status = locked.status
    return lot


def lot_update(*, lot: Lot, data: LotData, by: Any) -> Lot:
    """Change what a lot says; its number stays."""
    _check_dates(data)
    with transaction.atomic():
        locked = _locked(lot.request)
        _editable(locked)
        _fill(lot, data)
        lot.full_clean()
        lot.save()
        lot.software.set(data.software)
        audit_record(action="lot.update", actor=by, target=lot, data=_audit_data(lot, data))
    return lot


def lot_delete(*, lot: Lot, by: Any) -> None:
    """Remove a lot that has no chosen provider. Without lots, a qualified request goes back
    to "to be qualified"."""
    with transaction.atomic():
        locked = _locked(lot.request)
        _editable(locked)
        if lot.shortlist.filter(chosen_at__isnull=False).exists():
            raise QualificationError("lot_has_provider")
        data = {"request": locked.pk, "position": lot.position}
        audit_record(action="lot.delete", actor=by, target=lot, data=data)
        lot.delete()
        if locked.status == RequestStatus.QUALIFIED and not locked.lots.exists():
            _status_set(locked, RequestStatus.SUBMITTED, by=by, action="request.unqualify")
    lot.request.status = locked.status


def _status_set(request: Request, status: str, *, by: Any, action: str) -> None:
    previous = request.status
    request.status = status
    request.save(update_fields=["status"])
    audit_record(action=action, actor=by, target=request, data={"from": previous, "to": status})


def request_link_client(*, request: Request, organisation: Organisation | None, by: Any) -> None:
    """Say which organisation of the directory the client is (None: none): matching never
    proposes an organisation to itself."""
    with transaction.atomic():
        locked = _locked(request)
        _editable(locked)
        previous = locked.client_organisation_id
        locked.client_organisation = organisation
        locked.save(update_fields=["client_organisation"])
        audit_record(
            action="request.link_client",
            actor=by,
            target=locked,
            data={"from": previous, "to": organisation.pk if organisation else None},
        )
    request.client_organisation = organisation


def request_set_tender_rules(*, request: Request, max_lots_per_bidder: int | None, by: Any) -> None:
    """A tender's maximum number of lots one bidder may win (None: no maximum)."""
    with transaction.atomic():
        locked = _locked(request)
        _editable(locked)
        if not locked.is_tender:
            raise QualificationError("not_a_tender")
        if max_lots_per_bidder is not None and max_lots_per_bidder < 1:
            raise ValidationError(
                {"max_lots_per_bidder": _("Give at least 1, or leave empty for no maximum.")}
            )
        previous = locked.max_lots_per_bidder
        locked.max_lots_per_bidder = max_lots_per_bidder
        locked.save(update_fields=["max_lots_per_bidder"])
        audit_record(
            action="request.tender_rules",
            actor=by,
            target=locked,
            data={"from": previous, "to": max_lots_per_bidder},
        )
    request.max_lots_per_bidder = max_lots_per_bidder


def request_close_not_a_fit(*, request: Request, rationale: str, by: Any) -> None:
    """Answer "open source is not the right fit here", with a rationale the client reads on
    its follow-up page and in the email it gets. Nothing can be changed afterwards."""
    rationale = rationale.strip()
    if len(rationale) < MIN_RATIONALE_LENGTH:
        raise QualificationError("rationale_too_short")
    with transaction.atomic():
        locked = _locked(request)
        _editable(locked)
        if locked.status not in NOT_A_FIT_FROM:
            raise QualificationError("too_late_for_not_a_fit")
        previous = locked.status
        locked.status = RequestStatus.NOT_A_FIT
        locked.not_a_fit_rationale = rationale
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "not_a_fit_rationale", "closed_at"])
        audit_record(
            action="request.not_a_fit",
            actor=by,
            target=locked,
            data={"from": previous, "rationale_length": len(rationale)},
        )
        notifications.to_client(locked, "request_not_a_fit")
    request.status = locked.status
    request.not_a_fit_rationale = locked.not_a_fit_rationale
    request.closed_at = locked.closed_at
