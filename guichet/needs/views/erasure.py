"""The client contact erases its details from its follow-up page (no account needed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from guichet.needs.services.erasure import request_contact_erase
from guichet.needs.services.links import LinkError, follow_find
from guichet.needs.views.intake import link_error, private


@never_cache
@require_POST
def request_erase(http: HttpRequest, token: str) -> HttpResponse:
    try:
        request = follow_find(token)
    except LinkError as error:
        return link_error(http, error.code)
    if http.POST.get("confirm") != "yes":
        messages.error(http, _("Tick the box to confirm: erasing your details cannot be undone."))
        return private(redirect(reverse("needs:request_follow", args=[token]) + "#personal-data"))
    request_contact_erase(request=request)
    return private(redirect("needs:request_erased"))


@require_safe
def request_erased(http: HttpRequest) -> HttpResponse:
    return render(http, "needs/intake/erased.html")
