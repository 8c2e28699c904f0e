"""API endpoints of missions: read the missions one works on, log their delivered days,
invoices and upstream contributions; a client submits its evaluation with its token.

- `GET /missions` and `GET /missions/{mission_id}` need a personal token (or the browser
  session). A person sees the missions of its organisations (coordinators see all), with
  every member's day rate: they share one contract. Another organisation's mission is a 404.
- `POST /missions/{mission_id}/days` and `/invoices` speak for one member of the mission:
  managers of its organisation, or coordinators (anyone else on the mission gets a 403).
  Any person of the member's organisation may log a contribution.
- `POST /missions/evaluation/{token}` is public: the token, from the link emailed to the
  client, is the credential, and opens one evaluation of one mission only. Unknown or
  revoked, it answers 404; expired, 410.

Refusals of input answer 400 with one translated message per field (Accept-Language, French
by default), in the shape the guichet's endpoints use. Amounts and person-days are exact
decimals, written as strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from guichet.core.api_errors import (
    Errors,
    Message,
    bad_request,
    decimal_text,
    refused,
)
from guichet.missions import access
from guichet.missions import messages as missions_messages
from guichet.missions.domain.evaluations import CRITERIA, HIGHEST, LOWEST
from guichet.missions.domain.workflow import evaluation_editable
from guichet.missions.forms import DaysForm, InvoiceForm
from guichet.missions.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Evaluation,
    Invoice,
    InvoiceStatus,
    Mission,
    MissionMember,
    MissionRole,
    MissionStatus,
)
from guichet.missions.selectors import mission_members, mission_totals, missions_listed
from guichet.missions.services import contributions as contributions_service
from guichet.missions.services import delivery
from guichet.missions.services import evaluations as evaluations_service
from guichet.missions.services.common import MissionError
from guichet.network.models import Software

router = Router(tags=["missions"])

PAGE_SIZE = 20
# What an evaluation link's refusal answers: unknown or revoked, or expired.
LINK_STATUS = {"link_unknown": 404, "link_expired": 410}
# The field a service's refusal is about, when it is about one (else the whole body).
FIELD_OF_CODE = {
    "days_negative": "days",
    "days_over_maximum": "days",
    "month_in_future": "month",
    "amount_not_positive": "amount_excl_tax",
    "vat_out_of_range": "vat_rate",
    "invoice_number_missing": "number",
    "invoice_number_taken": "number",
    "url_not_http": "url",
    "url_too_long": "url",
    "url_duplicate": "url",
    "contribution_kind_unknown": "kind",
    "contribution_status_unknown": "status",
    "contribution_title_missing": "title",
    "contribution_title_too_long": "title",
    "comment_too_long": "comment",
}


# What the endpoints answer.


class MissionRowOut(Schema):
    id: int
    reference: str = Field(description="The number to quote, e.g. M-2026-0007.")
    title: str
    status: str = Field(description="planned, running, delivered, evaluated, closed, cancelled.")
    status_label: str
    request: str = Field(description="The reference of the client's request.")
    organisations: list[str] = Field(description="The members' names.")
    starts_on: date | None
    ends_on: date | None
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj: Mission) -> str:
        return str(MissionStatus(obj.status).label)

    @staticmethod
    def resolve_request(obj: Mission) -> str:
        return obj.request.reference

    @staticmethod
    def resolve_organisations(obj: Mission) -> list[str]:
        # The members come prefetched with their organisation (selectors.missions_listed).
        return sorted(member.organisation.name for member in obj.members.all())


class OrganisationRef(Schema):
    id: int
    slug: str
    name: str


class LotRef(Schema):
    id: int
    number: int
    title: str


class DeliveredOut(Schema):
    month: str = Field(description="YYYY-MM.")
    days: str = Field(description="Person-days delivered that month, an exact decimal.")


class MemberOut(Schema):
    id: int = Field(description="The member's id on this mission (to log days, invoices…).")
    organisation: OrganisationRef
    role: str = Field(description="lead, co_contractor, subcontractor or provider.")
    role_label: str
    contractor: int | None = Field(description="A subcontractor's contractor (a member id).")
    lots: list[LotRef]
    person_days: str = Field(description="Agreed person-days, an exact decimal.")
    day_rate: str = Field(description="Excluding tax, in euros, an exact decimal.")
    total: str = Field(description="Agreed days times rate, to the cent, an exact decimal.")
    delivered_days: str = Field(description="Person-days delivered so far, an exact decimal.")
    remaining_days: str = Field(description="Agreed minus delivered, an exact decimal.")
    delivered: list[DeliveredOut] = Field(description="Delivered days per month.")


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done: bool
    done_at: datetime | None


class InvoiceOut(Schema):
    id: int
    member: int
    organisation: str
    number: str
    issued_on: date
    amount_excl_tax: str = Field(description="In euros, an exact decimal.")
    vat_rate: str = Field(description="In percent, an exact decimal.")
    vat: str = Field(description="In euros, rounded half up to the cent.")
    amount_incl_tax: str = Field(description="In euros, an exact decimal.")
    status: str = Field(description="issued, paid or cancelled.")
    status_label: str


class SoftwareRef(Schema):
    slug: str
    name: str


class ContributionOut(Schema):
    id: int
    organisation: str
    software: SoftwareRef
    kind: str
    kind_label: str
    title: str
    url: str
    status: str
    status_label: str
    embargo_until: date | None = Field(
        description="Until this date the public sees only “a contribution to <project>”."
    )
    created_at: datetime
    merged_at: datetime | None


class MissionDetailOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    status_label: str
    request: str
    includes_development: bool
    starts_on: date | None
    ends_on: date | None
    delivered_at: datetime | None
    closed_at: datetime | None
    members: list[MemberOut]
    person_days: str = Field(
        description="The agreed days of the contractors (a subcontractor's are inside its "
        "contractor's), an exact decimal."
    )
    delivered_days: str = Field(description="Every member's delivered days, an exact decimal.")
    total: str = Field(description="Excluding tax, in euros, to the cent, an exact decimal.")
    milestones: list[MilestoneOut]
    invoices: list[InvoiceOut]
    contributions: list[ContributionOut]


class EvaluationOut(Schema):
    mission: str = Field(description="The mission's reference.")
    title: str
    score: str | None = Field(description="The mean of the four ratings, an exact decimal.")
    would_recommend: bool | None
    submitted_at: datetime | None
    editable: bool = Field(
        description="Whether it may still be changed (until the mission closes)."
    )


# What the endpoints accept. Numbers may come as strings, which keeps them exact.


class DaysIn(Schema):
    member: int = Field(description="The member's id on the mission (see the mission's members).")
    month: str = Field("", description="YYYY-MM, not a month still to come.")
    days: str | float = Field(
        "",
        description="Person-days delivered that month (replaces what was recorded), e.g. "
        '"12.5", from 0 to the monthly maximum.',
    )


class InvoiceIn(Schema):
    member: int
    number: str = Field("", description="Unique for the member.")
    issued_on: str = Field("", description="YYYY-MM-DD.")
    amount_excl_tax: str | float = Field("", description='In euros, e.g. "4250.00".')
    vat_rate: str | float = Field("20.00", description="In percent, from 0 to 100.")


class ContributionIn(Schema):
    member: int = Field(description="The member whose people made the contribution.")
    software: str = Field("", description="The upstream project: its slug in the catalogue.")
    kind: str = Field(
        "",
        description="patch, issue, documentation, translation, release or security_report.",
    )
    title: str = ""
    url: str = Field("", description="An http(s) address, not already logged.")
    status: str = Field("proposed", description="proposed, merged, rejected or withdrawn.")
    embargo_until: str = Field(
        "", description="YYYY-MM-DD, optional: for confidential work, hidden until then."
    )


class EvaluationIn(Schema):
    quality: int | str | None = Field(None, description="From 1 to 5.")
    deadlines: int | str | None = Field(None, description="From 1 to 5.")
    communication: int | str | None = Field(None, description="From 1 to 5.")
    openness: int | str | None = Field(
        None, description="Contributions, documentation handed over: from 1 to 5."
    )
    would_recommend: bool | None = Field(None, description="Required.")
    comment: str = Field("", description="Shown to the members concerned and to coordinators only.")


# Helpers.


def error_message(code: str) -> str:
    """The translated sentence of a missions error code (the code itself if none is written)."""
    if code not in missions_messages.ALL:
        return code
    return missions_messages.error_message(code)


def _mission(request: HttpRequest, mission_id: int) -> Mission:
    """The mission, among those the person may see: another organisation's is a 404."""
    return get_object_or_404(
        access.missions_of_person(request.user).select_related("request"), pk=mission_id
    )


