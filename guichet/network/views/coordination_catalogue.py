"""The catalogue as coordinators keep it: add an entry, edit it, merge a duplicate.

Everyone else gets a 404: these pages do not exist for them.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guichet.accounts.access import is_coordinator
from guichet.network.forms_catalogue import MergeForm, SoftwareForm
from guichet.network.forms_profile import attach_errors
from guichet.network.models import Software
from guichet.network.selectors_profile import software_for_coordination
from guichet.network.services.catalogue import software_create, software_merge, software_update

PAGE_SIZE = 25
GET_OR_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    """The form's data when posted (even empty, so that it is checked), else None."""
    return request.POST if request.method == "POST" else None


def coordinators_only(view: Any) -> Any:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_coordinator(request.user):
            raise Http404
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapped


@login_required
@require_safe
@coordinators_only
def software_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(software_for_coordination(text), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "q": text, "base_query": params.urlencode()}
    return render(request, "network/coordination/software_list.html", context)


@login_required
@require_http_methods(GET_OR_POST)
@coordinators_only
def software_add(request: HttpRequest) -> HttpResponse:
    form = SoftwareForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            software = software_create(data=form.data_out, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is added to the catalogue.") % {"name": software.name}
            )
            return redirect("network:coordination_software_edit", software.slug)
    status = 400 if form.errors else 200
    return render(request, "network/coordination/software_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(GET_OR_POST)
@coordinators_only
def software_edit(request: HttpRequest, slug: str) -> HttpResponse:
    software = get_object_or_404(
        Software.objects.select_related("merged_into", "component__sector"), slug=slug
    )
    form = SoftwareForm(_posted(request), software=software)
    if request.method == "POST" and form.is_valid():
        try:
            software_update(software=software, data=form.data_out, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("network:coordination_software_edit", software.slug)
    context = {"form": form, "software": software, "link_count": software.links.count()}
    status = 400 if form.errors else 200
    return render(request, "network/coordination/software_form.html", context, status=status)


@login_required
@require_http_methods(GET_OR_POST)
@coordinators_only
def software_merge_view(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Software.objects.select_related("merged_into"), slug=slug)
    form = MergeForm(_posted(request), source=source)
    if request.method == "POST" and source.merged_into is None and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            report = software_merge(source=source, target=target, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "“%(source)s” is merged into “%(target)s”: %(moved)s links moved, "
                    "%(combined)s combined with the ones already there."
                )
                % {
                    "source": source.name,
                    "target": target.name,
                    "moved": report.links_moved,
                    "combined": report.links_combined,
                },
            )
            return redirect("network:coordination_software_edit", target.slug)
    context = {"form": form, "software": source, "link_count": source.links.count()}
    status = 400 if form.errors else 200
    return render(request, "network/coordination/software_merge.html", context, status=status)
