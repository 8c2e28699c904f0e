"""Editing an organisation, for its managers and for coordinators: the profile, the people,
the software it knows and the evidence. Anyone else gets a 404, as for a missing page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.access import is_coordinator
from guichet.network.access import organisations_managed_by
from guichet.network.forms_profile import (
    LinkForm,
    PersonAddForm,
    ProfileForm,
    attach_errors,
    evidence_formset,
)
from guichet.network.models import Membership, Organisation, SoftwareLink
from guichet.network.selectors_profile import organisation_links_private, organisation_people
from guichet.network.services.organisations import (
    link_create,
    link_delete,
    link_update,
    link_verify,
    membership_add,
    membership_remove,
    membership_set_manager,
    organisation_update,
)

GET_OR_POST = ["GET", "HEAD", "POST"]


def _posted(request: HttpRequest) -> Any:
    """The form's data when posted (even empty, so that it is checked), else None."""
    return request.POST if request.method == "POST" else None


def _managed(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(
        organisations_managed_by(request.user).select_related("commune__department"), slug=slug
    )


def _link(organisation: Organisation, pk: int) -> SoftwareLink:
    # Looked up among the organisation's own links: another organisation's link is a 404.
    return get_object_or_404(
        SoftwareLink.objects.select_related("software", "organisation", "verified_by"),
        pk=pk,
        organisation=organisation,
    )


def _status(*forms: Any) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


def _render_profile(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: ProfileForm | None = None,
    person_form: PersonAddForm | None = None,
    people_error: str = "",
) -> HttpResponse:
    form = form or ProfileForm(organisation=organisation, user=request.user)
    person_form = person_form or PersonAddForm()
    people = list(organisation_people(organisation))
    context = {
        "organisation": organisation,
        "form": form,
        "person_form": person_form,
        "people": people,
        "single_manager": sum(m.is_manager for m in people) == 1,
        "people_error": people_error,
    }
    status = 400 if people_error else _status(form, person_form)
    return render(request, "network/profile/profile.html", context, status=status)


@login_required
@require_http_methods(GET_OR_POST)
def profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed(request, slug)
    if request.method != "POST":
        return _render_profile(request, organisation)
    form = ProfileForm(request.POST, organisation=organisation, user=request.user)
    if form.is_valid():
        try:
            organisation_update(organisation=organisation, profile=form.profile, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("network:organisation_edit", organisation.slug)
    return _render_profile(request, organisation, form=form)


@login_required
@require_POST
def person_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _managed(request, slug)
    form = PersonAddForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["email"]
        try:
            membership_add(
                organisation=organisation,
                person=person,
                is_manager=form.cleaned_data["role"] == "manager",
                by=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s now belongs to the organisation.") % {"name": person}
            )
            return redirect("network:organisation_edit", organisation.slug)
    return _render_profile(request, organisation, person_form=form)


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("person", "organisation"),
        pk=pk,
        organisation=organisation,
    )


def _after_own_change(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Where to go once the person changed their own place in the organisation."""
    if organisations_managed_by(request.user).filter(pk=organisation.pk).exists():
        return redirect("network:organisation_edit", organisation.slug)
    user: Any = request.user
    if organisation.memberships.filter(person=user).exists():
        return redirect("network:organisation_space", organisation.slug)
    return redirect("web:dashboard")


@login_required
@require_POST
def person_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed(request, slug)
    membership = _membership(organisation, pk)
    try:
        membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        return _render_profile(request, organisation, people_error=" ".join(error.messages))
    messages.success(
        request,
        _("%(name)s no longer belongs to the organisation.") % {"name": membership.person},
    )
    return _after_own_change(request, organisation)


@login_required
@require_POST
def person_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed(request, slug)
    membership = _membership(organisation, pk)
    role = request.POST.get("role")
    if role not in ("manager", "member"):
        return _render_profile(request, organisation, people_error=_("Choose manager or member."))
    try:
        membership_set_manager(membership=membership, is_manager=role == "manager", by=request.user)
    except ValidationError as error:
        return _render_profile(request, organisation, people_error=" ".join(error.messages))
    if role == "manager":
        text = _("%(name)s is now a manager of the organisation.")
    else:
        text = _("%(name)s is now a member of the organisation, no longer a manager.")
    messages.success(request, text % {"name": membership.person})
    return _after_own_change(request, organisation)


# Software links.


@login_required
@require_http_methods(GET_OR_POST)
def links(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's software, and a form to declare one more."""
    organisation = _managed(request, slug)
    form = LinkForm(_posted(request))
    evidence = evidence_formset(_posted(request))
    if request.method == "POST":
        form_ok, evidence_ok = form.is_valid(), evidence.is_valid()
        if form_ok and evidence_ok:
            try:
                link = link_create(
                    organisation=organisation,
                    software=form.cleaned_data["software"],
                    data=form.data_with(evidence.rows()),
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(software)s is added to the organisation's software.")
                    % {"software": link.software.name},
                )
                return redirect("network:organisation_links", organisation.slug)
    context = {
        "organisation": organisation,
        "links": organisation_links_private(organisation),
        "form": form,
        "evidence": evidence,
        "is_coordinator": is_coordinator(request.user),
        "verification_days": settings.GUICHET_LINK_VERIFICATION_DAYS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "network/profile/links.html", context, status=status)


@login_required
@require_http_methods(GET_OR_POST)
def link_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _managed(request, slug)
    link = _link(organisation, pk)
    form = LinkForm(_posted(request), link=link)
    evidence = evidence_formset(_posted(request), link=link)
    if request.method == "POST":
        form_ok, evidence_ok = form.is_valid(), evidence.is_valid()
        if form_ok and evidence_ok:
            was_verified = link.is_verified
            try:
                link_update(link=link, data=form.data_with(evidence.rows()), by=request.user)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                text = _("The link is saved.")
                if was_verified and not link.is_verified:
                    text = _(
                        "The link is saved. Its role or evidence changed: it will show as "
                        "verified again once a coordinator has checked it."
                    )
                messages.success(request, text)
                return redirect("network:organisation_links", organisation.slug)
    context = {
        "organisation": organisation,
        "link": link,
        "form": form,
        "evidence": evidence,
        "is_coordinator": is_coordinator(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "network/profile/link_edit.html", context, status=status)


@login_required
@require_http_methods(GET_OR_POST)
def link_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Asks before withdrawing a link, as its evidence goes with it."""
    organisation = _managed(request, slug)
    link = _link(organisation, pk)
    if request.method == "POST":
        link_delete(link=link, by=request.user)
        messages.success(
            request,
            _("%(software)s is removed from the organisation's software.")
            % {"software": link.software.name},
        )
        return redirect("network:organisation_links", organisation.slug)
    return render(
        request, "network/profile/link_remove.html", {"organisation": organisation, "link": link}
    )


@login_required
@require_POST
def link_verify_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A coordinator vouches for a link's role and evidence."""
    if not is_coordinator(request.user):
        raise Http404
    organisation = _managed(request, slug)
    link = _link(organisation, pk)
    link_verify(link=link, by=request.user)
    messages.success(
        request,
        _("The link to %(software)s is marked verified.") % {"software": link.software.name},
    )
    return redirect("network:organisation_links", organisation.slug)
