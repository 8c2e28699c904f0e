"""A member's side of the guichet: the lots its organisation is proposed for, and its answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guichet.needs.access import shortlist_entries_of_member
from guichet.needs.messages import error_message
from guichet.needs.models import Consortium
from guichet.needs.reasons import component_label, component_sentence
from guichet.needs.services.consortia import consortium_total
from guichet.needs.services.shortlists import ShortlistError, member_respond
from guichet.needs.views.consortium import money
from guichet.network.access import can_manage
from guichet.network.models import Membership

PAGE_SIZE = 20


def _consortium_of(request: HttpRequest, request_pk: int) -> dict[str, Any]:
    """The request's consortium, if any: its composition for every member proposed, its
    day rates only for the people of its own organisations."""
    consortium = Consortium.objects.filter(request_id=request_pk).first()
    if consortium is None:
        return {"consortium": None}
    members = list(
        consortium.members.select_related("organisation")
        .prefetch_related("lots")
        .order_by("role", "organisation__name")
    )
    mine = set(
        Membership.objects.filter(
            person_id=request.user.pk, organisation__in=[m.organisation_id for m in members]
        ).values_list("organisation_id", flat=True)
    )
    for member in members:
        member.lot_list = sorted(member.lots.all(), key=lambda lot: lot.position)  # type: ignore[attr-defined]
        member.mine = member.organisation_id in mine  # type: ignore[attr-defined]
    return {
        "consortium": consortium,
        "consortium_members": members,
        "sees_rates": bool(mine),
        # Subcontractors' amounts are inside their contractors' shares: not added again.
        "consortium_total": money(consortium_total(consortium, members)),
    }


@require_safe
@login_required
def entries(request: HttpRequest) -> HttpResponse:
    found = (
        shortlist_entries_of_member(request.user)
        .select_related("lot__request", "organisation")
        .order_by("-sent_at", "pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/member/entries.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        shortlist_entries_of_member(request.user).select_related(
            "lot__request", "lot__commune", "organisation"
        ),
        pk=pk,
    )
    may_answer = can_manage(request.user, found.organisation)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if not may_answer or answer not in {"accept", "decline"}:
            return HttpResponse(status=400 if may_answer else 403)
        try:
            member_respond(entry=found, accepted=answer == "accept", by=request.user)
        except ShortlistError as error:
            messages.error(request, error_message(error.code))
        else:
            messages.success(
                request,
                _("Your answer is recorded: the client and the coordinators see it.")
                if answer == "accept"
                else _("Your answer is recorded: you will not be proposed for this lot again."),
            )
        return redirect("needs:member_entry", pk=found.pk)
    reasons = [
        (component_label(item["name"]), component_sentence(item["reason"]))
        for item in found.explanation.get("components", [])
    ]
    context = {
        **_consortium_of(request, found.lot.request_id),
        "entry": found,
        "lot": found.lot,
        "software": list(found.lot.software.order_by("name")),
        "reasons": reasons,
        "may_answer": may_answer,
    }
    return render(request, "needs/member/entry.html", context)