def _member(mission: Mission, member_id: int, allowed: Any, refusal: str) -> MissionMember | Any:
    """The mission's member the body names, if the person speaks for it; else the answer."""
    member = mission.members.filter(pk=member_id).first()
    if member is None:
        return bad_request({"member": [_("This organisation does not work on this mission.")]})
    if not allowed.filter(pk=member.pk).exists():
        raise HttpError(403, refusal)
    return member


def _member_out(member: MissionMember) -> dict[str, Any]:
    organisation = member.organisation
    return {
        "id": member.pk,
        "organisation": {
            "id": organisation.pk,
            "slug": organisation.slug,
            "name": organisation.name,
        },
        "role": member.role,
        "role_label": str(MissionRole(member.role).label),
        "contractor": member.contractor_id,
        "lots": [
            {"id": lot.pk, "number": lot.position, "title": lot.title}
            for lot in sorted(member.lots.all(), key=lambda lot: lot.position)
        ],
        "person_days": decimal_text(member.person_days),
        "day_rate": decimal_text(member.day_rate),
        "total": decimal_text(member.total),
        "delivered_days": decimal_text(member.delivered),  # type: ignore[attr-defined]
        "remaining_days": decimal_text(member.remaining),  # type: ignore[attr-defined]
        "delivered": [
            {"month": f"{row.month:%Y-%m}", "days": decimal_text(row.days)}
            for row in member.delivered_days.all()
        ],
    }


