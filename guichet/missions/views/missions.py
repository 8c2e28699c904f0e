"""A mission's pages: the list (coordinators and members), starting one, and its page with
the forms of each step. Every form posts to the page's own address with an `action`; an
invalid form comes back filled in, with its errors, status 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guichet.missions import access
from guichet.missions.domain import workflow
from guichet.missions.forms import (
    DaysForm,
    DocumentForm,
    InvoiceForm,
    InvoiceStatusForm,
    MilestoneForm,
    MissionForm,
    MoveForm,
)
from guichet.missions.messages import error_message
from guichet.missions.models import Invoice, Milestone, Mission, MissionStatus
from guichet.missions.selectors import (
    mission_members,
    mission_totals,
    missions_listed,
    ready_to_start,
)
from guichet.missions.selectors_contributions import contribution_section
from guichet.missions.selectors_evaluations import evaluations_for_mission
from guichet.missions.services import delivery
from guichet.missions.services import missions as missions_service
from guichet.missions.services.common import MissionError
from guichet.needs.models import Consortium, ShortlistEntry

PAGE_SIZE = 20
View = Any


@require_safe
@login_required
def missions_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in MissionStatus.values:
        status = ""
    found = missions_listed(access.missions_of_person(request.user), status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    coordinating = access.can_coordinate(request.user)
    context = {
        "page": page,
        "status": status,
        "statuses": MissionStatus.choices,
        "base_query": f"status={status}" if status else "",
        "coordinating": coordinating,
        **(ready_to_start() if coordinating else {}),
    }
    return render(request, "missions/list.html", context)


@require_POST
@login_required
def mission_start(request: HttpRequest) -> HttpResponse:
    """Start a mission from a consortium or from a chosen provider (coordinators)."""
    if not access.can_coordinate(request.user):
        raise Http404
    development = request.POST.get("includes_development") == "on"
    try:
        if request.POST.get("consortium"):
            consortium = get_object_or_404(Consortium, pk=request.POST.get("consortium"))
            mission = missions_service.mission_from_consortium(
                consortium=consortium, by=request.user, includes_development=development
            )
        else:
            entry = get_object_or_404(
                ShortlistEntry, pk=request.POST.get("entry"), chosen_at__isnull=False
            )
            mission = missions_service.mission_from_choice(
                entry=entry, by=request.user, includes_development=development
            )
    except (ValueError, TypeError):
        raise Http404 from None
    except MissionError as error:
        messages.error(request, error_message(error.code))
        return redirect("missions:list")
    messages.success(request, _("The mission starts: its members are told by email."))
    return redirect("missions:mission", pk=mission.pk)


def _mission(request: HttpRequest, pk: int) -> Mission:
    return get_object_or_404(
        access.missions_of_person(request.user).select_related("request", "consortium"), pk=pk
    )


def _forms(request: HttpRequest, mission: Mission, bound: dict[str, Any]) -> dict[str, Any]:
    """Each form the person may use on this mission, bound when it was just posted."""
    ended = mission.status in workflow.ENDED
    steer = access.may_steer(request.user, mission)
    managed = access.managed_members(request.user, mission).select_related("organisation")
    found: dict[str, Any] = {}
    if steer and not ended:
        found["move_form"] = bound.get("move") or MoveForm(current=mission.status)
        found["milestone_form"] = bound.get("milestone") or MilestoneForm()
    if access.can_coordinate(request.user) and not ended:
        found["mission_form"] = bound.get("edit") or MissionForm(
            initial={
                "title": mission.title,
                "includes_development": mission.includes_development,
                "starts_on": mission.starts_on,
                "ends_on": mission.ends_on,
            }
        )
    if managed.exists() and mission.status in delivery.DAYS_OPEN:
        found["days_form"] = bound.get("days") or DaysForm(members=managed)
    if managed.exists() and mission.status not in (MissionStatus.PLANNED, MissionStatus.CANCELLED):
        found["invoice_form"] = bound.get("invoice") or InvoiceForm(members=managed)
    if not ended:
        found["document_form"] = bound.get("document") or DocumentForm()
    found["managed_ids"] = {member.pk for member in managed}
    found["may_steer"] = steer
    return found


def _page(
    request: HttpRequest, mission: Mission, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    members = mission_members(mission)
    failed = next(iter((bound or {}).values()), None)
    context = {
        "mission": mission,
        "req": mission.request,
        "members": members,
        "totals": mission_totals(members),
        "has_invoices": any(member.invoices.all() for member in members),
        "milestones": list(mission.milestones.order_by("due_on", "pk")),
        "documents": list(mission.documents.order_by("uploaded_at", "pk")),
        "events": list(mission.events.select_related("by").order_by("-at", "-pk")[:30]),
        "coordinating": access.can_coordinate(request.user),
        "form": failed,
        "evaluations": evaluations_for_mission(mission=mission, user=request.user),
        **contribution_section(mission=mission, user=request.user),
        **_forms(request, mission, bound or {}),
    }
    return render(request, "missions/mission.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(request, pk)
    if request.method != "POST":
        return _page(request, mission)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=400)
    return handler(request, mission)  # type: ignore[no-any-return]


def _done(request: HttpRequest, mission: Mission, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("missions:mission", pk=mission.pk)


def _refused(
    request: HttpRequest, mission: Mission, key: str, form: Any, error: MissionError
) -> HttpResponse:
    form.add_error(None, error_message(error.code))
    return _page(request, mission, {key: form}, status=400)


def _move(request: HttpRequest, mission: Mission) -> HttpResponse:
    if not access.may_steer(request.user, mission):
        return HttpResponse(status=403)
    form = MoveForm(request.POST, current=mission.status)
    if form.is_valid():
        try:
            missions_service.mission_move(
                mission=mission, target=form.cleaned_data["target"], by=request.user
            )
        except MissionError as error:
            return _refused(request, mission, "move", form, error)
        return _done(request, mission, _("The mission's status is changed."))
    return _page(request, mission, {"move": form}, status=400)


def _edit(request: HttpRequest, mission: Mission) -> HttpResponse:
    if not access.can_coordinate(request.user):
        return HttpResponse(status=403)
    form = MissionForm(request.POST)
    if form.is_valid():
        try:
            missions_service.mission_update(mission=mission, by=request.user, **form.cleaned_data)
        except MissionError as error:
            return _refused(request, mission, "edit", form, error)
        return _done(request, mission, _("The mission is updated."))
    return _page(request, mission, {"edit": form}, status=400)


def _milestone(request: HttpRequest, mission: Mission) -> HttpResponse:
    if not access.may_steer(request.user, mission):
        return HttpResponse(status=403)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            missions_service.milestone_add(mission=mission, by=request.user, **form.cleaned_data)
        except MissionError as error:
            return _refused(request, mission, "milestone", form, error)
        return _done(request, mission, _("The milestone is added."))
    return _page(request, mission, {"milestone": form}, status=400)


def _milestone_done(request: HttpRequest, mission: Mission) -> HttpResponse:
    if not access.may_steer(request.user, mission):
        return HttpResponse(status=403)
    milestone = get_object_or_404(Milestone, mission=mission, pk=request.POST.get("milestone") or 0)
    try:
        missions_service.milestone_done(
            milestone=milestone, done=request.POST.get("done") == "1", by=request.user
        )
    except MissionError as error:
        messages.error(request, error_message(error.code))
        return redirect("missions:mission", pk=mission.pk)
    return _done(request, mission, _("The milestone is updated."))


def _days(request: HttpRequest, mission: Mission) -> HttpResponse:
    form = DaysForm(request.POST, members=access.managed_members(request.user, mission))
    if form.is_valid():
        try:
            delivery.days_record(
                member=form.cleaned_data["member"],
                month=form.cleaned_data["month"],
                days=form.cleaned_data["days"],
                by=request.user,
            )
        except MissionError as error:
            return _refused(request, mission, "days", form, error)
        return _done(request, mission, _("The delivered days are recorded."))
    return _page(request, mission, {"days": form}, status=400)


def _invoice(request: HttpRequest, mission: Mission) -> HttpResponse:
    form = InvoiceForm(request.POST, members=access.managed_members(request.user, mission))
    if form.is_valid():
        try:
            delivery.invoice_add(by=request.user, **form.cleaned_data)
        except MissionError as error:
            return _refused(request, mission, "invoice", form, error)
        return _done(request, mission, _("The invoice is recorded."))
    return _page(request, mission, {"invoice": form}, status=400)


def _invoice_status(request: HttpRequest, mission: Mission) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice,
        member__in=access.managed_members(request.user, mission),
        pk=request.POST.get("invoice") or 0,
    )
    form = InvoiceStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        delivery.invoice_status_set(
            invoice=invoice, status=form.cleaned_data["status"], by=request.user
        )
    except MissionError as error:
        messages.error(request, error_message(error.code))
        return redirect("missions:mission", pk=mission.pk)
    return _done(request, mission, _("The invoice's status is changed."))


def _document(request: HttpRequest, mission: Mission) -> HttpResponse:
    if mission.status in workflow.ENDED:
        return HttpResponse(status=400)
    form = DocumentForm(request.POST, request.FILES, session=request.session)
    if form.is_valid():
        missions_service.document_add(
            mission=mission, document=form.cleaned_data["file"], by=request.user
        )
        return _done(request, mission, _("The document is attached."))
    return _page(request, mission, {"document": form}, status=400)


ACTIONS: dict[str, View] = {
    "move": _move,
    "edit": _edit,
    "milestone": _milestone,
    "milestone_done": _milestone_done,
    "days": _days,
    "invoice": _invoice,
    "invoice_status": _invoice_status,
    "document": _document,
}


@require_safe
@login_required
def mission_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    mission = _mission(request, pk)
    document = get_object_or_404(mission.documents, pk=doc)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
