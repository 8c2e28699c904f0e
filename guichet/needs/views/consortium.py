"""A request's consortium (groupement), for coordinators: propose it from the request's
page, then its kind, lead, members' days and day rates, totals, and the response document.

Same rule as the other coordination pages: anyone signed in who does not coordinate finds no
page (404). After a tender's bid deadline the consortium is frozen: its forms are gone and
what is still posted is refused with a message.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guichet.needs.forms_consortium import ConsortiumKindForm, ConsortiumMemberForm
from guichet.needs.messages import message_for
from guichet.needs.models import Consortium, ConsortiumMember, Lot, Request
from guichet.needs.response_document import response_document
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_kind_set,
    consortium_lead_set,
    consortium_member_update,
    consortium_propose,
)
from guichet.needs.views.coordination import coordinator_required

ODT = "application/vnd.oasis.opendocument.text"


def money(amount: Decimal) -> str:
    """An amount in euros, in the active language, with two decimals."""
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _consortium(pk: int) -> Consortium:
    return get_object_or_404(Consortium.objects.select_related("request"), request_id=pk)


def _members(consortium: Consortium) -> list[ConsortiumMember]:
    return list(
        consortium.members.select_related("organisation")
        .prefetch_related("lots")
        .order_by("role", "organisation__name")
    )


def _refusal(error: ConsortiumError) -> str:
    if error.code == "no_consortium" and error.lot is not None:
        lot = Lot.objects.filter(pk=error.lot).first()
        if lot is not None:
            return _(
                "No consortium can cover every lot: nobody proposed can take lot %(number)s "
                "(%(title)s)."
            ) % {"number": lot.position, "title": lot.title}
    return message_for(error.code)


@require_POST
@coordinator_required
def propose(http: HttpRequest, pk: int) -> HttpResponse:
    request = get_object_or_404(Request, pk=pk)
    if Consortium.objects.filter(request=request).exists():
        messages.error(http, message_for("consortium_exists"))
        return redirect("needs:coordination_consortium", request.pk)
    try:
        consortium_propose(request=request, by=http.user)
    except ConsortiumError as error:
        messages.error(http, _refusal(error))
        return redirect("needs:coordination_request", request.pk)
    messages.success(
        http, _("The consortium is proposed: check its lead, days and day rates below.")
    )
    return redirect("needs:coordination_consortium", request.pk)


def _page(
    http: HttpRequest,
    consortium: Consortium,
    *,
    kind_form: ConsortiumKindForm | None = None,
    failed: ConsortiumMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    frozen = consortium_is_frozen(consortium)
    members = _members(consortium)
    total = Decimal("0.00")
    for member in members:
        total += member.total
        member.day_rate_display = money(member.day_rate)  # type: ignore[attr-defined]
        member.total_display = money(member.total)  # type: ignore[attr-defined]
        member.lot_list = sorted(member.lots.all(), key=lambda lot: lot.position)  # type: ignore[attr-defined]
        member.form = (  # type: ignore[attr-defined]
            None
            if frozen
            else failed
            if failed is not None and failed.member.pk == member.pk
            else ConsortiumMemberForm(member=member)
        )
    context = {
        "req": consortium.request,
        "consortium": consortium,
        "members": members,
        "lead": next((m for m in members if m.role == "lead"), None),
        "total_days": sum((m.person_days for m in members), Decimal(0)),
        "total": money(total),
        "frozen": frozen,
        "kind_form": None
        if frozen
        else kind_form or ConsortiumKindForm(initial={"kind": consortium.kind}),
        "form": failed or kind_form,
    }
    return render(http, "needs/coordination/consortium.html", context, status=status)


@require_safe
@coordinator_required
def consortium_page(http: HttpRequest, pk: int) -> HttpResponse:
    return _page(http, _consortium(pk))


def _refuse_frozen(http: HttpRequest, consortium: Consortium) -> HttpResponse | None:
    if consortium_is_frozen(consortium):
        messages.error(http, message_for("consortium_frozen"))
        return redirect("needs:coordination_consortium", consortium.request_id)
    return None


@require_POST
@coordinator_required
def consortium_kind(http: HttpRequest, pk: int) -> HttpResponse:
    consortium = _consortium(pk)
    if refused := _refuse_frozen(http, consortium):
        return refused
    form = ConsortiumKindForm(http.POST)
    if form.is_valid():
        try:
            consortium_kind_set(consortium=consortium, kind=form.cleaned_data["kind"], by=http.user)
        except ConsortiumError as error:
            form.add_error(None, message_for(error.code))
        else:
            messages.success(http, _("The kind of consortium is saved."))
            return redirect("needs:coordination_consortium", pk)
    return _page(http, consortium, kind_form=form, status=400)


def _member(consortium: Consortium, member: int) -> ConsortiumMember:
    return get_object_or_404(
        consortium.members.select_related("organisation", "consortium__request"), pk=member
    )


@require_POST
@coordinator_required
def consortium_member(http: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _consortium(pk)
    item = _member(consortium, member)
    if refused := _refuse_frozen(http, consortium):
        return refused
    form = ConsortiumMemberForm(http.POST, member=item)
    if form.is_valid():
        try:
            consortium_member_update(
                member=item,
                person_days=form.cleaned_data["person_days"],
                day_rate=form.cleaned_data["day_rate"],
                by=http.user,
            )
        except ConsortiumError as error:
            form.add_error(None, message_for(error.code))
        else:
            messages.success(
                http,
                _("%(organisation)s: days and day rate are saved.")
                % {"organisation": item.organisation.name},
            )
            return redirect("needs:coordination_consortium", pk)
    return _page(http, consortium, failed=form, status=400)


@require_POST
@coordinator_required
def consortium_lead(http: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _consortium(pk)
    item = _member(consortium, member)
    if refused := _refuse_frozen(http, consortium):
        return refused
    try:
        consortium_lead_set(consortium=consortium, organisation=item.organisation, by=http.user)
    except ConsortiumError as error:
        messages.error(http, message_for(error.code))
    else:
        messages.success(
            http,
            _("%(organisation)s is now the lead (mandataire).")
            % {"organisation": item.organisation.name},
        )
    return redirect("needs:coordination_consortium", pk)


@require_safe
@coordinator_required
def consortium_odt(http: HttpRequest, pk: int) -> HttpResponse:
    """The response document, in the page's language, always downloaded."""
    consortium = _consortium(pk)
    response = HttpResponse(response_document(consortium), content_type=ODT)
    name = f"{consortium.request.reference}-groupement.odt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