def _invoice_out(invoice: Invoice, member: MissionMember) -> dict[str, Any]:
    return {
        "id": invoice.pk,
        "member": member.pk,
        "organisation": member.organisation.name,
        "number": invoice.number,
        "issued_on": invoice.issued_on,
        "amount_excl_tax": decimal_text(invoice.amount_excl_tax),
        "vat_rate": decimal_text(invoice.vat_rate),
        "vat": decimal_text(invoice.vat),
        "amount_incl_tax": decimal_text(invoice.amount_incl_tax),
        "status": invoice.status,
        "status_label": str(InvoiceStatus(invoice.status).label),
    }


def _contribution_out(contribution: Contribution) -> dict[str, Any]:
    return {
        "id": contribution.pk,
        "organisation": contribution.organisation.name,
        "software": {"slug": contribution.software.slug, "name": contribution.software.name},
        "kind": contribution.kind,
        "kind_label": str(ContributionKind(contribution.kind).label),
        "title": contribution.title,
        "url": contribution.url,
        "status": contribution.status,
        "status_label": str(ContributionStatus(contribution.status).label),
        "embargo_until": contribution.embargo_until,
        "created_at": contribution.created_at,
        "merged_at": contribution.merged_at,
    }


def _mission_out(mission: Mission) -> dict[str, Any]:
    members = mission_members(mission)
    totals = mission_totals(members)
    contributions = mission.contributions.select_related("organisation", "software").order_by(
        "created_at", "pk"
    )
    return {
        "id": mission.pk,
        "reference": mission.reference,
        "title": mission.title,
        "status": mission.status,
        "status_label": str(MissionStatus(mission.status).label),
        "request": mission.request.reference,
        "includes_development": mission.includes_development,
        "starts_on": mission.starts_on,
        "ends_on": mission.ends_on,
        "delivered_at": mission.delivered_at,
        "closed_at": mission.closed_at,
        "members": [_member_out(member) for member in members],
        "person_days": decimal_text(totals["planned"]),
        "delivered_days": decimal_text(totals["delivered"]),
        "total": decimal_text(totals["amount"]),
        "milestones": [
            {
                "id": milestone.pk,
                "title": milestone.title,
                "due_on": milestone.due_on,
                "done": milestone.done_at is not None,
                "done_at": milestone.done_at,
            }
            for milestone in mission.milestones.order_by("due_on", "pk")
        ],
        "invoices": [
            _invoice_out(invoice, member) for member in members for invoice in member.invoices.all()
        ],
        "contributions": [_contribution_out(item) for item in contributions],
    }


