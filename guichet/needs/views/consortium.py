"""A request's consortium (groupement), for coordinators: propose it from the request's
page, then its kind, lead, members' days and day rates, subcontractors, totals, and the
response document.

Same rule as the other coordination pages: anyone signed in who does not coordinate finds no
page (404). After a tender's bid deadline the consortium is frozen: its forms are gone and
what is still posted is refused with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guichet.core.pdf import PdfError, odt_to_pdf, pdf_available
from guichet.needs.forms_consortium import (
    ConsortiumKindForm,
    ConsortiumMemberForm,
    SubcontractorForm,
)
from guichet.needs.messages import message_for
from guichet.needs.models import Consortium, ConsortiumMember, ConsortiumRole, Lot, Request
from guichet.needs.response_document import response_document
from guichet.needs.selectors_consortia import ConsortiumLayout, consortium_layout, consortium_why
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_kind_set,
    consortium_lead_set,
    consortium_member_update,
    consortium_propose,
    consortium_subcontractor_add,
    consortium_subcontractor_remove,
)
from guichet.needs.views.coordination import coordinator_required

ODT = "application/vnd.oasis.opendocument.text"


def money(amount: Decimal) -> str:
    """An amount in euros, in the active language, with two decimals."""
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _consortium(pk: int) -> Consortium:
    return get_object_or_404(Consortium.objects.select_related("request"), request_id=pk)


MemberUrl = Callable[[ConsortiumMember], str | None]


def decorate(
    layout: ConsortiumLayout,
    *,
    lead_url: MemberUrl | None = None,
    lead_label: str = "",
    remove_url: MemberUrl | None = None,
) -> None:
    """Amounts in the page's language, and each member's action buttons (None: no button)."""
    for member in layout.members:
        member.day_rate_display = money(member.day_rate)  # type: ignore[attr-defined]
        member.total_display = money(member.total)  # type: ignore[attr-defined]
        member.lead_url = lead_url(member) if lead_url else None  # type: ignore[attr-defined]
        member.lead_label = lead_label % {"name": member.organisation.name}  # type: ignore[attr-defined]
        member.remove_url = remove_url(member) if remove_url else None  # type: ignore[attr-defined]
    for share in layout.contractors:
        share.subcontracted_display = money(share.subcontracted)  # type: ignore[attr-defined]


def subcontractor_form(
    layout: ConsortiumLayout,
    contractors: Sequence[ConsortiumMember],
    data: object = None,
) -> SubcontractorForm:
    """The form offers these contractors and their lots only."""
    lots = sorted(
        {lot for member in contractors for lot in member.lot_list},  # type: ignore[attr-defined]
        key=lambda lot: lot.position,
    )
    return SubcontractorForm(data, contractors=contractors, lots=lots)


# Where a refusal of the subcontractor service is shown: next to its field, or on top.
SUBCONTRACTOR_FIELDS = {
    "already_in_consortium": "organisation",
    "subcontractor_without_lots": "lots",
    "subcontractor_lots_not_contractors": "lots",
    "subcontractor_needs_contractor": "contractor",
    "invalid_person_days": "person_days",
    "invalid_day_rate": "day_rate",
}


def subcontractor_add(
    form: SubcontractorForm, consortium: Consortium, layout: ConsortiumLayout, by: object
) -> ConsortiumMember | None:
    """Validate and save; on a refusal, its message goes on the form and None comes back."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    contractor = next(m for m in layout.members if m.pk == data["contractor"])
    try:
        return consortium_subcontractor_add(
            consortium=consortium,
            contractor=contractor,
            organisation=data["organisation"],
            lots=Lot.objects.filter(request_id=consortium.request_id, pk__in=data["lots"]),
            person_days=data["person_days"],
            day_rate=data["day_rate"],
            by=by,
        )
    except ConsortiumError as error:
        form.add_error(SUBCONTRACTOR_FIELDS.get(error.code), message_for(error.code))
        return None


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
    sub_form: SubcontractorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    frozen = consortium_is_frozen(consortium)
    layout = consortium_layout(consortium)
    pk = consortium.request_id
    decorate(
        layout,
        lead_url=lambda m: (
            None
            if frozen or m.role != ConsortiumRole.CO_CONTRACTOR
            else reverse("needs:coordination_consortium_lead", args=[pk, m.pk])
        ),
        lead_label=_("Make %(name)s the lead"),
        remove_url=lambda m: (
            None
            if frozen or m.role != ConsortiumRole.SUBCONTRACTOR
            else reverse("needs:coordination_consortium_subcontractor_remove", args=[pk, m.pk])
        ),
    )
    for member in layout.members:
        member.form = (  # type: ignore[attr-defined]
            None
            if frozen
            else failed
            if failed is not None and failed.member.pk == member.pk
            else ConsortiumMemberForm(member=member)
        )
    contractors = [share.member for share in layout.contractors]
    context = {
        "req": consortium.request,
        "consortium": consortium,
        "layout": layout,
        "members": layout.members,
        "lead": layout.lead,
        "total": money(layout.total),
        "frozen": frozen,
        "actions": not frozen,
        "kind_form": None
        if frozen
        else kind_form or ConsortiumKindForm(initial={"kind": consortium.kind}),
        "sub_form": None if frozen else sub_form or subcontractor_form(layout, contractors),
        "sub_url": reverse("needs:coordination_consortium_subcontractor_add", args=[pk]),
        "form": failed or kind_form or sub_form,
        "pdf": pdf_available(),
        "why": consortium_why(consortium),
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


@require_POST
@coordinator_required
def consortium_subcontractor_new(http: HttpRequest, pk: int) -> HttpResponse:
    consortium = _consortium(pk)
    if refused := _refuse_frozen(http, consortium):
        return refused
    layout = consortium_layout(consortium)
    form = subcontractor_form(layout, [share.member for share in layout.contractors], http.POST)
    added = subcontractor_add(form, consortium, layout, http.user)
    if added is None:
        return _page(http, consortium, sub_form=form, status=400)
    return subcontractor_added(http, added, "needs:coordination_consortium", pk)


@require_POST
@coordinator_required
def consortium_subcontractor_delete(http: HttpRequest, pk: int, member: int) -> HttpResponse:
    consortium = _consortium(pk)
    item = _member(consortium, member)
    if refused := _refuse_frozen(http, consortium):
        return refused
    return subcontractor_removed(http, item, "needs:coordination_consortium", pk)


def subcontractor_added(
    http: HttpRequest, added: ConsortiumMember, page: str, pk: int
) -> HttpResponse:
    """Say so, and back to the consortium's page (`page` and its `pk`: the coordinators'
    page is by request, the members' by consortium)."""
    messages.success(
        http,
        _("%(organisation)s is added as a subcontractor.")
        % {"organisation": added.organisation.name},
    )
    return redirect(page, pk)


def subcontractor_removed(
    http: HttpRequest, item: ConsortiumMember, page: str, pk: int
) -> HttpResponse:
    """Remove the subcontractor (the service checks who may), say how it went, and back to
    the consortium's page."""
    try:
        consortium_subcontractor_remove(subcontractor=item, by=http.user)
    except ConsortiumError as error:
        messages.error(http, message_for(error.code))
    else:
        messages.success(
            http,
            _("%(organisation)s is no longer a subcontractor.")
            % {"organisation": item.organisation.name},
        )
    return redirect(page, pk)


@require_safe
@coordinator_required
def consortium_odt(http: HttpRequest, pk: int) -> HttpResponse:
    """The response document, in the page's language, always downloaded."""
    consortium = _consortium(pk)
    return _download(response_document(consortium), ODT, consortium, "odt")


def _download(
    content: bytes, content_type: str, consortium: Consortium, suffix: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"{consortium.request.reference}-groupement.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@coordinator_required
def consortium_pdf(http: HttpRequest, pk: int) -> HttpResponse:
    """The response document as PDF, where the server has LibreOffice (404 elsewhere). A
    failed conversion goes back to the consortium's page with why."""
    consortium = _consortium(pk)
    if not pdf_available():
        raise Http404
    try:
        document = odt_to_pdf(response_document(consortium))
    except PdfError as error:
        messages.error(http, message_for(error.code))
        return redirect("needs:coordination_consortium", pk)
    return _download(document, "application/pdf", consortium, "pdf")
