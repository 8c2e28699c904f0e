"""Client evaluations, as pages.

The client's page opens by its emailed link (the signed token is the credential, no account):
an unknown link answers 404, an expired one a page that says so and whom to write to, both
without any detail of the mission. A link opens its own evaluation only: the token names the
evaluation and its nonce, never a mission to pick. A member organisation's manager replies
from the mission's space; the mission is looked up among those the person may open (404
otherwise), the evaluation among that mission's submitted ones.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guichet.missions import access
from guichet.missions.domain import workflow
from guichet.missions.domain.evaluations import CRITERIA
from guichet.missions.forms_evaluations import LABELS, EvaluationForm, ReplyForm
from guichet.missions.messages import error_message as evaluation_message
from guichet.missions.models import Evaluation, Mission
from guichet.missions.selectors_evaluations import managed_organisation_ids
from guichet.missions.services.common import MissionError
from guichet.missions.services.evaluations import (
    evaluation_find,
    evaluation_reminders_stop,
    evaluation_reply_publish,
    evaluation_submit,
)
from guichet.needs.views.intake import GET_OR_POST, private
from guichet.network.models import Organisation

# A link that does not open: unknown answers 404; expired answers its page (the client did
# nothing wrong, the page is the answer).
LINK_STATUS = {"link_unknown": 404, "link_expired": 200}
# Refusals that belong next to a field of the form, rather than above it.
EVALUATION_FIELDS = {"comment_too_long": "comment"}
REPLY_FIELDS = {"reply_empty": "text", "reply_too_long": "text"}


def link_error(http: HttpRequest, code: str) -> HttpResponse:
    """The page of an evaluation link that does not open, what happened and whom to ask."""
    context = {"code": code, "explanation": evaluation_message(code)}
    status = LINK_STATUS.get(code, 404)
    return private(render(http, "missions/evaluations/link_error.html", context, status=status))


def _state(evaluation: Evaluation) -> str:
    """What the client may do: answer, change its answers, or only read them."""
    status = evaluation.mission.status
    if not workflow.may_be_evaluated(status):
        return "not_open"
    if evaluation.submitted_at is None:
        return "open"
    return "editable" if workflow.evaluation_editable(status) else "closed"


def _page(
    http: HttpRequest, evaluation: Evaluation, form: EvaluationForm, status: int = 200
) -> HttpResponse:
    mission = evaluation.mission
    state = _state(evaluation)
    context = {
        "evaluation": evaluation,
        "mission": mission,
        "req": mission.request,
        "members": list(mission.members.select_related("organisation").order_by("role", "pk")),
        "form": form,
        "state": state,
        "answers": [(LABELS[c], getattr(evaluation, c)) for c in CRITERIA],
        "refusal": evaluation_message(
            "evaluation_not_open" if state == "not_open" else "evaluation_closed"
        ),
        "reminders_on": evaluation.submitted_at is None and evaluation.reminders_stopped_at is None,
    }
    return private(render(http, "missions/evaluations/evaluate.html", context, status=status))


@never_cache
@require_http_methods(GET_OR_POST)
def evaluation_page(http: HttpRequest, token: str) -> HttpResponse:
    """The client evaluates the mission (or changes its answers, or stops the reminders)."""
    try:
        evaluation = evaluation_find(token)
    except MissionError as error:
        return link_error(http, error.code)
    here = reverse("missions:evaluation", args=[token])
    if http.method == "POST" and http.POST.get("action") == "stop_reminders":
        evaluation_reminders_stop(evaluation=evaluation)
        messages.success(http, _("Understood: no more reminders will be sent to you."))
        return private(redirect(here))
    data = http.POST if http.method == "POST" else None
    form = EvaluationForm(data, initial=EvaluationForm.initial_of(evaluation))
    if http.method == "POST" and form.is_valid():
        first = evaluation.submitted_at is None
        try:
            evaluation_submit(
                evaluation=evaluation,
                ratings=form.ratings(),
                would_recommend=form.would_recommend_value,
                comment=form.cleaned_data["comment"],
            )
        except MissionError as error:
            if error.code in LINK_STATUS:
                return link_error(http, error.code)
            form.add_error(EVALUATION_FIELDS.get(error.code), evaluation_message(error.code))
        else:
            thanks = _(
                "Thank you: your evaluation is recorded. You may change it until the mission "
                "closes."
            )
            messages.success(http, thanks if first else _("Your changes are recorded."))
            return private(redirect(here))
    return _page(http, evaluation, form, status=400 if form.errors else 200)


def _reply_organisation(http: HttpRequest, mission: Mission, managed: set[int]) -> Organisation:
    """The organisation the reply speaks for: the one asked for (it must be one the person
    manages on this mission), else the first by name."""
    asked = http.POST.get("organisation") or http.GET.get("organisation")
    if asked:
        try:
            pk = int(asked)
        except ValueError:
            raise Http404 from None
        if pk not in managed:
            raise Http404
        return Organisation.objects.get(pk=pk)
    first = Organisation.objects.filter(pk__in=managed).order_by("name").first()
    if first is None:
        raise Http404
    return first


@require_http_methods(GET_OR_POST)
@login_required
def evaluation_reply(http: HttpRequest, mission_pk: int, pk: int) -> HttpResponse:
    """A manager of a member organisation publishes (or corrects) its reply to the client."""
    mission = get_object_or_404(
        access.missions_of_person(http.user).select_related("request"), pk=mission_pk
    )
    evaluation = get_object_or_404(
        mission.evaluations.filter(submitted_at__isnull=False).select_related("mission"), pk=pk
    )
    managed = managed_organisation_ids(http.user, mission)
    if not managed:
        raise Http404
    organisation = _reply_organisation(http, mission, managed)
    existing = evaluation.replies.filter(organisation=organisation).first()
    form = ReplyForm(
        http.POST if http.method == "POST" else None,
        initial={"text": existing.text if existing else ""},
    )
    if http.method == "POST" and form.is_valid():
        try:
            evaluation_reply_publish(
                evaluation=evaluation,
                organisation=organisation,
                text=form.cleaned_data["text"],
                by=http.user,
            )
        except MissionError as error:
            form.add_error(REPLY_FIELDS.get(error.code), evaluation_message(error.code))
        else:
            messages.success(http, _("Your reply is published next to the client's comment."))
            return redirect(reverse("missions:mission", args=[mission.pk]) + "#evaluations")
    context: dict[str, Any] = {
        "mission": mission,
        "evaluation": evaluation,
        "answers": [(LABELS[c], getattr(evaluation, c)) for c in CRITERIA],
        "organisation": organisation,
        "existing": existing,
        "others": Organisation.objects.filter(pk__in=managed - {organisation.pk}).order_by("name"),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(http, "missions/evaluations/reply.html", context, status=status)