# A member's side.


@router.get(
    "/missions",
    response={200: list[MissionRowOut]},
    url_name="missions_list",
    summary="The missions of my organisations, newest first (coordinators: all)",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def missions_list(request: HttpRequest) -> Any:
    return missions_listed(access.missions_of_person(request.user))


@router.get(
    "/missions/{mission_id}",
    response={200: MissionDetailOut, 404: Message},
    url_name="missions_detail",
    summary="One of my missions: members with days and rates, milestones, invoices, contributions",
)
def mission_detail(request: HttpRequest, mission_id: int) -> Any:
    """Every member's day rate and total is shown to the people of the mission's
    organisations, who share one contract; another organisation's mission answers 404."""
    return _mission_out(_mission(request, mission_id))


@router.post(
    "/missions/{mission_id}/days",
    response={200: MemberOut, 400: Errors, 403: Message, 404: Message},
    url_name="missions_days",
    summary="Record (or correct) the days a member delivered in a month",
)
def mission_days(request: HttpRequest, mission_id: int, body: DaysIn) -> Any:
    """For the managers of the member's organisation, or coordinators, while the mission runs
    and until it closes. Answers the member with its delivered days."""
    mission = _mission(request, mission_id)
    managed = access.managed_members(request.user, mission)
    member = _member(
        mission,
        body.member,
        managed,
        _("Only the managers of this organisation, or coordinators, may record its days."),
    )
    if not isinstance(member, MissionMember):
        return member
    form = DaysForm(
        {"member": str(member.pk), "month": body.month, "days": str(body.days)}, members=managed
    )
    if not form.is_valid():
        return bad_request(form.errors)
    try:
        delivery.days_record(
            member=member,
            month=form.cleaned_data["month"],
            days=form.cleaned_data["days"],
            by=request.user,
        )
    except MissionError as error:
        return refused(error, error_message, field_of_code=FIELD_OF_CODE)
    refreshed = next(m for m in mission_members(mission) if m.pk == member.pk)
    return _member_out(refreshed)


@router.post(
    "/missions/{mission_id}/invoices",
    response={201: InvoiceOut, 400: Errors, 403: Message, 404: Message},
    url_name="missions_invoices",
    summary="Record an invoice a member issued for the mission",
)
def mission_invoices(request: HttpRequest, mission_id: int, body: InvoiceIn) -> Any:
    """For the managers of the member's organisation, or coordinators, once the mission
    runs. Amounts are kept exact, to the cent."""
    mission = _mission(request, mission_id)
    managed = access.managed_members(request.user, mission)
    member = _member(
        mission,
        body.member,
        managed,
        _("Only the managers of this organisation, or coordinators, may record its invoices."),
    )
    if not isinstance(member, MissionMember):
        return member
    form = InvoiceForm(
        {
            "member": str(member.pk),
            "number": body.number,
            "issued_on": body.issued_on,
            "amount_excl_tax": str(body.amount_excl_tax),
            "vat_rate": str(body.vat_rate),
        },
        members=managed,
    )
    if not form.is_valid():
        return bad_request(form.errors)
    try:
        invoice = delivery.invoice_add(by=request.user, **form.cleaned_data)
    except MissionError as error:
        return refused(error, error_message, field_of_code=FIELD_OF_CODE)
    return Status(201, _invoice_out(invoice, member))


def _contribution_fields(body: ContributionIn) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The contribution's values read from the body, and the refusals by field. The rules on
    the kind, status, title and address are the service's (one refusal at a time)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    software = (
        Software.objects.filter(slug=body.software.strip(), merged_into__isnull=True).first()
        if body.software.strip()
        else None
    )
    if software is None:
        errors["software"] = [_("Give the upstream project's identifier in the catalogue.")]
    values["software"] = software
    values.update(kind=body.kind, status=body.status, title=body.title, url=body.url)
    values["embargo_until"] = None
    if body.embargo_until.strip():
        try:
            values["embargo_until"] = date.fromisoformat(body.embargo_until.strip())
        except ValueError:
            errors["embargo_until"] = [_("Give the date as year-month-day, e.g. 2026-12-31.")]
    return values, errors


