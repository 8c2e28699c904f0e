"""Shortlists as pages: the coordinators' forms on a lot's ranking and on the request's page,
and the client's choice on its private follow-up page.

Every endpoint here is a POST that acts through services/shortlists.py, then goes back to the
page it came from with a message. Coordinators' endpoints 404 for anyone else (as every
coordination page); the client's are opened by the follow-up token, which is the credential:
an entry or a lot of another request is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet.core.forms import lf_line_ends
from guichet.needs.messages import error_message
from guichet.needs.models import Lot, MatchingRun, Request, ShortlistEntry
from guichet.needs.services.links import LinkError, follow_find
from guichet.needs.services.shortlists import (
    ShortlistError,
    client_choose,
    lot_ask_more,
    shortlist_add,
    shortlist_note,
    shortlist_propose,
    shortlist_remove,
    shortlist_send,
)
from guichet.needs.services.thread import ThreadError
from guichet.needs.views.intake import link_error, private
from guichet.needs.views.matching import coordinators_only
from guichet.network.models import Organisation

# --- Coordinators --------------------------------------------------------------------------


def _lot(pk: int) -> Lot:
    return get_object_or_404(Lot.objects.select_related("request"), pk=pk)


def _run_of(http: HttpRequest, lot: Lot) -> MatchingRun | None:
    wanted = http.POST.get("run", "")
    if not wanted.isdigit():
        return None
    return get_object_or_404(MatchingRun, pk=int(wanted), lot=lot)


def _back_to_ranking(lot: Lot, run: MatchingRun | None = None) -> HttpResponse:
    url = reverse("needs:coordination_lot_ranking", args=[lot.pk])
    if run is not None:
        url += f"?run={run.pk}"
    return redirect(url + "#shortlist")


@require_POST
@coordinators_only
def shortlist_add_view(http: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot(pk)
    run = _run_of(http, lot)
    wanted = http.POST.get("organisation", "")
    if run is None or not wanted.isdigit():
        return HttpResponseBadRequest()
    organisation = get_object_or_404(Organisation, pk=int(wanted))
    try:
        shortlist_add(lot=lot, organisation=organisation, run=run, by=http.user)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(http, _("%(name)s is on the shortlist.") % {"name": organisation.name})
    return _back_to_ranking(lot, run)


@require_POST
@coordinators_only
def shortlist_propose_view(http: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot(pk)
    run = _run_of(http, lot)
    if run is None:
        return HttpResponseBadRequest()
    try:
        added = shortlist_propose(lot=lot, run=run, by=http.user)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(
            http,
            ngettext(
                "%(count)s member added to the shortlist.",
                "%(count)s members added to the shortlist.",
                len(added),
            )
            % {"count": len(added)},
        )
    return _back_to_ranking(lot, run)


def _entry(lot_pk: int, pk: int) -> ShortlistEntry:
    return get_object_or_404(
        ShortlistEntry.objects.select_related("lot__request", "organisation"),
        pk=pk,
        lot_id=lot_pk,
    )


@require_POST
@coordinators_only
def shortlist_remove_view(http: HttpRequest, pk: int, entry: int) -> HttpResponse:
    found = _entry(pk, entry)
    try:
        shortlist_remove(entry=found, by=http.user)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(
            http, _("%(name)s is off the shortlist.") % {"name": found.organisation.name}
        )
    return _back_to_ranking(found.lot, _run_of(http, found.lot))


@require_POST
@coordinators_only
def shortlist_note_view(http: HttpRequest, pk: int, entry: int) -> HttpResponse:
    found = _entry(pk, entry)
    try:
        shortlist_note(entry=found, note=lf_line_ends(http.POST.get("note", "")), by=http.user)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(
            http, _("The note on %(name)s is saved.") % {"name": found.organisation.name}
        )
    return _back_to_ranking(found.lot, _run_of(http, found.lot))


@require_POST
@coordinators_only
def shortlist_send_view(http: HttpRequest, pk: int) -> HttpResponse:
    request = get_object_or_404(Request, pk=pk)
    try:
        sent = shortlist_send(request=request, by=http.user)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(
            http,
            ngettext(
                "The shortlists are sent to the client: %(count)s new proposal.",
                "The shortlists are sent to the client: %(count)s new proposals.",
                sent,
            )
            % {"count": sent},
        )
    return redirect(reverse("needs:coordination_request", args=[request.pk]) + "#shortlists")


# --- The client ----------------------------------------------------------------------------


def _back_to_follow(token: str) -> HttpResponse:
    return private(redirect(reverse("needs:request_follow", args=[token]) + "#shortlist"))


@never_cache
@require_POST
def request_choose(http: HttpRequest, token: str, pk: int) -> HttpResponse:
    """The client chooses a member sent for a lot of its own request."""
    try:
        request = follow_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    entry = get_object_or_404(
        ShortlistEntry.objects.select_related("lot__request", "organisation"),
        pk=pk,
        lot__request=request,
        sent_at__isnull=False,
    )
    try:
        client_choose(entry=entry)
    except ShortlistError as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(
            http,
            _("You chose %(name)s for lot %(number)s: they are told, and will get in touch.")
            % {"name": entry.organisation.name, "number": entry.lot.position},
        )
    return _back_to_follow(token)


@never_cache
@require_POST
def request_ask_more(http: HttpRequest, token: str, lot: int) -> HttpResponse:
    """The client asks the coordinators for more candidates on a lot of its own request."""
    try:
        request = follow_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    found = get_object_or_404(Lot.objects.select_related("request"), pk=lot, request=request)
    try:
        lot_ask_more(lot=found, message=http.POST.get("message", ""))
    except (ShortlistError, ThreadError) as error:
        messages.error(http, error_message(error.code))
    else:
        messages.success(http, _("Your request for more candidates is sent to the coordinators."))
    return _back_to_follow(token)
