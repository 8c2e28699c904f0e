"""The client's side of a request: its private follow-up page (opened by the signed link sent
with every email, no account needed), its documents, and, when signed in, the list of one's
own requests.

The follow-up token is the credential: whoever holds it sees that request, and only it; a
document is looked up among that request's own, so another request's answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from guichet.core.registries.sections import REQUEST_FOLLOW, sections_render
from guichet.needs.access import requests_of_client
from guichet.needs.forms_intake import ReplyForm
from guichet.needs.forms_invitations import InviteForm
from guichet.needs.messages import error_message
from guichet.needs.models import (
    Lot,
    Request,
    RequestDocument,
    RequestMessage,
    RequestStatus,
    ServiceKind,
)
from guichet.needs.selectors_invitations import lot_invitations
from guichet.needs.selectors_shortlists import follow_shortlists
from guichet.needs.services.links import LinkError, follow_find, follow_token
from guichet.needs.services.thread import ThreadError, message_post
from guichet.needs.views.intake import GET_OR_POST, link_error, private
from guichet.network.models import Software

# The steps a request goes through, as the client reads them.
STEPS = [
    (RequestStatus.UNCONFIRMED, gettext_lazy("Sent, to be confirmed by you")),
    (RequestStatus.SUBMITTED, gettext_lazy("Received by the coordinators")),
    (RequestStatus.QUALIFIED, gettext_lazy("Split into lots")),
    (RequestStatus.SHORTLISTED, gettext_lazy("Members proposed to you")),
    (RequestStatus.CHOSEN, gettext_lazy("Providers chosen")),
]
CLOSED = {RequestStatus.NOT_A_FIT, RequestStatus.CLOSED}
# What the status means for the client, and what comes next.
EXPLANATIONS = {
    RequestStatus.UNCONFIRMED: gettext_lazy(
        "Open the link we emailed you to confirm the request: until then, nobody else sees it."
    ),
    RequestStatus.SUBMITTED: gettext_lazy(
        "The coordinators are reading your request to split it into lots. They may write to "
        "you below if something needs to be made clear."
    ),
    RequestStatus.QUALIFIED: gettext_lazy(
        "Your request is split into lots, listed below. The coordinators are looking for the "
        "best-placed members for each of them."
    ),
    RequestStatus.SHORTLISTED: gettext_lazy(
        "For each lot, the network proposes members, with the reasons for each. You choose "
        "freely, and may bring a provider of your own."
    ),
    RequestStatus.CHOSEN: gettext_lazy(
        "The providers are chosen: they will get in touch with you to start the work."
    ),
    RequestStatus.CONSORTIUM: gettext_lazy(
        "The chosen members answer together, as a consortium led by one of them."
    ),
    RequestStatus.NOT_A_FIT: gettext_lazy(
        "The coordinators explain why below. Come back with a new request whenever your need "
        "changes."
    ),
    RequestStatus.CLOSED: gettext_lazy("This request is closed."),
}


def steps_of(status: str) -> list[dict[str, Any]]:
    """The steps to show, each done, current or to come; a closed request stops where it
    closed."""
    if status in CLOSED:
        shown = [*STEPS[:2], (status, RequestStatus(status).label)]
        current = len(shown) - 1
    else:
        shown = list(STEPS)
        order: list[str] = [key for key, _label in STEPS]
        current = order.index(RequestStatus.CHOSEN if status == "consortium" else status)
    steps = [
        {"label": label, "done": index < current, "current": index == current}
        for index, (_key, label) in enumerate(shown)
    ]
    if current > 0:
        steps[0]["label"] = gettext_lazy("Sent and confirmed")
    return steps


def _followed(token: str) -> Request:
    """The request this token opens, with what its page shows; LinkError otherwise."""
    request = follow_find(token)
    prefetch_related_objects(
        [request],
        "commune__department",
        Prefetch("software", queryset=Software.objects.order_by("name")),
        "documents",
        Prefetch("messages", queryset=RequestMessage.objects.order_by("created_at", "pk")),
        Prefetch(
            "lots",
            queryset=Lot.objects.select_related("commune__department").order_by("position"),
        ),
    )
    return request


def _with_invitations(shortlists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each lot's invitations of providers the client brings, and, while it may still choose,
    a form to invite one (see views/invitations.py)."""
    invitations = lot_invitations([item["lot"] for item in shortlists])
    for item in shortlists:
        item["invitations"] = invitations.get(item["lot"].pk, [])
        item["may_invite"] = item["may_ask_more"]
        item["invite_form"] = InviteForm(lot_pk=item["lot"].pk)
    return shortlists


def _follow_page(
    http: HttpRequest, request: Request, token: str, form: ReplyForm, status: int = 200
) -> HttpResponse:
    services = dict(ServiceKind.choices)
    shows_lots = request.status not in (RequestStatus.UNCONFIRMED, RequestStatus.SUBMITTED)
    context = {
        "req": request,
        "token": token,
        "steps": steps_of(request.status),
        "explanation": EXPLANATIONS.get(RequestStatus(request.status), ""),
        "services": [services.get(key, key) for key in request.services],
        "lots": list(request.lots.all()) if shows_lots else [],
        "thread": list(request.messages.all()),
        "shortlists": _with_invitations(follow_shortlists(request, list(request.lots.all())))
        if shows_lots
        else [],
        # No thread before the client confirms (unless a reply came anyway: it says why not).
        "form": form if request.status != RequestStatus.UNCONFIRMED or form.errors else None,
        # What later apps add (the missions that follow the choice): core/registries/sections.
        "follow_sections": sections_render(REQUEST_FOLLOW, request, name="req", request=http),
    }
    return private(render(http, "needs/intake/follow.html", context, status=status))


@never_cache
@require_http_methods(GET_OR_POST)
def request_follow(http: HttpRequest, token: str) -> HttpResponse:
    try:
        request = _followed(token)
    except LinkError as error:
        return link_error(http, error.code)
    form = ReplyForm(http.POST if http.method == "POST" else None)
    if http.method == "POST" and form.is_valid():
        user: Any = http.user
        is_own = user.is_authenticated and request.client_user_id == user.pk
        try:
            message_post(
                request=request,
                body=form.cleaned_data["body"],
                from_client=True,
                author=user if is_own else None,
            )
        except ThreadError as error:
            form.add_error("body", error_message(error.code))
        else:
            messages.success(http, _("Your message is sent to the coordinators."))
            return private(redirect(reverse("needs:request_follow", args=[token]) + "#thread"))
    return _follow_page(http, request, token, form, status=400 if form.errors else 200)


@never_cache
@require_safe
def request_document(http: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    """One of the request's own documents, as a download under its original name."""
    try:
        request = follow_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    document = get_object_or_404(RequestDocument, request=request, pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)


@require_safe
@login_required
def my_requests(http: HttpRequest) -> HttpResponse:
    """The requests the signed-in person submitted, each with a fresh link to its page."""
    found = list(
        requests_of_client(http.user)
        .select_related("commune__department")
        .order_by("-created_at", "-pk")
    )
    rows = [
        {
            "req": request,
            "url": reverse("needs:request_follow", args=[follow_token(request)])
            if request.follow_nonce
            else "",
        }
        for request in found
    ]
    return render(http, "needs/intake/my_requests.html", {"rows": rows})
