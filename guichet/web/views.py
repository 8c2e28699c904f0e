"""The site's own pages: home, legal notice, accessibility statement, source, my space, errors."""

from typing import Any
from urllib.parse import urlsplit

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_safe

from guichet.accounts.access import is_coordinator
from guichet.core.opendata import LICENCE, LICENCE_URL
from guichet.core.registries.datasets import published
from guichet.core.registries.queues import COORDINATION, waiting_by_audience, waiting_for
from guichet.governance.dashboard import dashboard_context as decisions_context
from guichet.missions.access import missions_of_person
from guichet.missions.domain.workflow import ENDED
from guichet.needs.access import requests_of_client
from guichet.network.selectors import memberships_of
from guichet.network.selectors_admission import (
    applications_of_person,
    open_assignments_of_evaluator,
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_safe
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal.html", {"kept_hours": settings.GUICHET_KEPT_UPLOAD_HOURS})


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@require_safe
def source(request: HttpRequest) -> HttpResponse:
    return render(request, "web/source.html")


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """Every dataset the site publishes (core/registries/datasets.py), with its formats,
    licence and last change."""
    context = {"datasets": published(), "licence": LICENCE, "licence_url": LICENCE_URL}
    return render(request, "web/open_data.html", context)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "grants": user.role_grants.select_related("college").order_by("role"),
        "memberships": memberships_of(person=user),
        "mfa_enabled": is_mfa_enabled(user),
        "evaluations": open_assignments_of_evaluator(user).order_by("assigned_at")[:10],
        "applications": applications_of_person(user).order_by("-submitted_at")[:5],
        "is_coordinator": is_coordinator(user),
        "client_requests": requests_of_client(user).count(),
        "missions": missions_of_person(user).exclude(status__in=ENDED).count(),
        "is_in_missions": missions_of_person(user).exists(),
        # What waits for the person, for each part they play (core/registries/queues.py).
        "waiting": waiting_by_audience(user),
        **decisions_context(user),
    }
    return render(request, "web/dashboard.html", context)


@require_safe
@login_required
def coordination(request: HttpRequest) -> HttpResponse:
    """The coordinators' home: their queues, then their tools. Anyone else signed in finds
    no page here (404), as on every coordination page."""
    if not is_coordinator(request.user):
        raise Http404
    context = {"queues": waiting_for(request.user, audience=COORDINATION)}
    return render(request, "web/coordination.html", context)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, reading the page to come back to in that page's language.

    Django resolves `next` in the language of /i18n/ itself, French: an English address
    (/en/…) does not resolve then, and the switch from English back to French went nowhere.
    """
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(language or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


def _error(request: HttpRequest, status: int, title: str, explanation: str) -> HttpResponse:
    context = {"title": title, "explanation": explanation}
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, _("Access denied"), _("Your account does not allow you to do this.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or you are not allowed to see it."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong"),
        _("The error has been recorded. Please try again in a moment."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Form expired"),
        _("The form was open too long or cookies are blocked. Go back, reload it and try again."),
    )
