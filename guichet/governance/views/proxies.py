"""The proxies page: the proxies one has given and holds (in force, ended, revoked), giving
one to another associate for a proposal or a period, revoking one (or declining one held).

Only those who take part find it (others: 404); only associates give proxies.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.governance import access
from guichet.governance.access import is_associate
from guichet.governance.forms import ProxyForm
from guichet.governance.messages import error_message
from guichet.governance.models import Proxy
from guichet.governance.selectors import (
    associates,
    open_proposals,
    proxies_given,
    proxies_held,
    proxy_in_force,
)
from guichet.governance.services import proxies as proxies_service
from guichet.governance.services.common import GovernanceError, statutes_current


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def proxies_page(request: HttpRequest) -> HttpResponse:
    if not access.can_take_part(request.user):
        raise Http404
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action", "")
    if action == "give":
        return _give(request)
    if action == "revoke":
        return _revoke(request)
    return HttpResponse(status=400)


def _form(request: HttpRequest, data: Any = None) -> ProxyForm:
    wanted = request.GET.get("proposal", "")
    return ProxyForm(
        data,
        holders=associates(excluding=request.user),
        proposals=open_proposals(),
        initial={"proposal": wanted, "scope": "proposal"} if wanted else {},
    )


def _page(request: HttpRequest, form: ProxyForm | None = None, status: int = 200) -> HttpResponse:
    user: Any = request.user
    given = [(proxy, proxy_in_force(proxy)) for proxy in proxies_given(user)]
    held = [(proxy, proxy_in_force(proxy)) for proxy in proxies_held(user)]
    giving = is_associate(user)
    context = {
        "given": given,
        "held": held,
        "held_in_force": sum(1 for _proxy, in_force in held if in_force),
        "max_proxies": statutes_current().max_proxies,
        "is_associate": giving,
        "form": (form or _form(request)) if giving else None,
    }
    return render(request, "governance/proxies.html", context, status=status)


def _give(request: HttpRequest) -> HttpResponse:
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        proxies_service.proxy_give(
            giver=request.user,
            holder=data["holder"],
            proposal=data["proposal"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
    except GovernanceError as error:
        form.add_error(None, error_message(error.code))
        return _page(request, form, status=400)
    messages.success(
        request,
        _("The proxy is given: %(holder)s may now vote for you.") % {"holder": data["holder"]},
    )
    return redirect("governance:proxies")


def _revoke(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    mine = Proxy.objects.filter(Q(giver=user) | Q(holder=user))
    try:
        proxy = get_object_or_404(mine, pk=request.POST.get("proxy") or 0)
    except ValueError:
        raise Http404 from None
    try:
        proxies_service.proxy_revoke(proxy=proxy, by=user)
    except GovernanceError as error:
        messages.error(request, error_message(error.code))
        return redirect("governance:proxies")
    if proxy.giver_id == user.pk:
        messages.success(request, _("The proxy is revoked: you vote for yourself again."))
    else:
        messages.success(request, _("You have declined the proxy: its giver votes for themselves."))
    return redirect("governance:proxies")
