"""The public request form, and the confirmation by the link emailed to the client.

No account is needed. Robots are kept out by a honeypot field (a filled one is answered as if
the request were sent, and nothing is kept) and by a limit of submissions per address; the
confirmation page asks for a click, so that mail scanners opening links confirm nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from guichet.core.middleware import client_ip
from guichet.needs.forms_intake import HONEYPOT, MEMBER_PARAMETER, RequestForm
from guichet.needs.messages import error_message
from guichet.needs.selectors import nameable_member
from guichet.needs.services.intake import IntakeError, request_confirm, request_submit
from guichet.needs.services.links import LinkError, confirmation_find, follow_token

GET_OR_POST = ["GET", "HEAD", "POST"]
# Submissions accepted from one address within the window, like allauth's rate limits.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600
LINK_STATUS = {"link_expired": 410, "link_unknown": 404}


def _rate_key(http: HttpRequest) -> str:
    return f"guichet.needs.intake:{client_ip(http) or 'unknown'}"


def _recent_submissions(http: HttpRequest) -> list[float]:
    since = time.time() - RATE_WINDOW_SECONDS
    return [at for at in cache.get(_rate_key(http), []) if at > since]


def over_limit(http: HttpRequest) -> bool:
    return len(_recent_submissions(http)) >= RATE_LIMIT


def count_submission(http: HttpRequest) -> None:
    cache.set(_rate_key(http), [*_recent_submissions(http), time.time()], RATE_WINDOW_SECONDS)


def private[R: HttpResponseBase](response: R) -> R:
    """A page opened by a secret link: never cached, never leaking its address onwards.

    "same-origin", not "no-referrer": the address never goes to another site, while the
    page's own forms keep their Origin header (with "no-referrer" browsers send
    `Origin: null`, which Django's CSRF check rightly refuses).
    """
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def link_error(http: HttpRequest, code: str) -> HttpResponse:
    """The page of a link that does not open: expired (410) or unknown (404), and what to do."""
    context = {"code": code, "explanation": error_message(code)}
    response = render(
        http, "needs/intake/link_error.html", context, status=LINK_STATUS.get(code, 404)
    )
    return private(response)


@require_http_methods(GET_OR_POST)
def request_new(http: HttpRequest) -> HttpResponse:
    status = 200
    rate_limited = False
    if http.method == "POST":
        if http.POST.get(HONEYPOT, "").strip():
            # A robot: answered as a person would be, so that it learns nothing.
            return redirect("needs:request_sent")
        form = RequestForm(http.POST, http.FILES, user=http.user, session=http.session)
        if form.is_valid():
            if over_limit(http):
                rate_limited = True
                status = 429
            else:
                try:
                    request_submit(
                        data=form.request_data(),
                        documents=form.checked_documents,
                        language=translation.get_language() or settings.LANGUAGE_CODE,
                        user=http.user,
                    )
                except IntakeError as error:
                    form.add_error(None, error_message(error.code))
                else:
                    count_submission(http)
                    return redirect("needs:request_sent")
        if form.errors:
            status = 400
        named, member_not_found = form.named_member, False
    else:
        # From a member's public profile: "/demande/?membre=<slug>" names that member. An
        # address naming no member (unknown, or not admitted) says the same either way.
        asked = http.GET.get(MEMBER_PARAMETER, "").strip()
        named = nameable_member(asked)
        member_not_found = bool(asked) and named is None
        form = RequestForm(user=http.user, initial={"member": named.slug} if named else {})
    context = {
        "form": form,
        "named_member": named,
        "member_not_found": member_not_found,
        "rate_limited": rate_limited,
        "rate_message": error_message("rate_limited") if rate_limited else "",
    }
    return render(http, "needs/intake/form.html", context, status=status)


@require_safe
def request_sent(http: HttpRequest) -> HttpResponse:
    context = {"hours": settings.GUICHET_REQUEST_CONFIRM_HOURS}
    return render(http, "needs/intake/sent.html", context)


@never_cache
@require_http_methods(GET_OR_POST)
def request_confirm_page(http: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is confirmed and a button; only the POST of that button confirms."""
    try:
        request = confirmation_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    if http.method == "POST":
        try:
            request = request_confirm(secret=token)
        except LinkError as error:
            return link_error(http, error.code)
        messages.success(
            http, _("Thank you: your request is confirmed and the coordinators have received it.")
        )
        return private(redirect(reverse("needs:request_follow", args=[follow_token(request)])))
    return private(render(http, "needs/intake/confirm.html", {"req": request}))
