"""The associates' pages of a decision: the list, a new proposal, its page with the forms of
each step, an amendment, a version compared with the one before, a document.

Only those who take part (associates, coordinators) find these pages: others get a 404.
Every form of the proposal's page posts to the page's own address with an `action`; an
invalid form, or one the services refuse, comes back filled in with its errors (status 400).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guichet.governance import access
from guichet.governance.domain.diff import has_changes, lines_diff, words_diff
from guichet.governance.forms import (
    AmendForm,
    AttachmentForm,
    BallotForm,
    CandidateForm,
    CommentForm,
    ExamineForm,
    OutcomeStatementForm,
    PositionForm,
    ProposalForm,
    RoundOpenForm,
)
from guichet.governance.markdown import render as markdown
from guichet.governance.messages import error_message
from guichet.governance.models import (
    DecisionMode,
    Position,
    PositionValue,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from guichet.governance.selectors import associates, proposal_of, proposal_page, proposals_listed
from guichet.governance.services import positions as positions_service
from guichet.governance.services import proposals as proposals_service
from guichet.governance.services import rounds as rounds_service
from guichet.governance.services.common import GovernanceError, may_steer, statutes_current

PAGE_SIZE = 20
View = Any
DECIDED = (ProposalStatus.ADOPTED, ProposalStatus.REJECTED)


def _take_part(request: HttpRequest) -> None:
    if not access.can_take_part(request.user):
        raise Http404


@require_safe
@login_required
def proposals_list(request: HttpRequest) -> HttpResponse:
    _take_part(request)
    status = request.GET.get("status", "")
    if status not in ProposalStatus.values:
        status = ""
    kind = request.GET.get("kind", "")
    if kind not in ProposalKind.values:
        kind = ""
    found = proposals_listed(person=request.user, status=status, kind=kind)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": ProposalStatus.choices,
        "kinds": ProposalKind.choices,
        "base_query": urlencode({k: v for k, v in (("status", status), ("kind", kind)) if v}),
        "may_propose": access.can_take_part(request.user),
    }
    return render(request, "governance/proposals.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    _take_part(request)
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                proposal = proposals_service.proposal_open(by=request.user, **form.cleaned_data)
            except GovernanceError as error:
                form.add_error(None, error_message(error.code))
            else:
                messages.success(
                    request,
                    _("The proposal is open for discussion: the associates are told by email."),
                )
                return redirect("governance:proposal", reference=proposal.reference)
        return _new_page(request, form, status=400)
    return _new_page(request, form)


def _new_page(request: HttpRequest, form: ProposalForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "statutes": statutes_current()}
    return render(request, "governance/proposal_new.html", context, status=status)


def _proposal(request: HttpRequest, reference: str) -> Proposal:
    _take_part(request)
    return get_object_or_404(proposal_of(reference))


def _forms(
    request: HttpRequest, proposal: Proposal, data: dict[str, Any], bound: dict[str, Any]
) -> dict[str, Any]:
    """Each form the person may use on this proposal, bound when it was just posted."""
    user: Any = request.user
    steer = may_steer(proposal, user)
    facilitator = access.can_facilitate(user)
    current = data["current"]
    election = proposal.mode == DecisionMode.ELECTION
    started = bool(data["rounds"])
    found: dict[str, Any] = {"may_steer": steer, "facilitator": facilitator}
    if proposal.is_open:
        found["comment_form"] = bound.get("comment") or CommentForm()
    if steer and proposal.is_open:
        found["attachment_form"] = bound.get("attach") or AttachmentForm()
        found["may_amend"] = proposal.amendable and not (election and started)
        found["may_withdraw"] = True
        if current is None and not (election and started):
            found["round_form"] = bound.get("open_round") or RoundOpenForm(
                default_days=statutes_current().round_days
            )
    if steer and proposal.status in DECIDED:
        found["statement_form"] = bound.get("statement") or OutcomeStatementForm(
            initial={"text": proposal.outcome_statement}
        )
    if election and proposal.is_open and not started:
        standing = {candidate.person_id for candidate in data["candidates"]}
        if facilitator:
            found["candidate_form"] = bound.get("stand") or CandidateForm(
                associates=associates().exclude(pk__in=standing)
            )
        elif access.is_associate(user) and user.pk not in standing:
            found["candidate_form"] = bound.get("stand") or CandidateForm()
    if current is not None and current.in_electorate:
        if election:
            if not current.voted or current.givers:
                found["ballot_form"] = bound.get("ballot") or _ballot_form(
                    None, proposal, data, current.givers
                )
        else:
            found["position_form"] = bound.get("position") or _position_form(
                None, proposal, current
            )
    if current is not None:
        examined = bound.get("examine")
        for objection in current.objections:
            if objection.may_examine:
                mine = examined is not None and examined.position_pk == objection.position.pk
                objection.form = (
                    examined if mine else ExamineForm(prefix=f"o{objection.position.pk}")
                )
    return found


def _position_form(post: Any, proposal: Proposal, current: Any) -> PositionForm:
    initial = {}
    mine = current.mine
    if mine is not None and post is None:
        initial = {
            "value": mine.value,
            "comment": mine.comment,
            "change_requested": mine.change_requested,
        }
    return PositionForm(post, mode=proposal.mode, givers=current.givers, initial=initial)


def _ballot_form(post: Any, proposal: Proposal, data: dict[str, Any], givers: list[Any]) -> Any:
    return BallotForm(post, candidates=data["candidates"], seats=proposal.seats, givers=givers)


def _page(
    request: HttpRequest,
    proposal: Proposal,
    data: dict[str, Any] | None = None,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    data = data if data is not None else proposal_page(proposal, request.user)
    failed = next(iter((bound or {}).values()), None)
    context = {
        "proposal": proposal,
        "text": markdown(proposal.text),
        "form": failed,
        **data,
        **_forms(request, proposal, data, bound or {}),
    }
    return render(request, "governance/proposal.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def proposal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal(request, reference)
    if request.method != "POST":
        return _page(request, proposal)
    handler = ACTIONS.get(request.POST.get("action", ""))
    if handler is None:
        return HttpResponse(status=400)
    return handler(request, proposal, proposal_page(proposal, request.user))  # type: ignore[no-any-return]


def _done(request: HttpRequest, proposal: Proposal, text: str, anchor: str = "") -> HttpResponse:
    messages.success(request, text)
    response = redirect("governance:proposal", reference=proposal.reference)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _said(request: HttpRequest, proposal: Proposal, error: GovernanceError) -> HttpResponse:
    """A refusal of a step without a form of its own (a button): said on the page."""
    messages.error(request, error_message(error.code))
    return redirect("governance:proposal", reference=proposal.reference)


def _refused(
    request: HttpRequest,
    proposal: Proposal,
    data: dict[str, Any],
    key: str,
    form: Any,
    error: GovernanceError | None = None,
) -> HttpResponse:
    if error is not None:
        form.add_error(None, error_message(error.code))
    return _page(request, proposal, data, {key: form}, status=400)


def _steering(request: HttpRequest, proposal: Proposal) -> None:
    if not may_steer(proposal, request.user):
        raise PermissionDenied


def _comment(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, data, "comment", form)
    try:
        proposals_service.comment_add(
            proposal=proposal, by=request.user, body=form.cleaned_data["body"]
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "comment", form, error)
    return _done(request, proposal, _("Your message is added to the discussion."), "discussion")


def _attach(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    _steering(request, proposal)
    form = AttachmentForm(request.POST, request.FILES, session=request.session)
    if not form.is_valid():
        return _refused(request, proposal, data, "attach", form)
    try:
        proposals_service.attachment_add(
            proposal=proposal, by=request.user, document=form.cleaned_data["file"]
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "attach", form, error)
    return _done(request, proposal, _("The document is attached."), "documents")


def _position(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    current = data["current"]
    if current is None or proposal.mode == DecisionMode.ELECTION:
        return _said(request, proposal, GovernanceError("round_closed"))
    form = _position_form(request.POST, proposal, current)
    if not form.is_valid():
        return _refused(request, proposal, data, "position", form)
    try:
        positions_service.position_take(
            round=current.round,
            by=request.user,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            change_requested=form.cleaned_data.get("change_requested", ""),
            on_behalf=form.cleaned_data.get("on_behalf"),
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "position", form, error)
    return _done(request, proposal, _("The position is recorded."), "round")


def _ballot(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    current = data["current"]
    if current is None or proposal.mode != DecisionMode.ELECTION:
        return _said(request, proposal, GovernanceError("round_closed"))
    form = _ballot_form(request.POST, proposal, data, current.givers)
    if not form.is_valid():
        return _refused(request, proposal, data, "ballot", form)
    try:
        positions_service.ballot_cast(
            round=current.round,
            by=request.user,
            choices=form.cleaned_data["choices"],
            on_behalf=form.cleaned_data.get("on_behalf"),
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "ballot", form, error)
    return _done(request, proposal, _("The ballot is cast. It is secret: nobody can read it."))


def _objection_of(request: HttpRequest, data: dict[str, Any]) -> Position:
    current = data["current"]
    if current is None:
        raise Http404
    return get_object_or_404(
        Position,
        round=current.round,
        value=PositionValue.OBJECTION,
        pk=request.POST.get("position") or 0,
    )


def _examine(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    if not access.can_facilitate(request.user):
        raise PermissionDenied
    try:
        position = _objection_of(request, data)
    except ValueError:
        raise Http404 from None
    form = ExamineForm(request.POST, prefix=f"o{position.pk}")
    form.position_pk = position.pk  # type: ignore[attr-defined]
    if not form.is_valid():
        return _refused(request, proposal, data, "examine", form)
    try:
        positions_service.objection_examine(
            position=position,
            by=request.user,
            valid=form.cleaned_data["valid"] == "valid",
            reason=form.cleaned_data["reason"],
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "examine", form, error)
    return _done(request, proposal, _("The objection is examined."), "objections")


def _withdraw_objection(
    request: HttpRequest, proposal: Proposal, data: dict[str, Any]
) -> HttpResponse:
    try:
        position = _objection_of(request, data)
    except ValueError:
        raise Http404 from None
    try:
        positions_service.objection_withdraw(position=position, by=request.user)
    except GovernanceError as error:
        return _said(request, proposal, error)
    return _done(request, proposal, _("The objection is withdrawn."), "objections")


def _open_round(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    _steering(request, proposal)
    form = RoundOpenForm(request.POST, default_days=statutes_current().round_days)
    if not form.is_valid():
        return _refused(request, proposal, data, "open_round", form)
    try:
        rounds_service.round_open(
            proposal=proposal, by=request.user, days=form.cleaned_data["days"]
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "open_round", form, error)
    return _done(request, proposal, _("The round is open: the associates are told by email."))


def _withdraw(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    _steering(request, proposal)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Tick the box to confirm the withdrawal."))
        return redirect("governance:proposal", reference=proposal.reference)
    try:
        proposals_service.proposal_withdraw(proposal=proposal, by=request.user)
    except GovernanceError as error:
        return _said(request, proposal, error)
    return _done(request, proposal, _("The proposal is withdrawn."))


def _statement(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    _steering(request, proposal)
    form = OutcomeStatementForm(request.POST)
    if not form.is_valid():
        return _refused(request, proposal, data, "statement", form)
    try:
        proposals_service.outcome_statement_record(
            proposal=proposal, by=request.user, text=form.cleaned_data["text"]
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "statement", form, error)
    return _done(request, proposal, _("The outcome statement is recorded."), "outcome")


def _stand(request: HttpRequest, proposal: Proposal, data: dict[str, Any]) -> HttpResponse:
    facilitator = access.can_facilitate(request.user)
    form = CandidateForm(request.POST, associates=associates() if facilitator else None)
    if not form.is_valid():
        return _refused(request, proposal, data, "stand", form)
    person = form.cleaned_data.get("person") or request.user
    try:
        proposals_service.candidate_add(
            proposal=proposal,
            by=request.user,
            person=person,
            statement=form.cleaned_data["statement"],
        )
    except GovernanceError as error:
        return _refused(request, proposal, data, "stand", form, error)
    return _done(request, proposal, _("The candidacy is recorded."), "candidates")


ACTIONS: dict[str, View] = {
    "comment": _comment,
    "attach": _attach,
    "position": _position,
    "ballot": _ballot,
    "examine": _examine,
    "withdraw_objection": _withdraw_objection,
    "open_round": _open_round,
    "withdraw": _withdraw,
    "statement": _statement,
    "stand": _stand,
}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def proposal_amend(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = _proposal(request, reference)
    _steering(request, proposal)
    if not proposal.is_open:
        messages.error(request, error_message("proposal_closed"))
        return redirect("governance:proposal", reference=proposal.reference)
    if not proposal.amendable:
        messages.error(request, error_message("amend_the_subject"))
        return redirect("governance:proposal", reference=proposal.reference)
    form = AmendForm(
        request.POST if request.method == "POST" else None,
        initial={"title": proposal.title, "text": proposal.text},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                version = proposals_service.proposal_amend(
                    proposal=proposal, by=request.user, **form.cleaned_data
                )
            except GovernanceError as error:
                form.add_error(None, error_message(error.code))
            else:
                messages.success(
                    request,
                    _("Version %(number)s is recorded.") % {"number": version.number},
                )
                return redirect("governance:proposal", reference=proposal.reference)
        return _amend_page(request, proposal, form, status=400)
    return _amend_page(request, proposal, form)


def _amend_page(
    request: HttpRequest, proposal: Proposal, form: AmendForm, status: int = 200
) -> HttpResponse:
    context = {
        "proposal": proposal,
        "form": form,
        "current": proposals_service.current_round(proposal),
    }
    return render(request, "governance/proposal_amend.html", context, status=status)


@require_safe
@login_required
def version_detail(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    proposal = _proposal(request, reference)
    versions = list(proposal.versions.select_related("created_by").order_by("number"))
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    previous = next((v for v in reversed(versions) if v.number < number), None)
    lines = lines_diff(previous.text, version.text) if previous else ()
    title = (
        words_diff(previous.title, version.title)
        if previous and previous.title != version.title
        else ()
    )
    context = {
        "proposal": proposal,
        "version": version,
        "previous": previous,
        "versions": versions,
        "text": markdown(version.text),
        "lines": lines,
        "title_pieces": title,
        "text_changed": has_changes(lines),
    }
    return render(request, "governance/version.html", context)


@require_safe
@login_required
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    proposal = _proposal(request, reference)
    attachment = get_object_or_404(proposal.attachments, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
