"""The site's own pages: home, legal notice, accessibility statement, source, my space, errors."""

from typing import Any
from urllib.parse import urlsplit

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_safe

from guichet.accounts.access import is_coordinator
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
        **decisions_context(user),
    }
    return render(request, "web/dashboard.html", context)


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
