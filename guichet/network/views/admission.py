"""Admission by peers, as pages: apply, follow one's application, evaluate, and coordinate.

Views stay thin: forms check the input, services write (atomic, audited), selectors read.
An application, an evaluation or a coordinator page outside what the person may see is a
404, as for any object of another organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from guichet.accounts.access import is_coordinator
from guichet.governance.messages import error_message as governance_error_message
from guichet.governance.services.common import GovernanceError
from guichet.network.access import organisations_visible_privately
from guichet.network.forms_admission import (
    ApplicationFilterForm,
    ApplyForm,
    AssignForm,
    EvaluationForm,
    OpenForm,
    PutToDecisionForm,
    WithdrawForm,
)
from guichet.network.messages import error_message
from guichet.network.models import Application, ApplicationStatus, Organisation
from guichet.network.selectors_admission import (
    EVALUATION_OPEN,
    application_with_organisation,
    applications_for_coordination,
    applications_of_person,
    assignments_of_evaluator,
    evaluation_summary,
    members_due_for_reevaluation,
    organisations_that_may_apply,
    reevaluations_to_open_count,
)
from guichet.network.services.admission import (
    OPEN_STATUSES,
    AdmissionError,
    applicant_withdrawal_refusal,
    application_submit,
    application_under_decision,
    application_withdraw,
    application_withdraw_by_applicant,
    evaluation_submit,
    evaluator_assign,
    reevaluations_open_due,
)
from guichet.network.services.applying import application_apply
from guichet.network.services.charter import CharterError, charter_sign, current_charter
from guichet.network.services.decisions import application_put_to_decision

View = Callable[..., HttpResponse]
PAGE_SIZE = 30
# The coordinators' list of re-evaluations shows members due within this many days.
REEVALUATION_HORIZON_DAYS = 60


def coordinator_required(view: View) -> View:
    """Signed in, then a coordinator; anyone else finds no page here (404, not 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# Applying, and following one's application.


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    charter = current_charter()
    context: dict[str, Any] = {
        "charter": charter,
        "values": charter.values.order_by("position") if charter else [],
    }
    if not request.user.is_authenticated:
        return render(request, "network/admission/apply.html", context)
    data = request.POST if request.method == "POST" else None
    form = ApplyForm(data, eligible=organisations_that_may_apply(request.user))
    if request.method == "POST" and charter is not None and form.is_valid():
        existing = form.applies_for()
        try:
            application = application_apply(
                by=request.user,
                organisation=existing,
                new=None if existing else form.new_organisation(),
                software=form.cleaned_data["software"],
                motivation=form.cleaned_data["motivation"],
            )
        except AdmissionError as error:
            form.add_error(None, error_message(error.code))
        else:
            messages.success(
                request, _("Your application is sent, and your organisation signed the charter.")
            )
            return redirect("network:application", application.pk)
    context.update(
        form=form,
        applications=applications_of_person(request.user).order_by("-submitted_at")[:5],
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "network/admission/apply.html", context, status=status)


@require_safe
@login_required
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    if is_coordinator(request.user):
        get_object_or_404(Application, pk=pk)
        return redirect("network:coordination_application", pk)
    return _status_page(request, _own_application(request.user, pk))


def _before_the_associates(application: Application) -> bool:
    """The application is put to the associates' decision, and they have not decided yet."""
    proposal = application.proposal
    return (
        proposal is not None
        and proposal.is_open
        and application.status == ApplicationStatus.AWAITING_DECISION
    )


def _own_application(user: Any, pk: int) -> Application:
    """An application of one of the person's organisations; any other is a 404."""
    return get_object_or_404(application_with_organisation(applications_of_person(user)), pk=pk)


def _status_page(
    request: HttpRequest,
    application: Application,
    *,
    failed: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The applicant's page; a manager may withdraw an admission in progress from it."""
    can_withdraw = applicant_withdrawal_refusal(application=application, by=request.user) is None
    context = {
        "application": application,
        "under_decision": _before_the_associates(application),
        "minimum": settings.GUICHET_MIN_EVALUATORS,
        "withdraw_form": (failed or WithdrawForm()) if can_withdraw else None,
        "form": failed,
    }
    return render(request, "network/admission/status.html", context, status=status)


@require_POST
@login_required
def application_withdraw_own(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager withdraws their organisation's admission, having ticked the confirmation.

    People of the organisation who do not manage it see the application but may not withdraw
    it (403); another organisation's application is a 404, coordinators included (they have
    their own withdrawal, on the coordination page).
    """
    application = _own_application(request.user, pk)
    if not _manages(request.user, application.organisation):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if applicant_withdrawal_refusal(application=application, by=request.user) is not None:
        # The page offers no box to tick here: the service says why it cannot be withdrawn.
        form = WithdrawForm({"confirm": "on"})
    if form.is_valid():
        try:
            application_withdraw_by_applicant(application=application, by=request.user)
        except AdmissionError as error:
            form.add_error(None, error_message(error.code))
        else:
            messages.success(
                request,
                _(
                    "Your organisation's application is withdrawn. It may apply again whenever "
                    "it wishes."
                ),
            )
            return redirect("network:application", application.pk)
    return _status_page(request, application, failed=form, status=400)


# Evaluating.


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(assignments_of_evaluator(request.user), pk=pk)
    application = assignment.application
    under_decision = application_under_decision(application)
    is_open = application.status in EVALUATION_OPEN and not under_decision
    saved = {r.value_id: r for r in assignment.ratings.all()}
    initial = {}
    for value_id, rating in saved.items():
        initial[f"rating_{value_id}"] = rating.rating
        initial[f"comment_{value_id}"] = rating.comment
    data = request.POST if request.method == "POST" else None
    form = EvaluationForm(data, initial=initial, charter=application.charter)
    status = 200
    if request.method == "POST":
        if not is_open:
            form.is_valid()
            refusal = "application_not_open_for_evaluation"
            if under_decision:  # the associates read the evaluations as they stand
                refusal = "evaluation_under_decision"
            form.add_error(None, error_message(refusal))
        elif form.is_valid():
            try:
                evaluation_submit(assignment=assignment, ratings=form.ratings(), by=request.user)
            except AdmissionError as error:
                form.add_error(None, error_message(error.code))
            else:
                messages.success(
                    request, _("Your evaluation is saved. You may change it until the decision.")
                )
                return redirect("network:evaluation", assignment.pk)
        status = 400
    organisation = (
        Organisation.objects.select_related("commune__department")
        .prefetch_related("software_links__software")
        .get(pk=application.organisation_id)
    )
    context = {
        "assignment": assignment,
        "application": application,
        "organisation": organisation,
        "form": form,
        "is_open": is_open,
        "under_decision": under_decision,
        "closed_rows": [(value, saved.get(value.pk)) for value in form.values],
    }
    return render(request, "network/admission/evaluation.html", context, status=status)


# Charter signing by a member, from its organisation's space.


@require_POST
@login_required
def organisation_charter_sign(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_privately(request.user), slug=slug)
    if not (_manages(request.user, organisation) and organisation.is_member):
        raise PermissionDenied
    try:
        signature = charter_sign(organisation=organisation, by=request.user)
    except CharterError as error:
        messages.error(request, error_message(error.code))
    else:
        messages.success(
            request,
            _("%(organisation)s signed version %(version)s of the charter.")
            % {"organisation": organisation.name, "version": signature.charter.version},
        )
    return redirect("network:organisation_space", organisation.slug)


def _manages(user: Any, organisation: Organisation) -> bool:
    """A manager of the organisation itself: coordinators do not sign on a member's behalf."""
    return organisation.memberships.filter(person=user, is_manager=True).exists()


def space_context(user: Any, organisation: Organisation) -> dict[str, Any]:
    """What an organisation's space shows about the charter and admissions."""
    charter = current_charter()
    signed = (
        charter is not None and organisation.charter_signatures.filter(charter=charter).exists()
    )
    manages = _manages(user, organisation)
    return {
        "current_charter": charter,
        "signed_current": signed,
        "can_sign": manages and organisation.is_member and charter is not None and not signed,
        "open_form": OpenForm(initial={"organisation": organisation.pk})
        if is_coordinator(user) and organisation.is_member
        else None,
    }


# Coordination.


@require_safe
@coordinator_required
def coordination_list(request: HttpRequest) -> HttpResponse:
    return _coordination_list(request, OpenForm())


def _coordination_list(
    request: HttpRequest, open_form: OpenForm, status: int = 200
) -> HttpResponse:
    filters = ApplicationFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = applications_for_coordination(
        status=chosen.get("status", ""), kind=chosen.get("kind", "")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "base_query": params.urlencode(),
        "open_form": open_form,
        "form": open_form,
    }
    return render(request, "network/admission/coordination_list.html", context, status=status)


@require_POST
@coordinator_required
def coordination_open(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            application = application_submit(
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                kind=form.cleaned_data["kind"],
                motivation=form.cleaned_data["reason"],
            )
        except AdmissionError as error:
            form.add_error(None, error_message(error.code))
        else:
            messages.success(request, _("The procedure is open: assign its evaluators."))
            return redirect("network:coordination_application", application.pk)
    return _coordination_list(request, form, status=400)


def _application_for_coordination(pk: int) -> Application:
    return get_object_or_404(application_with_organisation(Application.objects.all()), pk=pk)


def _coordination_detail(
    request: HttpRequest,
    application: Application,
    *,
    assign_form: AssignForm | None = None,
    decision_form: PutToDecisionForm | None = None,
    failed: Any = None,
    status: int = 200,
) -> HttpResponse:
    assignments, rows = evaluation_summary(application)
    can_assign = application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.EVALUATING)
    context = {
        "application": application,
        "assignments": assignments,
        "done": sum(1 for a in assignments if a.completed_at),
        "rows": rows,
        "assign_form": (assign_form or AssignForm(application=application)) if can_assign else None,
        "under_decision": _before_the_associates(application),
        # Put to the associates once the evaluations are complete, unless they decide already
        # (a decision withdrawn without outcome may be replaced by a new one).
        "decision_form": (decision_form or PutToDecisionForm())
        if application.status == ApplicationStatus.AWAITING_DECISION
        and not _before_the_associates(application)
        else None,
        "can_withdraw": application.status in OPEN_STATUSES,
        "form": failed,
    }
    return render(request, "network/admission/coordination_detail.html", context, status=status)


@require_safe
@coordinator_required
def coordination_application(request: HttpRequest, pk: int) -> HttpResponse:
    return _coordination_detail(request, _application_for_coordination(pk))


@require_POST
@coordinator_required
def coordination_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_coordination(pk)
    form = AssignForm(request.POST, application=application)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            evaluator_assign(
                application=application,
                evaluator=membership.person,
                organisation=membership.organisation,
                by=request.user,
            )
        except AdmissionError as error:
            form.add_error("membership", error_message(error.code))
        else:
            messages.success(
                request,
                _("%(person)s evaluates the application for %(organisation)s.")
                % {"person": membership.person, "organisation": membership.organisation},
            )
            return redirect("network:coordination_application", application.pk)
    return _coordination_detail(request, application, assign_form=form, failed=form, status=400)


@require_POST
@coordinator_required
def coordination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the application to the associates' decision: a proposal opens, linked to it.

    Coordinators no longer decide: the associates' decision applies itself when it closes.
    """
    application = _application_for_coordination(pk)
    form = PutToDecisionForm(request.POST)
    try:
        proposal = application_put_to_decision(application=application, by=request.user)
    except AdmissionError as error:
        form.add_error(None, error_message(error.code))
    except GovernanceError as error:
        form.add_error(None, governance_error_message(error.code))
    else:
        messages.success(
            request,
            _(
                "The application is before the associates: decision %(reference)s is open for "
                "discussion. Its outcome will apply here by itself."
            )
            % {"reference": proposal.reference},
        )
        return redirect("network:coordination_application", application.pk)
    return _coordination_detail(request, application, decision_form=form, failed=form, status=400)


@require_POST
@coordinator_required
def coordination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_coordination(pk)
    try:
        application_withdraw(application=application, by=request.user)
    except AdmissionError as error:
        messages.error(request, error_message(error.code))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect(reverse("network:coordination_application", args=[application.pk]))


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def coordination_reevaluations(request: HttpRequest) -> HttpResponse:
    """Members whose periodic evaluation is past or near, and opening those due today.

    Opening is safe to repeat: a member whose re-evaluation is already open is left alone.
    """
    today = timezone.localdate()
    if request.method == "POST":
        try:
            opened = reevaluations_open_due(today=today, by=request.user)
        except AdmissionError as error:  # no published charter: nothing can be opened
            messages.error(request, error_message(error.code))
            return redirect("network:coordination_reevaluations")
        if opened:
            messages.success(
                request,
                ngettext(
                    "%(count)d re-evaluation opened: assign its evaluators.",
                    "%(count)d re-evaluations opened: assign their evaluators.",
                    len(opened),
                )
                % {"count": len(opened)},
            )
        else:
            messages.info(
                request,
                _("No re-evaluation to open: no member is due today without one in progress."),
            )
        return redirect("network:coordination_reevaluations")
    due = members_due_for_reevaluation(today=today, within_days=REEVALUATION_HORIZON_DAYS)
    context = {
        "page": Paginator(due, PAGE_SIZE).get_page(request.GET.get("page")),
        "base_query": "",
        "today": today,
        "horizon": REEVALUATION_HORIZON_DAYS,
        "to_open": reevaluations_to_open_count(today=today),
    }
    return render(request, "network/admission/coordination_reevaluations.html", context)
