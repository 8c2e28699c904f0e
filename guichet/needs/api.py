"""API endpoints of the guichet: a client's request, its status, and the coordinators' work.

- `POST /requests` is public, like the form: the same rules (validated by the form's own
  class), the same limit per address, the same confirmation emailed to the client. The follow
  token never appears in the answer: the client gets it by email.
- `GET /requests/status` is public too: the follow token is the credential.
- `/coordination/...` needs a personal token (or the browser session) of a coordinator;
  anyone else authenticated gets a 403.

Refusals of input answer 400 with one translated message per field (Accept-Language, French
by default), in the shape the network's endpoints use. Amounts and person-days are exact
decimals, written as strings.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import HeaderEx, P, QueryEx

from guichet.core.api_errors import (
    Errors,
    Message,
    bad_request,
    decimal_text,
    refused,
    validation_errors,
)
from guichet.needs.access import can_coordinate
from guichet.needs.forms_intake import RequestForm
from guichet.needs.forms_qualification import LotForm, RequestFilterForm
from guichet.needs.messages import error_message
from guichet.needs.models import (
    Consortium,
    ConsortiumMember,
    Lot,
    MatchingRun,
    Request,
    RequestStatus,
    ShortlistEntry,
)
from guichet.needs.reasons import (
    CLIENT,
    component_label,
    component_sentence,
    exclusion_sentence,
)
from guichet.needs.selectors import request_for_coordination, requests_for_coordination
from guichet.needs.selectors_matching import lot_place
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_propose,
    consortium_total,
)
from guichet.needs.services.intake import IntakeError, request_submit
from guichet.needs.services.links import LinkError, follow_find
from guichet.needs.services.matching import MatchingError, lot_rank, run_result
from guichet.needs.services.qualification import QualificationError, lot_create
from guichet.needs.services.shortlists import (
    ShortlistError,
    shortlist_add,
    shortlist_propose,
    shortlist_send,
)
from guichet.needs.views.intake import LINK_STATUS, count_submission, over_limit
from guichet.network.models import Commune, Organisation

router = Router(tags=["needs"])

PAGE_SIZE = 20


# What the endpoints answer.


class RequestCreatedOut(Schema):
    reference: str = Field(description="The number to quote, e.g. D-2026-0042.")
    status: str = Field(description="`unconfirmed` until the client opens the emailed link.")
    status_label: str


class PlaceOut(Schema):
    city: str
    insee_code: str
    department: str


def _place(commune: Commune | None) -> dict[str, str] | None:
    if commune is None:
        return None
    return {
        "city": commune.name,
        "insee_code": commune.insee_code,
        "department": commune.department.name,
    }


class ReasonOut(Schema):
    code: str = Field(description="Stable code of the reason (see the public matching rules).")
    params: dict[str, Any]
    sentence: str = Field(description="The reason in plain words, in the language asked.")


class ShortlistedOut(Schema):
    organisation: str = Field(description="The member's name.")
    rank: int
    reasons: list[str] = Field(description="Why it is proposed, in plain words.")
    note: str = Field(description="The coordinators' note, if any.")
    chosen: bool


class LotStatusOut(Schema):
    number: int
    title: str
    person_days: str = Field(description="Estimated person-days, an exact decimal.")
    on_site: bool
    place: PlaceOut | None
    deadline: date | None
    shortlist: list[ShortlistedOut] = Field(
        description="The members proposed for the lot, once the shortlist is sent (else empty)."
    )


class RequestStatusOut(Schema):
    reference: str
    title: str
    status: str
    status_label: str
    not_a_fit_rationale: str = Field(
        description="Why open source is not the right fit, when the request was closed so."
    )
    lots: list[LotStatusOut]


class RequestRowOut(Schema):
    id: int
    reference: str
    status: str
    client_name: str
    title: str
    is_tender: bool
    lot_count: int
    created_at: datetime
    confirmed_at: datetime | None


class LotOut(Schema):
    id: int
    number: int
    title: str
    description: str
    software: list[str]
    skills: str
    cpv_code: str
    person_days: str = Field(description="Estimated person-days, an exact decimal.")
    on_site: bool
    place: PlaceOut | None
    start_date: date | None
    deadline: date | None


class RequestDetailOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    client_name: str
    client_kind: str
    client_siren: str
    contact_name: str
    contact_email: str
    contact_phone: str
    language: str
    title: str
    description: str
    services: list[str]
    software: list[str]
    software_other: str
    place: PlaceOut | None
    on_site: bool
    budget: str
    start_date: date | None
    end_date: date | None
    is_tender: bool
    tender_reference: str
    tender_deadline: datetime | None
    max_lots_per_bidder: int | None
    not_a_fit_rationale: str
    created_at: datetime
    confirmed_at: datetime | None
    lots: list[LotOut]


class ComponentOut(Schema):
    name: str = Field(description="fit, proximity, capacity, satisfaction or spread.")
    label: str
    value: float = Field(description="From 0 to 1.")
    weight: float
    reason: ReasonOut


class RankedOut(Schema):
    organisation: int = Field(description="The organisation's id.")
    name: str
    total: float = Field(
        description="The weighted mean of the components: sum(value * weight) / sum(weight)."
    )
    brought_by_client: bool
    components: list[ComponentOut]


class ExcludedOut(Schema):
    organisation: int
    name: str
    reason: ReasonOut


class RankingOut(Schema):
    run: int = Field(description="The recorded run's id (kept for audit and replay).")
    lot: int
    rules_version: int
    created_at: datetime
    ranked: list[RankedOut] = Field(description="Best first.")
    excluded: list[ExcludedOut]


class ShortlistEntryOut(Schema):
    id: int
    organisation: int
    name: str
    rank: int
    score: float
    run: int | None
    note: str
    sent: bool
    member_response: str
    chosen: bool


class SentOut(Schema):
    sent: int = Field(description="How many proposals were newly sent.")
    status: str


class ConsortiumLotOut(Schema):
    id: int
    number: int
    title: str


class ConsortiumMemberOut(Schema):
    organisation: int
    name: str
    role: str = Field(description="lead, co_contractor or subcontractor.")
    role_label: str
    lots: list[ConsortiumLotOut]
    person_days: str = Field(description="An exact decimal.")
    day_rate: str = Field(description="Excluding tax, in euros, an exact decimal.")
    total: str = Field(description="Days times rate, to the cent, an exact decimal.")


class ConsortiumOut(Schema):
    id: int
    request: int
    reference: str
    kind: str
    kind_label: str
    frozen: bool
    members: list[ConsortiumMemberOut]
    person_days: str = Field(description="All members' days, an exact decimal.")
    total: str = Field(description="Excluding tax, in euros, to the cent, an exact decimal.")


# What the endpoints accept. Every field is read as text and checked by the form of the
# matching page, so the rules and their messages live in one place.


class RequestIn(Schema):
    client_name: str = Field("", description="The client organisation. Required.")
    client_kind: str = Field("", description="public_body, company or association. Required.")
    client_siren: str = Field("", description="9 digits, optional.")
    contact_name: str = Field("", description="Required.")
    contact_email: str = Field("", description="The confirmation link is sent there. Required.")
    contact_phone: str = ""
    title: str = Field("", description="The need in a few words. Required.")
    description: str = Field("", description="Required.")
    software: list[str] = Field(
        default_factory=list,
        description="Software names; those not in the catalogue are kept as written.",
    )
    services: list[str] = Field(
        default_factory=list,
        description="At least one of development, integration, support, training, hosting, audit.",
    )
    city: str = Field("", description="A city name or a postal code. Required.")
    on_site: bool = False
    budget: str = Field(
        "unknown", description="unknown, lt10k, 10k-40k, 40k-90k, 90k-220k, gt220k."
    )
    start_date: str = Field("", description="YYYY-MM-DD, optional, not in the past.")
    end_date: str = Field("", description="YYYY-MM-DD, optional, not before the start.")
    is_tender: bool = False
    tender_reference: str = Field("", description="Required for a tender.")
    tender_deadline: str = Field(
        "", description="Bid deadline, ISO 8601 (e.g. 2026-03-31T12:00). Required for a tender."
    )
    member: str = Field(
        "",
        description="Optional: the identifier (slug) of a member of the network the client "
        "asks for by name; it is ranked for every lot. Only admitted members may be named.",
    )


class LotIn(Schema):
    title: str = Field("", description="Required.")
    description: str = ""
    software: list[str] = Field(default_factory=list, description="Names from the catalogue.")
    skills: str = ""
    cpv_code: str = Field("", description="Eight digits, optionally a dash and a check digit.")
    person_days: str | float = Field(
        "", description='Whole or half days, e.g. "12" or "2.5" (a string keeps it exact).'
    )
    on_site: bool = False
    place: str = Field("", description="A city or postal code; empty: the request's place.")
    start_date: str = Field("", description="YYYY-MM-DD.")
    deadline: str = Field("", description="YYYY-MM-DD, not in the past, not before the start.")


class ShortlistIn(Schema):
    organisations: list[int] = Field(
        default_factory=list, description="Ids of ranked organisations to put on the shortlist."
    )
    propose: int | None = Field(
        None,
        description="Fill the shortlist with the best ranked members, up to this many in all. "
        "With neither field, the default size of the instance is proposed.",
    )


class RequestFilters(Schema):
    status: str = Field(
        "", description="A status; without one, every confirmed request (newest first)."
    )


# Helpers.


def _coordinator(request: HttpRequest) -> None:
    if not can_coordinate(request.user):
        raise HttpError(403, _("Only coordinators may do this."))


def _reason(reason: Mapping[str, Any], sentence: str) -> dict[str, Any]:
    return {
        "code": reason.get("code", ""),
        "params": reason.get("params") or {},
        "sentence": sentence,
    }


# The client's side, public.


@router.post(
    "/requests",
    auth=None,
    response={201: RequestCreatedOut, 400: Errors, 429: Message},
    url_name="needs_requests",
    summary="Submit a request (it waits for the client's emailed confirmation)",
)
def request_create(request: HttpRequest, body: RequestIn) -> Any:
    """The public form's rules, messages and limit per address. The request is kept
    unconfirmed and the client is emailed a confirmation link; only a confirmed request
    reaches the coordinators. The follow-up link is sent by email only, never answered here.

    Documents (a tender's papers) are not accepted through the API: attach them through
    the form on the site."""
    values = body.dict()
    values["software"] = ", ".join(name.strip() for name in body.software if name.strip())
    form = RequestForm(values)
    if not form.is_valid():
        return bad_request(form.errors)
    if over_limit(request):
        return Status(
            429,
            {
                "detail": _(
                    "Too many requests were sent from your connection in the last hour. "
                    "Please send it again later."
                )
            },
        )
    try:
        created = request_submit(
            data=form.request_data(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            user=request.user,
        )
    except IntakeError as error:
        return refused(error, error_message)
    count_submission(request)
    return Status(
        201,
        {
            "reference": created.reference,
            "status": created.status,
            "status_label": str(RequestStatus(created.status).label),
        },
    )


def _shortlist_for_client(lot: Lot) -> list[dict[str, Any]]:
    entries = [entry for entry in lot.shortlist.all() if entry.sent_at is not None]
    return [
        {
            "organisation": entry.organisation.name,
            "rank": entry.rank,
            "reasons": [
                component_sentence(component.get("reason") or {}, CLIENT)
                for component in (entry.explanation or {}).get("components", [])
            ],
            "note": entry.note,
            "chosen": entry.chosen_at is not None,
        }
        for entry in entries
    ]


@router.get(
    "/requests/status",
    auth=None,
    response={200: RequestStatusOut, 404: Message, 410: Message},
    url_name="needs_request_status",
    summary="A request's status, opened with its private follow-up token",
)
def request_status(
    request: HttpRequest,
    token: QueryEx[str, P(description="The follow-up token, from the link emailed.")] = "",
    x_follow_token: HeaderEx[
        str, P(alias="X-Follow-Token", description="The same token, as a header instead.")
    ] = "",
) -> Any:
    """The token is the credential (prefer the header: query strings end up in logs). It
    answers 404 when unknown or revoked, 410 when expired: the next email carries a fresh one.
    The members proposed for each lot appear once the shortlist is sent to the client."""
    try:
        found = follow_find(x_follow_token or token)
    except LinkError as error:
        return Status(LINK_STATUS.get(error.code, 404), {"detail": error_message(error.code)})
    shows_lots = found.status not in (RequestStatus.UNCONFIRMED, RequestStatus.SUBMITTED)
    lots = (
        found.lots.select_related("commune__department", "request__commune__department")
        .prefetch_related(
            Prefetch(
                "shortlist",
                queryset=ShortlistEntry.objects.select_related("organisation").order_by(
                    "rank", "pk"
                ),
            )
        )
        .order_by("position")
        if shows_lots
        else []
    )
    return {
        "reference": found.reference,
        "title": found.title,
        "status": found.status,
        "status_label": str(RequestStatus(found.status).label),
        "not_a_fit_rationale": found.not_a_fit_rationale,
        "lots": [
            {
                "number": lot.position,
                "title": lot.title,
                "person_days": decimal_text(lot.person_days),
                "on_site": lot.on_site,
                "place": _place(lot_place(lot)),
                "deadline": lot.deadline,
                "shortlist": _shortlist_for_client(lot),
            }
            for lot in lots
        ],
    }


# The coordinators' side.


def _lot_out(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "number": lot.position,
        "title": lot.title,
        "description": lot.description,
        "software": [item.name for item in lot.software.all()],
        "skills": lot.skills,
        "cpv_code": lot.cpv_code,
        "person_days": decimal_text(lot.person_days),
        "on_site": lot.on_site,
        "place": _place(lot.commune),
        "start_date": lot.start_date,
        "deadline": lot.deadline,
    }


@router.get(
    "/coordination/requests",
    response={200: list[RequestRowOut], 400: Errors, 403: Message},
    url_name="needs_coordination_requests",
    summary="Requests, newest first (coordinators)",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def coordination_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    _coordinator(request)
    form = RequestFilterForm(filters.dict())
    if not form.is_valid():
        raise HttpError(400, "; ".join(str(m) for ms in form.errors.values() for m in ms))
    found = requests_for_coordination(status=form.cleaned_data.get("status", ""))
    return found


@router.get(
    "/coordination/requests/{request_id}",
    response={200: RequestDetailOut, 403: Message},
    url_name="needs_coordination_request",
    summary="One request, with its client, its need and its lots (coordinators)",
)
def coordination_request(request: HttpRequest, request_id: int) -> Any:
    _coordinator(request)
    found = get_object_or_404(request_for_coordination(), pk=request_id)
    return {
        **{
            name: getattr(found, name)
            for name in (
                "status",
                "client_name",
                "client_kind",
                "client_siren",
                "contact_name",
                "contact_email",
                "contact_phone",
                "language",
                "title",
                "description",
                "services",
                "software_other",
                "on_site",
                "budget",
                "start_date",
                "end_date",
                "is_tender",
                "tender_reference",
                "tender_deadline",
                "max_lots_per_bidder",
                "not_a_fit_rationale",
                "created_at",
                "confirmed_at",
            )
        },
        "id": found.pk,
        "reference": found.reference,
        "status_label": str(RequestStatus(found.status).label),
        "software": [item.name for item in found.software.all()],
        "place": _place(found.commune),
        "lots": [_lot_out(lot) for lot in found.lots.all()],
    }


@router.post(
    "/coordination/requests/{request_id}/lots",
    response={201: LotOut, 400: Errors, 403: Message},
    url_name="needs_coordination_lots",
    summary="Add a lot to a request (coordinators); the first one qualifies the request",
)
def coordination_lot_create(request: HttpRequest, request_id: int, body: LotIn) -> Any:
    """Checked by the lot form of the request's page: the same rules, the same messages."""
    _coordinator(request)
    found = get_object_or_404(Request.objects.select_related("commune__department"), pk=request_id)
    values = body.dict()
    values["software"] = ", ".join(name.strip() for name in body.software if name.strip())
    values["person_days"] = str(body.person_days)
    form = LotForm(values, request=found)
    if not form.is_valid():
        return bad_request(form.errors)
    try:
        lot = lot_create(request=found, data=form.data_out(), by=request.user)
    except QualificationError as error:
        return refused(error, error_message)
    except DjangoValidationError as error:
        return bad_request(validation_errors(error))
    lot = Lot.objects.select_related("commune__department").get(pk=lot.pk)
    return Status(201, _lot_out(lot))


def _lot_for_coordination(lot_id: int) -> Lot:
    return get_object_or_404(
        Lot.objects.select_related("request", "request__commune", "commune"), pk=lot_id
    )


def _ranking_out(run: MatchingRun) -> dict[str, Any]:
    result = run_result(run)
    return {
        "run": run.pk,
        "lot": run.lot_id,
        "rules_version": result.get("rules_version", run.rules.version),
        "created_at": run.created_at,
        "ranked": [
            {
                **{key: entry[key] for key in ("organisation", "name", "total")},
                "brought_by_client": bool(entry.get("brought_by_client")),
                "components": [
                    {
                        "name": component["name"],
                        "label": component_label(component["name"]),
                        "value": component["value"],
                        "weight": component["weight"],
                        "reason": _reason(
                            component["reason"], component_sentence(component["reason"])
                        ),
                    }
                    for component in entry["components"]
                ],
            }
            for entry in result["ranked"]
        ],
        "excluded": [
            {
                "organisation": item["organisation"],
                "name": item["name"],
                "reason": _reason(item["reason"], exclusion_sentence(item["reason"])),
            }
            for item in result["excluded"]
        ],
    }


@router.post(
    "/coordination/lots/{lot_id}/rank",
    response={201: RankingOut, 400: Errors, 403: Message},
    url_name="needs_coordination_lot_rank",
    summary="Rank a lot's candidates now, with the rules in force (coordinators)",
)
def coordination_lot_rank(request: HttpRequest, lot_id: int) -> Any:
    """The run is recorded (rules, inputs, result) for audit and replay. Each ranked member
    comes with its components: value, weight and reason; its total is their weighted mean.
    An on-site lot whose place is unknown is refused (400) until it is given one."""
    _coordinator(request)
    lot = _lot_for_coordination(lot_id)
    try:
        run = lot_rank(lot=lot, by=request.user)
    except MatchingError as error:
        return refused(error, error_message)
    return Status(201, _ranking_out(run))


def _entry_out(entry: ShortlistEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "organisation": entry.organisation_id,
        "name": entry.organisation.name,
        "rank": entry.rank,
        "score": entry.score,
        "run": entry.run_id,
        "note": entry.note,
        "sent": entry.sent_at is not None,
        "member_response": entry.member_response,
        "chosen": entry.chosen_at is not None,
    }


@router.post(
    "/coordination/lots/{lot_id}/shortlist",
    response={200: list[ShortlistEntryOut], 400: Errors, 403: Message},
    url_name="needs_coordination_lot_shortlist",
    summary="Put ranked members on a lot's shortlist, from its latest ranking (coordinators)",
)
def coordination_lot_shortlist(request: HttpRequest, lot_id: int, body: ShortlistIn) -> Any:
    """The members named are added first, then the best ranked fill the shortlist up to
    `propose`. All or nothing: one refusal adds nobody. Answers the lot's whole shortlist."""
    _coordinator(request)
    lot = _lot_for_coordination(lot_id)
    run = lot.runs.select_related("rules").order_by("-created_at", "-pk").first()
    if run is None:
        return bad_request(
            {NON_FIELD_ERRORS: [_("Rank the lot first: the shortlist comes from its ranking.")]}
        )
    organisations = Organisation.objects.in_bulk(body.organisations)
    try:
        with transaction.atomic():
            for organisation_id in body.organisations:
                organisation = organisations.get(organisation_id)
                if organisation is None:
                    raise ShortlistError("organisation_not_ranked")
                shortlist_add(lot=lot, organisation=organisation, run=run, by=request.user)
            if body.propose is not None or not body.organisations:
                shortlist_propose(lot=lot, run=run, by=request.user, size=body.propose)
    except ShortlistError as error:
        return refused(error, error_message)
    entries = lot.shortlist.select_related("organisation").order_by("rank", "pk")
    return [_entry_out(entry) for entry in entries]


@router.post(
    "/coordination/requests/{request_id}/send",
    response={200: SentOut, 400: Errors, 403: Message},
    url_name="needs_coordination_request_send",
    summary="Send the request's shortlists to the client (coordinators)",
)
def coordination_request_send(request: HttpRequest, request_id: int) -> Any:
    """Every lot needs at least one member. The client and each member newly proposed are
    emailed."""
    _coordinator(request)
    found = get_object_or_404(Request, pk=request_id)
    try:
        sent = shortlist_send(request=found, by=request.user)
    except ShortlistError as error:
        return refused(error, error_message)
    return {"sent": sent, "status": found.status}


def _consortium_out(consortium: Consortium) -> dict[str, Any]:
    members: list[ConsortiumMember] = list(
        consortium.members.select_related("organisation")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("position")))
        .order_by("role", "pk")
    )
    return {
        "id": consortium.pk,
        "request": consortium.request_id,
        "reference": consortium.request.reference,
        "kind": consortium.kind,
        "kind_label": consortium.get_kind_display(),
        "frozen": consortium_is_frozen(consortium),
        "members": [
            {
                "organisation": member.organisation_id,
                "name": member.organisation.name,
                "role": member.role,
                "role_label": member.get_role_display(),
                "lots": [
                    {"id": lot.pk, "number": lot.position, "title": lot.title}
                    for lot in member.lots.all()
                ],
                "person_days": decimal_text(member.person_days),
                "day_rate": decimal_text(member.day_rate),
                "total": decimal_text(member.total),
            }
            for member in members
        ],
        "person_days": decimal_text(sum((m.person_days for m in members), Decimal(0))),
        "total": decimal_text(consortium_total(consortium)),
    }


@router.post(
    "/coordination/requests/{request_id}/consortium",
    response={201: ConsortiumOut, 400: Errors, 403: Message},
    url_name="needs_coordination_consortium",
    summary="Form the consortium the engine proposes from the shortlists (coordinators)",
)
def coordination_consortium_propose(request: HttpRequest, request_id: int) -> Any:
    """The fewest members covering every lot with the best total score (within a tender's
    cap on lots per bidder), the largest share as lead. Once the shortlist is sent."""
    _coordinator(request)
    found = get_object_or_404(Request, pk=request_id)
    try:
        consortium = consortium_propose(request=found, by=request.user)
    except ConsortiumError as error:
        return refused(error, error_message)
    return Status(201, _consortium_out(consortium))


@router.get(
    "/coordination/requests/{request_id}/consortium",
    response={200: ConsortiumOut, 403: Message},
    url_name="needs_coordination_consortium",
    summary="A request's consortium: members, roles, lots, days, rates, totals (coordinators)",
)
def coordination_consortium(request: HttpRequest, request_id: int) -> Any:
    _coordinator(request)
    consortium = get_object_or_404(
        Consortium.objects.select_related("request"), request_id=request_id
    )
    return _consortium_out(consortium)
