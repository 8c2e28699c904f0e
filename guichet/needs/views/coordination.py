"""Qualifying requests, as coordinators' pages: the list, one request with its lots and
thread, a lot's form, and the answer "open source is not the right fit".

Views stay thin: forms check the input, services write (atomic, audited), selectors read.
Anyone signed in who does not coordinate finds no page here (404, as the network's
coordination pages); anyone anonymous is sent to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guichet.needs.access import can_coordinate
from guichet.needs.forms_qualification import (
    ClientOrganisationForm,
    LotForm,
    MessageForm,
    NotAFitForm,
    RequestFilterForm,
    TenderRulesForm,
)
from guichet.needs.messages import message_for
from guichet.needs.models import Lot, Request, RequestStatus, ServiceKind
from guichet.needs.selectors import (
    lots_with_details,
    organisation_by_siren,
    request_for_coordination,
    requests_for_coordination,
)
from guichet.needs.selectors_shortlists import shortlists_to_send
from guichet.needs.services.qualification import (
    NOT_A_FIT_FROM,
    QualificationError,
    is_closed,
    lot_create,
    lot_delete,
    lot_update,
    request_close_not_a_fit,
    request_link_client,
    request_set_tender_rules,
)
from guichet.needs.services.thread import ThreadError, message_post
from guichet.network.forms_profile import attach_errors

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 25
GET_OR_POST = ["GET", "HEAD", "POST"]
SERVICES = set(ServiceKind.values)
# The lot's ranking page belongs to matching; linked only once its URL exists.
RANKING_URL_NAME = "needs:coordination_lot_ranking"


def coordinator_required(view: View) -> View:
    """Signed in, then a coordinator; anyone else finds no page here (404, not 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_coordinate(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _url_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _request(pk: int) -> Request:
    return get_object_or_404(request_for_coordination(), pk=pk)


def _lot(request: Request, lot_pk: int) -> Lot:
    return get_object_or_404(
        lots_with_details().select_related("request"), request=request, pk=lot_pk
    )


# The list.


@require_safe
@coordinator_required
def requests_list(http: HttpRequest) -> HttpResponse:
    filters = RequestFilterForm(http.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page = Paginator(requests_for_coordination(status=status), PAGE_SIZE).get_page(
        http.GET.get("page")
    )
    params = http.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "status": status,
        "page": page,
        "base_query": params.urlencode(),
        "to_qualify": status == RequestStatus.SUBMITTED,
    }
    return render(http, "needs/coordination/requests.html", context)


# One request.


def _detail(
    http: HttpRequest,
    request: Request,
    *,
    client_form: ClientOrganisationForm | None = None,
    tender_form: TenderRulesForm | None = None,
    message_form: MessageForm | None = None,
    close_form: NotAFitForm | None = None,
    failed: Any = None,
    status: int = 200,
) -> HttpResponse:
    closed = is_closed(request)
    confirmed = request.status != RequestStatus.UNCONFIRMED
    editable = confirmed and not closed
    lots = list(request.lots.all())
    for lot in lots:
        lot.ranking_url = _url_or_none(RANKING_URL_NAME, lot.pk)  # type: ignore[attr-defined]
    siren_match = None
    if editable and request.client_siren and request.client_organisation_id is None:
        siren_match = organisation_by_siren(request.client_siren)
    context = {
        "req": request,
        "lots": lots,
        "services": [ServiceKind(code).label for code in request.services if code in SERVICES],
        "total_days": sum((lot.person_days for lot in lots), start=0),
        "editable": editable,
        "closed": closed,
        "siren_match": siren_match,
        "client_form": (client_form or ClientOrganisationForm(request=request))
        if editable
        else None,
        "tender_form": (tender_form or TenderRulesForm(request=request))
        if editable and request.is_tender
        else None,
        "message_form": (message_form or MessageForm()) if confirmed else None,
        "close_form": (close_form or NotAFitForm()) if request.status in NOT_A_FIT_FROM else None,
        "form": failed,
        "shortlists": shortlists_to_send(request, lots),
    }
    return render(http, "needs/coordination/request.html", context, status=status)


@require_safe
@coordinator_required
def request_detail(http: HttpRequest, pk: int) -> HttpResponse:
    return _detail(http, _request(pk))


@require_POST
@coordinator_required
def request_client(http: HttpRequest, pk: int) -> HttpResponse:
    request = _request(pk)
    form = ClientOrganisationForm(http.POST, request=request)
    if form.is_valid():
        organisation = form.organisation_out()
        try:
            request_link_client(request=request, organisation=organisation, by=http.user)
        except QualificationError as error:
            form.add_error(None, message_for(error.code))
        else:
            if organisation is None:
                messages.success(http, _("The client is linked to no organisation."))
            else:
                messages.success(
                    http,
                    _("The client is %(organisation)s: matching never proposes it.")
                    % {"organisation": organisation.name},
                )
            return redirect("needs:coordination_request", request.pk)
    return _detail(http, request, client_form=form, failed=form, status=400)


@require_POST
@coordinator_required
def request_tender(http: HttpRequest, pk: int) -> HttpResponse:
    request = _request(pk)
    form = TenderRulesForm(http.POST, request=request)
    if form.is_valid():
        try:
            request_set_tender_rules(
                request=request,
                max_lots_per_bidder=form.cleaned_data["max_lots_per_bidder"],
                by=http.user,
            )
        except QualificationError as error:
            form.add_error(None, message_for(error.code))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(http, _("The tender's rules are saved."))
            return redirect("needs:coordination_request", request.pk)
    return _detail(http, request, tender_form=form, failed=form, status=400)


@require_POST
@coordinator_required
def request_message(http: HttpRequest, pk: int) -> HttpResponse:
    request = _request(pk)
    form = MessageForm(http.POST)
    if form.is_valid():
        try:
            message_post(
                request=request, body=form.cleaned_data["body"], from_client=False, author=http.user
            )
        except ThreadError as error:
            form.add_error("body", message_for(error.code))
        else:
            messages.success(http, _("Your message is sent to the client by email."))
            return redirect(reverse("needs:coordination_request", args=[request.pk]) + "#thread")
    return _detail(http, request, message_form=form, failed=form, status=400)


@require_POST
@coordinator_required
def request_close(http: HttpRequest, pk: int) -> HttpResponse:
    request = _request(pk)
    form = NotAFitForm(http.POST)
    if form.is_valid():
        try:
            request_close_not_a_fit(
                request=request, rationale=form.cleaned_data["rationale"], by=http.user
            )
        except QualificationError as error:
            form.add_error(None, message_for(error.code))
        else:
            messages.success(
                http,
                _("The request is closed: the client is told why, by email and on its page."),
            )
            return redirect("needs:coordination_request", request.pk)
    return _detail(http, request, close_form=form, failed=form, status=400)


@require_safe
@coordinator_required
def document(http: HttpRequest, pk: int, doc: int) -> FileResponse:
    """A tender document, always downloaded (never shown inline), with its own name."""
    request = get_object_or_404(Request, pk=pk)
    item = get_object_or_404(request.documents, pk=doc)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Lots.


def _lot_page(
    http: HttpRequest, request: Request, form: LotForm, lot: Lot | None, status: int = 200
) -> HttpResponse:
    context = {"req": request, "form": form, "lot": lot}
    return render(http, "needs/coordination/lot_form.html", context, status=status)


def _refuse_closed(http: HttpRequest, request: Request) -> HttpResponse | None:
    """A closed or unconfirmed request has no lot form: back to its page, saying why."""
    if is_closed(request) or request.status == RequestStatus.UNCONFIRMED:
        code = "request_closed" if is_closed(request) else "request_not_confirmed"
        messages.error(http, message_for(code))
        return redirect("needs:coordination_request", request.pk)
    return None


@require_http_methods(GET_OR_POST)
@coordinator_required
def lot_add(http: HttpRequest, pk: int) -> HttpResponse:
    request = get_object_or_404(Request.objects.select_related("commune__department"), pk=pk)
    if http.method != "POST" and (refused := _refuse_closed(http, request)):
        return refused
    form = LotForm(http.POST if http.method == "POST" else None, request=request)
    if http.method == "POST" and form.is_valid():
        try:
            lot = lot_create(request=request, data=form.data_out(), by=http.user)
        except QualificationError as error:
            form.add_error(None, message_for(error.code))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(http, _("Lot %(number)s is added.") % {"number": lot.position})
            return redirect(reverse("needs:coordination_request", args=[request.pk]) + "#lots")
    return _lot_page(http, request, form, None, status=400 if form.errors else 200)


@require_http_methods(GET_OR_POST)
@coordinator_required
def lot_edit(http: HttpRequest, pk: int, lot: int) -> HttpResponse:
    request = get_object_or_404(Request.objects.select_related("commune__department"), pk=pk)
    item = _lot(request, lot)
    if http.method != "POST" and (refused := _refuse_closed(http, request)):
        return refused
    form = LotForm(http.POST if http.method == "POST" else None, request=request, lot=item)
    if http.method == "POST" and form.is_valid():
        try:
            lot_update(lot=item, data=form.data_out(), by=http.user)
        except QualificationError as error:
            form.add_error(None, message_for(error.code))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(http, _("Lot %(number)s is saved.") % {"number": item.position})
            return redirect(reverse("needs:coordination_request", args=[request.pk]) + "#lots")
    return _lot_page(http, request, form, item, status=400 if form.errors else 200)


@require_POST
@coordinator_required
def lot_remove(http: HttpRequest, pk: int, lot: int) -> HttpResponse:
    request = get_object_or_404(Request, pk=pk)
    item = _lot(request, lot)
    try:
        lot_delete(lot=item, by=http.user)
    except QualificationError as error:
        messages.error(http, message_for(error.code))
    else:
        messages.success(http, _("Lot %(number)s is deleted.") % {"number": item.position})
    return redirect(reverse("needs:coordination_request", args=[request.pk]) + "#lots")
