"""The public directory: search the member organisations, read a profile."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from guichet.core.registries.sections import ORGANISATION_PROFILE, sections_render
from guichet.network.forms import DirectoryForm
from guichet.network.models import Organisation
from guichet.network.selectors import (
    DirectoryQuery,
    directory_widenings,
    organisation_public,
    organisations_search,
)

PAGE_SIZE = 20


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _widenings(request: HttpRequest, query: DirectoryQuery) -> list[dict[str, Any]]:
    """The searches that would find someone, each with its link: wider, without the place
    or without the roles."""
    found = []
    for widening in directory_widenings(query):
        params = request.GET.copy()
        params.pop("page", None)
        if widening.drop == "radius":
            params["radius"] = str(widening.radius_km)
        elif widening.drop == "roles":
            params.pop("role", None)
        else:
            params.pop("near", None)
            params.pop("radius", None)
        found.append({"widening": widening, "url": f"?{params.urlencode()}"})
    return found


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    query = None
    if not form.is_bound:
        query = DirectoryQuery()
    elif form.is_valid():
        query = form.query()
    if query is not None:
        page = Paginator(organisations_search(query), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, query=query, base_query=_querystring_without_page(request))
        if form.is_bound and not page.object_list:
            context.update(criteria=form.criteria(), widenings=_widenings(request, query))
    # A search the form refuses is a bad request: the form comes back with its messages.
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "network/directory.html", context, status=status)


@require_safe
def organisation_profile(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_public(slug)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing
    context = {
        "organisation": organisation,
        # What later apps add (client satisfaction from missions): core/registries/sections.
        "profile_sections": sections_render(
            ORGANISATION_PROFILE, organisation, name="organisation", request=request
        ),
    }
    return render(request, "network/organisation_profile.html", context)
