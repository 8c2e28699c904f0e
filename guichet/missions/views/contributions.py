"""Upstream contributions, as pages: logging one and changing its status (the people of the
mission's organisations, and coordinators), the justification for giving nothing back
(written by a member's manager, approved by a coordinator), and the public page of what
the network gave back, with its open data as CSV.

A mission is looked up among those the person may open, a contribution among those of the
person's own organisations on it: anyone else finds no page (404). Who sees the
justification page but may not do the step posted is refused (403). Views stay thin: forms
check the input, services write, selectors read.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guichet.missions import access
from guichet.missions.domain import workflow
from guichet.missions.forms_contributions import (
    ContributionForm,
    ContributionUpdateForm,
    JustificationForm,
)
from guichet.missions.messages import error_message
from guichet.missions.models import Contribution, Mission
from guichet.missions.selectors_contributions import (
    given_back,
    justification_state,
    public_contributions,
    public_view,
)
from guichet.missions.services.common import MissionError
from guichet.missions.services.contributions import (
    contribution_add as contribution_add_service,
)
from guichet.missions.services.contributions import (
    contribution_update,
    justification_approve,
    justification_submit,
    may_justify,
)
from guichet.network.exports import LICENCE_URL
from guichet.network.models import Software

GET_OR_POST = ["GET", "HEAD", "POST"]
PAGE_SIZE = 25
# The form field each service refusal is about (else shown on top of the form).
FIELD_OF = {
    "url_not_http": "url",
    "url_too_long": "url",
    "url_duplicate": "url",
    "contribution_title_missing": "title",
    "contribution_title_too_long": "title",
    "contribution_kind_unknown": "kind",
    "contribution_status_unknown": "status",
    "organisation_not_member": "organisation",
    "justification_too_short": "text",
    "justification_too_long": "text",
}


def _mission(http: HttpRequest, pk: int) -> Mission:
    return get_object_or_404(access.missions_of_person(http.user).select_related("request"), pk=pk)


def _mission_url(mission: Mission, anchor: str = "contributions") -> str:
    return reverse("missions:mission", args=[mission.pk]) + f"#{anchor}"


def _refuse_cancelled(http: HttpRequest, mission: Mission) -> HttpResponse | None:
    if mission.status == workflow.CANCELLED:
        messages.error(http, error_message("contributions_not_open"))
        return redirect(_mission_url(mission))
    return None


def _refusal_on(form: Any, error: MissionError) -> None:
    form.add_error(FIELD_OF.get(error.code), error_message(error.code))


def _lot_software(mission: Mission) -> list[Software]:
    return list(
        Software.objects.filter(lots__missions=mission, merged_into__isnull=True)
        .distinct()
        .order_by("name")
    )


# --- Logging a contribution, changing it ---------------------------------------------------


@require_http_methods(GET_OR_POST)
@login_required
def contribution_add(http: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(http, pk)
    members = list(
        access.own_members(http.user, mission)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if not members:
        raise Http404
    if refused := _refuse_cancelled(http, mission):
        return refused
    form = ContributionForm(
        http.POST if http.method == "POST" else None,
        members=members,
        lot_software=_lot_software(mission),
    )
    if http.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution = contribution_add_service(
                mission=mission,
                organisation=form.organisation_out(),
                software=data["project"],
                kind=data["kind"],
                title=data["title"],
                url=data["url"],
                status=data["status"],
                embargo_until=data["embargo_until"],
                by=http.user,
            )
        except MissionError as error:
            _refusal_on(form, error)
        else:
            messages.success(
                http,
                _("The contribution to %(project)s is logged.")
                % {"project": contribution.software.name},
            )
            return redirect(_mission_url(mission))
    context = {"mission": mission, "form": form}
    return render(
        http, "missions/contributions/add.html", context, status=400 if form.errors else 200
    )


@require_http_methods(GET_OR_POST)
@login_required
def contribution_edit(http: HttpRequest, pk: int, contribution: int) -> HttpResponse:
    mission = _mission(http, pk)
    mine = access.own_members(http.user, mission).values("organisation_id")
    item: Contribution = get_object_or_404(
        mission.contributions.filter(organisation__in=mine).select_related(
            "organisation", "software"
        ),
        pk=contribution,
    )
    if refused := _refuse_cancelled(http, mission):
        return refused
    form = ContributionUpdateForm(
        http.POST if http.method == "POST" else None,
        initial={"status": item.status, "embargo_until": item.embargo_until},
    )
    if http.method == "POST" and form.is_valid():
        try:
            contribution_update(
                contribution=item,
                status=form.cleaned_data["status"],
                embargo_until=form.cleaned_data["embargo_until"],
                by=http.user,
            )
        except MissionError as error:
            _refusal_on(form, error)
        else:
            messages.success(
                http,
                _("The contribution “%(title)s” is saved.") % {"title": item.title},
            )
            return redirect(_mission_url(mission))
    context = {
        "mission": mission,
        "contribution": item,
        "form": form,
        "public": public_view(item),
    }
    return render(
        http, "missions/contributions/edit.html", context, status=400 if form.errors else 200
    )


# --- The justification for giving nothing back ---------------------------------------------


@require_http_methods(GET_OR_POST)
@login_required
def justification(http: HttpRequest, pk: int) -> HttpResponse:
    """Everyone of the mission reads it; a member's manager (or a coordinator) writes it
    (action "submit"), a coordinator approves it (action "approve")."""
    mission = _mission(http, pk)
    ended = mission.status in workflow.ENDED
    writes = mission.includes_development and not ended and may_justify(http.user, mission)
    approves = (
        mission.includes_development
        and not ended
        and access.can_coordinate(http.user)
        and bool(mission.justification.strip())
        and mission.justification_approved_at is None
    )
    form = JustificationForm(initial={"text": mission.justification})
    if http.method == "POST":
        action = http.POST.get("action")
        if action == "approve":
            if not access.can_coordinate(http.user):
                return HttpResponse(status=403)
            try:
                justification_approve(mission=mission, by=http.user)
            except MissionError as error:
                messages.error(http, error_message(error.code))
            else:
                messages.success(
                    http, _("The justification is approved: the mission may now close.")
                )
            return redirect("missions:justification", mission.pk)
        if not may_justify(http.user, mission):
            return HttpResponse(status=403)
        form = JustificationForm(http.POST)
        if form.is_valid():
            try:
                justification_submit(mission=mission, text=form.cleaned_data["text"], by=http.user)
            except MissionError as error:
                _refusal_on(form, error)
            else:
                messages.success(http, _("The justification is saved: a coordinator will read it."))
                return redirect("missions:justification", mission.pk)
    context = {
        "mission": mission,
        "state": justification_state(mission),
        "contributions": mission.contributions.count(),
        "form": form if writes or form.errors else None,
        "approves": approves,
        "ended": ended,
    }
    return render(
        http,
        "missions/contributions/justification.html",
        context,
        status=400 if form.errors else 200,
    )


# --- What the network gave back, publicly ----------------------------------------------------


@require_safe
def given_back_page(http: HttpRequest) -> HttpResponse:
    """Contributions counted by project and by member, and listed (filtered by one of them
    when asked). A fixed number of queries, however many contributions."""
    groups = given_back()
    found = public_contributions()
    wanted_project = http.GET.get("software", "")
    wanted_member = http.GET.get("member", "")
    project = next((g for g in groups.by_project if g.slug == wanted_project), None)
    member = next((g for g in groups.by_member if g.slug == wanted_member), None)
    params = {}
    if project is not None:
        found = found.filter(software__slug=project.slug)
        params["software"] = project.slug
    if member is not None:
        found = found.filter(organisation__slug=member.slug)
        params["member"] = member.slug
    page = Paginator(found, PAGE_SIZE).get_page(http.GET.get("page"))
    today = timezone.localdate()
    context = {
        "groups": groups,
        "page": page,
        "rows": [public_view(item, today=today) for item in page.object_list],
        "project": project,
        "member": member,
        "base_query": urlencode(params),
    }
    return render(http, "missions/contributions/given_back.html", context)


CSV_COLUMNS = [
    "project_slug",
    "project",
    "member_slug",
    "member",
    "details_public",
    "kind",
    "status",
    "title",
    "url",
    "date",
]


@require_safe
def given_back_csv(http: HttpRequest) -> HttpResponse:
    """The public list as CSV (open data, Licence Ouverte 2.0): embargoed contributions
    without their details, as on the page."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    today = timezone.localdate()
    for item in public_contributions().iterator(chunk_size=500):
        row = public_view(item, today=today)
        writer.writerow(
            [
                row.software_slug,
                row.software_name,
                row.organisation_slug,
                row.organisation_name,
                "yes" if row.public else "no",
                row.kind,
                row.status,
                row.title,
                row.url,
                row.on.isoformat() if row.on else "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"guichet-contributions-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
