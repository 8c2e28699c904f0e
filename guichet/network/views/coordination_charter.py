"""The charter as coordinators keep it: its versions, a draft to edit, then put it to the
associates' decision, or discard it.

There is at most one draft; it starts as a copy of the current version. Coordinators no longer
publish it: they put it to the associates' decision (a proposal of the kind "charter change"),
and while the associates decide the draft is shown as it stands, neither editable nor
discardable. An adopted decision publishes it, which makes it current and asks every member
organisation to sign again; one not adopted leaves the draft to be changed. A published
version is never edited. Everyone but coordinators gets a 404: these pages do not exist for
them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.governance.messages import error_message as governance_error_message
from guichet.governance.services.common import GovernanceError
from guichet.network.forms_charter import (
    BaseValueFormSet,
    ConfirmForm,
    PreambleForm,
    draft_forms,
)
from guichet.network.messages import error_message
from guichet.network.models import Charter, Organisation
from guichet.network.selectors_charter import charter_versions, members_without_signature
from guichet.network.services.charter import (
    CharterError,
    charter_draft_discard,
    charter_draft_start,
    charter_draft_update,
    charter_under_decision,
    current_charter,
)
from guichet.network.services.decisions import charter_put_to_decision
from guichet.network.views.coordination_catalogue import coordinators_only

GET_OR_POST = ["GET", "HEAD", "POST"]


@login_required
@require_http_methods(GET_OR_POST)
@coordinators_only
def charter_versions_view(request: HttpRequest) -> HttpResponse:
    """The versions with their signatures; POST starts a draft from the current version."""
    if request.method == "POST":
        return _start_draft(request)
    current = current_charter()
    versions = list(charter_versions())
    context = {
        "versions": versions,
        "current": current,
        "draft": next((v for v in versions if v.published_at is None), None),
        "unsigned": list(members_without_signature(current)) if current else [],
        "member_count": Organisation.objects.filter(is_member=True).count(),
    }
    return render(request, "network/coordination/charter_versions.html", context)


def _start_draft(request: HttpRequest) -> HttpResponse:
    try:
        draft = charter_draft_start(by=request.user)
    except CharterError as error:
        messages.error(request, error_message(error.code))
        existing = Charter.objects.filter(published_at__isnull=True).first()
        if existing is not None:
            return redirect("network:coordination_charter_draft", existing.version)
        return redirect("network:coordination_charter")
    messages.success(
        request,
        _(
            "Version %(version)s is drafted as a copy of the current one: change it, then put "
            "it to the associates' decision."
        )
        % {"version": draft.version},
    )
    return redirect("network:coordination_charter_draft", draft.version)


def _draft(request: HttpRequest, version: int) -> Charter | HttpResponse:
    """The draft of that version; a published one is refused, back to the list."""
    charter = get_object_or_404(Charter.objects.select_related("proposal"), version=version)
    if charter.published_at is not None:
        return _refuse_published(request, charter)
    return charter


def _refuse_published(request: HttpRequest, charter: Charter) -> HttpResponse:
    messages.error(
        request,
        _(
            "Version %(version)s of the charter is published: it can no longer be changed. "
            "Start a new draft to change the charter."
        )
        % {"version": charter.version},
    )
    return redirect("network:coordination_charter")


def _decision_form(draft: Charter, data: Any = None) -> ConfirmForm:
    label = _(
        "I confirm putting version %(version)s to the associates' decision: until they decide, "
        "the draft can be neither changed nor discarded."
    ) % {"version": draft.version}
    return ConfirmForm(data, label=label, prefix="publish")


def _discard_form(draft: Charter, data: Any = None) -> ConfirmForm:
    label = _(
        "I confirm discarding the draft of version %(version)s, with its preamble and values."
    ) % {"version": draft.version}
    return ConfirmForm(data, label=label, prefix="discard")


def _draft_page(
    request: HttpRequest,
    draft: Charter,
    *,
    forms: tuple[PreambleForm, BaseValueFormSet] | None = None,
    decision_form: ConfirmForm | None = None,
    discard_form: ConfirmForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    preamble, values = forms or draft_forms(draft)
    decision_form = decision_form or _decision_form(draft)
    discard_form = discard_form or _discard_form(draft)
    failed = [
        form for form in (preamble, decision_form, discard_form) if form.is_bound and form.errors
    ]
    context = {
        "draft": draft,
        "current": current_charter(),
        # Before the associates: the draft is shown as it stands, with no form to change it.
        "under_decision": charter_under_decision(draft),
        "draft_values": draft.values.order_by("position"),
        "refusal": refusal,
        "preamble_form": preamble,
        "values": values,
        "values_failed": values.is_bound and not values.is_valid(),
        "decision_form": decision_form,
        "discard_form": discard_form,
        # The page's title says "Error:" when a form came back with errors.
        "form": failed[0] if failed else None,
    }
    return render(request, "network/coordination/charter_draft.html", context, status=status)


def _refuse_under_decision(request: HttpRequest, draft: Charter) -> HttpResponse:
    """A change posted while the associates decide: refused, the draft shown as it stands."""
    return _draft_page(
        request, draft, refusal=str(error_message("charter_under_decision")), status=400
    )


@login_required
@require_http_methods(GET_OR_POST)
@coordinators_only
def charter_draft_view(request: HttpRequest, version: int) -> HttpResponse:
    """Edit the draft: its preamble and its values (add, change, reorder, remove)."""
    draft = _draft(request, version)
    if isinstance(draft, HttpResponse):
        return draft
    if request.method != "POST":
        return _draft_page(request, draft)
    if charter_under_decision(draft):
        return _refuse_under_decision(request, draft)
    preamble, values = draft_forms(draft, request.POST)
    if all([preamble.is_valid(), values.is_valid()]):  # both checked, to show every error
        try:
            charter_draft_update(
                charter=draft,
                values=values.values(),
                preamble=preamble.cleaned_data["preamble"],
                preamble_en=preamble.cleaned_data["preamble_en"],
                by=request.user,
            )
        except CharterError as error:
            if error.code == "charter_already_published":  # published meanwhile
                return _refuse_published(request, draft)
            if error.code == "charter_under_decision":  # put to decision meanwhile
                return _refuse_under_decision(request, draft)
            preamble.add_error(None, error_message(error.code))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("network:coordination_charter_draft", draft.version)
    return _draft_page(request, draft, forms=(preamble, values), status=400)


@login_required
@require_POST
@coordinators_only
def charter_put_to_decision_view(request: HttpRequest, version: int) -> HttpResponse:
    """Put the draft, as last saved, to the associates' decision, once the coordinator ticked
    the confirmation; an adopted decision publishes it."""
    draft = _draft(request, version)
    if isinstance(draft, HttpResponse):
        return draft
    if charter_under_decision(draft):
        return _refuse_under_decision(request, draft)
    form = _decision_form(draft, request.POST)
    if form.is_valid():
        try:
            proposal = charter_put_to_decision(charter=draft, by=request.user)
        except CharterError as error:
            form.add_error(None, error_message(error.code))
        except GovernanceError as error:
            form.add_error(None, governance_error_message(error.code))
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s of the charter is before the associates: decision "
                    "%(reference)s is open for discussion. Adopted, it publishes the version, "
                    "and every member organisation is asked to sign it."
                )
                % {"version": draft.version, "reference": proposal.reference},
            )
            return redirect("network:coordination_charter_draft", draft.version)
    return _draft_page(request, draft, decision_form=form, status=400)


@login_required
@require_POST
@coordinators_only
def charter_discard_view(request: HttpRequest, version: int) -> HttpResponse:
    """Delete the draft, once the coordinator ticked the confirmation."""
    draft = _draft(request, version)
    if isinstance(draft, HttpResponse):
        return draft
    if charter_under_decision(draft):
        return _refuse_under_decision(request, draft)
    form = _discard_form(draft, request.POST)
    if form.is_valid():
        try:
            charter_draft_discard(charter=draft, by=request.user)
        except CharterError as error:
            form.add_error(None, error_message(error.code))
        else:
            messages.success(
                request,
                _("The draft of version %(version)s is discarded.") % {"version": draft.version},
            )
            return redirect("network:coordination_charter")
    return _draft_page(request, draft, discard_form=form, status=400)
