"""A provider of the client's own, as pages: the client invites it from its follow-up page
(the follow-up token is the credential; a lot of another request is a 404), and the invited
provider answers on the page its emailed link opens (the invitation's secret is the
credential: unknown 404, expired or already answered 410, each a page that says why).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from guichet.needs.forms_invitations import AcceptForm, InviteForm
from guichet.needs.messages import error_message
from guichet.needs.models import Lot, ProviderInvitation, Request
from guichet.needs.selectors_invitations import lot_invitations
from guichet.needs.services.invitations import (
    MAX_PENDING_PER_LOT,
    InvitationError,
    invitation_accept,
    invitation_by_token,
    invitation_closed_code,
    invitation_create,
    invitation_decline,
    lot_open_for_invitation,
)
from guichet.needs.services.links import LinkError, follow_find
from guichet.needs.views.intake import GET_OR_POST, link_error, private

# Refusals that belong next to a field of the form, rather than above it.
INVITE_FIELDS = {
    "invitation_name_required": "organisation_name",
    "invitation_email_invalid": "email",
    "invitation_pending": "email",
    "invitation_message_too_long": "message",
}
ACCEPT_FIELDS = {
    "siren_format": "siren",
    "siren_checksum": "siren",
    "organisation_name_taken": "name",
    "invitation_name_required": "name",
}
# An invitation's link that no longer opens: unknown, or gone (expired, already answered).
INVITATION_STATUS = {"invitation_unknown": 404, "invitation_expired": 410, "invitation_used": 410}


# --- The client ----------------------------------------------------------------------------


def _invite_page(
    http: HttpRequest, request: Request, lot: Lot, token: str, form: InviteForm, status: int = 200
) -> HttpResponse:
    context = {
        "req": request,
        "lot": lot,
        "token": token,
        "form": form,
        "open": lot_open_for_invitation(lot),
        "closed_message": error_message(invitation_closed_code(lot) or "invitation_not_open"),
        "invitations": lot_invitations([lot])[lot.pk],
        "max_pending": MAX_PENDING_PER_LOT,
    }
    return private(render(http, "needs/invitations/invite.html", context, status=status))


@never_cache
@require_http_methods(GET_OR_POST)
def request_invite(http: HttpRequest, token: str, lot: int) -> HttpResponse:
    """The client invites a provider of its own for a lot of its own request."""
    try:
        request = follow_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    found = get_object_or_404(Lot.objects.select_related("request"), pk=lot, request=request)
    form = InviteForm(http.POST if http.method == "POST" else None, lot_pk=found.pk)
    if http.method == "POST" and form.is_valid():
        try:
            invitation, _secret = invitation_create(
                request=request,
                lot=found,
                organisation_name=form.cleaned_data["organisation_name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        except InvitationError as error:
            params = {"max": MAX_PENDING_PER_LOT} if error.code == "too_many_invitations" else {}
            form.add_error(INVITE_FIELDS.get(error.code), error_message(error.code, **params))
        else:
            messages.success(
                http,
                _("%(name)s is invited: you will be told when they answer.")
                % {"name": invitation.organisation_name},
            )
            url = reverse("needs:request_follow", args=[token])
            return private(redirect(f"{url}#shortlist-lot-{found.pk}"))
    return _invite_page(http, request, found, token, form, status=400 if form.errors else 200)


# --- The invited provider ------------------------------------------------------------------


def invitation_error(http: HttpRequest, code: str) -> HttpResponse:
    """The page of an invitation link that does not open, and what to do."""
    context = {"code": code, "explanation": error_message(code)}
    status = INVITATION_STATUS.get(code, 404)
    return private(render(http, "needs/invitations/link_error.html", context, status=status))


def _accept_form(http: HttpRequest, invitation: ProviderInvitation) -> AcceptForm:
    software = list(invitation.lot.software.order_by("name"))
    data = http.POST if http.method == "POST" else None
    initial: dict[str, Any] = {"name": invitation.organisation_name}
    return AcceptForm(data, software=software, initial=initial)


def _invitation_page(
    http: HttpRequest, invitation: ProviderInvitation, form: AcceptForm, status: int = 200
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "lot": invitation.lot,
        "client_name": invitation.request.client_name,
        "software": form.software,
        "form": form,
        "open": lot_open_for_invitation(invitation.lot),
    }
    return private(render(http, "needs/invitations/invitation.html", context, status=status))


@never_cache
@require_http_methods(GET_OR_POST)
def invitation_page(http: HttpRequest, token: str) -> HttpResponse:
    """The invited provider sees the work and accepts (with a short profile) or declines."""
    try:
        invitation = invitation_by_token(token)
    except InvitationError as error:
        return invitation_error(http, error.code)
    if http.method == "POST" and http.POST.get("answer") == "decline":
        return _decline(http, invitation)
    form = _accept_form(http, invitation)
    if http.method == "POST" and form.is_valid():
        try:
            invitation_accept(invitation=invitation, profile=form.profile())
        except InvitationError as error:
            if error.code in INVITATION_STATUS:
                return invitation_error(http, error.code)
            form.add_error(ACCEPT_FIELDS.get(error.code), error_message(error.code))
        else:
            return private(redirect("needs:invitation_thanks"))
    return _invitation_page(http, invitation, form, status=400 if form.errors else 200)


def _decline(http: HttpRequest, invitation: ProviderInvitation) -> HttpResponse:
    try:
        invitation_decline(invitation=invitation)
    except InvitationError as error:
        return invitation_error(http, error.code)
    context = {"invitation": invitation}
    return private(render(http, "needs/invitations/declined.html", context))


@require_safe
def invitation_thanks(http: HttpRequest) -> HttpResponse:
    """After accepting: what happens next."""
    return render(http, "needs/invitations/thanks.html")