@router.post(
    "/missions/{mission_id}/contributions",
    response={201: ContributionOut, 400: Errors, 403: Message, 404: Message},
    url_name="missions_contributions",
    summary="Log an upstream contribution made during the mission",
)
def mission_contributions(request: HttpRequest, mission_id: int, body: ContributionIn) -> Any:
    """Any person of the member's organisation, or a coordinator. The address must be
    http(s) and not already logged; an embargo date hides the link and title from the
    public until then."""
    mission = _mission(request, mission_id)
    member = _member(
        mission,
        body.member,
        access.own_members(request.user, mission),
        _("Only the people of this organisation, or coordinators, may log its contributions."),
    )
    if not isinstance(member, MissionMember):
        return member
    values, errors = _contribution_fields(body)
    if errors:
        return bad_request(errors)
    try:
        contribution = contributions_service.contribution_add(
            mission=mission, organisation=member.organisation, by=request.user, **values
        )
    except MissionError as error:
        return refused(error, error_message, field_of_code=FIELD_OF_CODE)
    contribution = Contribution.objects.select_related("organisation", "software").get(
        pk=contribution.pk
    )
    return Status(201, _contribution_out(contribution))


# The client's side, public.


def _ratings(body: EvaluationIn) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The four ratings as whole numbers, and the refusals by field (in the words of the
    evaluation page)."""
    ratings: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for criterion in CRITERIA:
        value = getattr(body, criterion)
        if value is None or str(value).strip() == "":
            errors[criterion] = [error_message("rating_missing")]
            continue
        try:
            rating = int(str(value).strip())
        except ValueError:
            rating = LOWEST - 1
        if isinstance(value, bool) or not LOWEST <= rating <= HIGHEST:
            errors[criterion] = [error_message("rating_out_of_range")]
        else:
            ratings[criterion] = rating
    if body.would_recommend is None:
        errors["would_recommend"] = [_("Say whether you would recommend this work: true or false.")]
    return ratings, errors


def _evaluation_out(evaluation: Evaluation) -> dict[str, Any]:
    mission = evaluation.mission
    return {
        "mission": mission.reference,
        "title": mission.title,
        "score": decimal_text(evaluation.score) if evaluation.score is not None else None,
        "would_recommend": evaluation.would_recommend,
        "submitted_at": evaluation.submitted_at,
        "editable": evaluation_editable(mission.status),
    }


@router.post(
    "/missions/evaluation/{token}",
    auth=None,
    response={200: EvaluationOut, 400: Errors, 404: Message, 410: Message},
    url_name="missions_evaluation",
    summary="Submit (or change) the client's evaluation, with the token of its emailed link",
)
def mission_evaluation(request: HttpRequest, token: str, body: EvaluationIn) -> Any:
    """No account needed: the token from the emailed link is the credential, and opens this
    one evaluation only. Four ratings from 1 to 5, whether you would recommend the work, and
    a free comment shown only to the members concerned and the coordinators. A delivered
    mission may be evaluated, and the evaluation changed until the mission closes."""
    try:
        evaluation = evaluations_service.evaluation_find(token)
    except MissionError as error:
        return Status(LINK_STATUS.get(error.code, 404), {"detail": error_message(error.code)})
    ratings, errors = _ratings(body)
    if errors:
        return bad_request(errors)
    try:
        evaluation = evaluations_service.evaluation_submit(
            evaluation=evaluation,
            ratings=ratings,
            would_recommend=bool(body.would_recommend),
            comment=body.comment.strip(),
        )
    except MissionError as error:
        if error.code in LINK_STATUS:  # expired while the client was answering
            return Status(LINK_STATUS[error.code], {"detail": error_message(error.code)})
        return refused(error, error_message, field_of_code=FIELD_OF_CODE)
    evaluation = Evaluation.objects.select_related("mission").get(pk=evaluation.pk)
    return _evaluation_out(evaluation)
