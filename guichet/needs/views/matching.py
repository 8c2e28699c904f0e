"""Matching, in the open: a lot's ranking for coordinators, the rules in force for everyone,
how work is spread among members, and the form staff put new rules to the associates'
decision with (an adopted decision publishes them: needs/decisions.py).

A ranking shown here is a recorded run: its rules' version, its inputs and its result as they
were, with each component explained in plain words (reasons.py) and a check that recomputing
it from the record gives the same ranking.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from guichet.governance.messages import error_message as governance_error_message
from guichet.governance.models import OPEN_STATUSES as PROPOSAL_OPEN_STATUSES
from guichet.governance.models import Proposal, ProposalKind
from guichet.governance.services.common import GovernanceError
from guichet.needs.access import can_coordinate
from guichet.needs.domain import matching as engine
from guichet.needs.forms_matching import MatchingRulesForm
from guichet.needs.messages import message_for
from guichet.needs.models import Lot, MatchingRules, MatchingRun
from guichet.needs.reasons import (
    component_label,
    component_sentence,
    exclusion_sentence,
    number,
    plural_count,
)
from guichet.needs.selectors_concentration import concentration_by_quarter
from guichet.needs.selectors_matching import lot_place, rules_current, rules_from_record
from guichet.needs.selectors_shortlists import lot_shortlist
from guichet.needs.services.matching import (
    MatchingError,
    lot_rank,
    matching_rules_put_to_decision,
    run_replays,
    run_result,
)
from guichet.network.exports import LICENCE_URL
from guichet.network.models import Organisation
from guichet.network.models.links import SoftwareRole

View = Callable[..., HttpResponse]
GET_OR_POST = ["GET", "HEAD", "POST"]

# The shortlist (choosing the members sent to the client) draws its form for each ranked
# organisation here: set this to its template, rendered in a last column with `lot`, `run`
# and `row` (rank, organisation id, name…) in the context. None: no column.
SHORTLIST_SLOT_TEMPLATE: str | None = "needs/shortlist/slot.html"

# The engine's refusals (ValueError), in the reader's language.
ENGINE_REFUSALS = {
    "weights cannot be negative": gettext_lazy("A weight cannot be negative."),
    "at least one weight must be positive": gettext_lazy(
        "At least one component must weigh more than 0."
    ),
    "role weights lie between 0 and 1": gettext_lazy("Role weights lie between 0 and 1."),
    "evidence factors lie between 0 and 1": gettext_lazy("Evidence factors lie between 0 and 1."),
    "radius, half-distances, windows and priors must be positive": gettext_lazy(
        "The radius, the distances, the periods and the neutral weight must be greater than 0."
    ),
    "the neutral satisfaction lies between 1 and 5": gettext_lazy(
        "The neutral satisfaction lies between 1 and 5."
    ),
}


def coordinators_only(view: View) -> View:
    """Signed in, then a coordinator; anyone else finds no page here (404, as every
    coordination page)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_coordinate(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def staff_only(view: View) -> View:
    """Signed in, then staff: staff put new rules to the associates' decision."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- A lot's ranking ---------------------------------------------------------------------


def _replays(run: MatchingRun) -> bool:
    """Whether recomputing the run from its record gives the recorded ranking."""
    return run_replays(run)


def _ranking_rows(run: MatchingRun) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The run's ranked and excluded organisations, explained, with their public profiles
    (members only have one), in one query."""
    result = run_result(run)
    ranked, excluded = result.get("ranked", []), result.get("excluded", [])
    ids = {entry["organisation"] for entry in ranked} | {
        entry["organisation"] for entry in excluded
    }
    slugs = dict(Organisation.objects.filter(pk__in=ids, is_member=True).values_list("pk", "slug"))
    rows = []
    for position, entry in enumerate(ranked, start=1):
        if not entry.get("components"):
            # Only the best are explained (services/matching.EXPLAINED); the rest keep their
            # rank and total in the record, and are counted below the table.
            continue
        components = {item["name"]: item for item in entry.get("components", [])}
        rows.append(
            {
                "rank": position,
                "organisation": entry["organisation"],
                "name": entry["name"],
                "slug": slugs.get(entry["organisation"]),
                "total": entry["total"],
                "brought_by_client": entry.get("brought_by_client", False),
                "components": [
                    {
                        "name": name,
                        "label": component_label(name),
                        "value": components[name]["value"],
                        "reason": component_sentence(components[name]["reason"]),
                    }
                    for name in engine.COMPONENTS
                    if name in components
                ],
            }
        )
    out = [
        {
            "organisation": entry["organisation"],
            "name": entry["name"],
            "slug": slugs.get(entry["organisation"]),
            "reason": exclusion_sentence(entry["reason"]),
        }
        for entry in excluded
    ]
    return rows, out


def _rank_now(request: HttpRequest, lot: Lot) -> HttpResponse:
    try:
        run = lot_rank(lot=lot, by=request.user)
    except MatchingError as error:
        messages.error(request, message_for(error.code))
        return redirect("needs:coordination_lot_ranking", lot.pk)
    messages.success(
        request,
        _("The lot is ranked with the rules in force (version %(version)s).")
        % {"version": run.rules.version},
    )
    return redirect("needs:coordination_lot_ranking", lot.pk)


@require_http_methods(GET_OR_POST)
@coordinators_only
def lot_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest ranking of the lot (or an earlier one: ?run=<id>); POST ranks it now."""
    lot = get_object_or_404(
        Lot.objects.select_related("request", "request__commune", "commune"), pk=pk
    )
    if request.method == "POST":
        return _rank_now(request, lot)
    runs = list(
        lot.runs.order_by("-created_at", "-pk").values("pk", "created_at", "rules__version")
    )
    run: MatchingRun | None = None
    wanted = request.GET.get("run")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        run = get_object_or_404(
            MatchingRun.objects.select_related("rules", "created_by"), pk=int(wanted), lot=lot
        )
    elif runs:
        run = MatchingRun.objects.select_related("rules", "created_by").get(pk=runs[0]["pk"])
    current, _rules = rules_current()
    place = lot_place(lot)
    context: dict[str, Any] = {
        "lot": lot,
        "request_": lot.request,
        "place": place,
        # Said before anyone tries: ranking is refused until the place is fixed.
        "place_missing": lot.on_site
        and (place is None or place.latitude is None or place.longitude is None),
        "software": list(lot.software.order_by("name").values_list("name", flat=True)),
        "runs": runs,
        "run": run,
        "is_latest": run is not None and run.pk == runs[0]["pk"],
        "current_rules": current,
        "shortlist_slot": SHORTLIST_SLOT_TEMPLATE,
        "shortlist": lot_shortlist(lot),
    }
    if run is not None:
        context["rows"], context["excluded"] = _ranking_rows(run)
        context["unexplained"] = len(run_result(run).get("ranked", [])) - len(context["rows"])
        for row in context["rows"]:
            row["entry"] = context["shortlist"]["by_organisation"].get(row["organisation"])
        context["replays"] = _replays(run)
        weights = rules_from_record(run.rules).weights
        context["columns"] = [
            {"label": component_label(name), "share": weights[name] / sum(weights.values())}
            for name in engine.COMPONENTS
        ]
    return render(request, "needs/matching/lot_ranking.html", context)


# --- The rules, public -------------------------------------------------------------------

# Examples computed with the engine's own functions, so the page never drifts from it.
DISTANCE_EXAMPLES = (0, 25, 50, 100, 200, 400)
RECENT_DAYS_EXAMPLES = (0, 10, 40, 100)
MANY_RATINGS = (20, 4.5)  # how many ratings, and their mean


def _explained(rules: engine.Rules) -> dict[str, Any]:
    """The rules' numbers, with worked examples, as the page states them."""
    total_weight = sum(rules.weights.values())
    role_labels = dict(SoftwareRole.choices)
    weakest = min(rules.verified_factor, rules.evidenced_factor, rules.unproven_factor)
    # Distance counts for on-site work only: the examples are those of an on-site lot.
    lot = engine.LotNeed(software=(), person_days=0, on_site=True)
    months_count = plural_count(rules.default_lot_months)
    prior_count = plural_count(rules.satisfaction_prior_weight)

    def proximity(km: float) -> float:
        return engine.proximity(lot, engine.Candidate(0, "", distance_km=km), rules).value

    def spread(days: float) -> float:
        return engine.spread(engine.Candidate(0, "", recent_days=days), rules).value

    def satisfaction(mean: float | None, count: int) -> float:
        candidate = engine.Candidate(0, "", ratings_mean=mean, ratings_count=count)
        return engine.satisfaction(candidate, rules).value

    return {
        "components": [
            {
                "name": name,
                "label": component_label(name),
                "weight": rules.weights[name],
                "share": rules.weights[name] / total_weight,
            }
            for name in engine.COMPONENTS
        ],
        "roles": [
            {"label": role_labels.get(role, role), "weight": weight}
            for role, weight in sorted(rules.role_weights.items(), key=lambda item: -item[1])
        ],
        "integrator_declared": rules.role_weights["integrator"] * weakest,
        "distances": [{"km": km, "value": proximity(km)} for km in DISTANCE_EXAMPLES],
        "recent": [{"days": days, "value": spread(days)} for days in RECENT_DAYS_EXAMPLES],
        "neutral": satisfaction(None, 0),
        "one_top_rating": satisfaction(5.0, 1),
        "many_count": MANY_RATINGS[0],
        "many_mean": MANY_RATINGS[1],
        "many_good_ratings": satisfaction(MANY_RATINGS[1], MANY_RATINGS[0]),
        "lot_months": ngettext("%(count)s month", "%(count)s months", months_count)
        % {"count": number(rules.default_lot_months)},
        "prior_ratings": ngettext(
            "%(count)s neutral rating", "%(count)s neutral ratings", prior_count
        )
        % {"count": number(rules.satisfaction_prior_weight)},
    }


def _long_form_url() -> str:
    """docs/algorithms/matching.md in the published source, when the instance says where."""
    source = settings.GUICHET_SOURCE_URL.rstrip("/")
    if not source:
        return ""
    source = source.removesuffix(".git")
    return f"{source}/blob/HEAD/docs/algorithms/matching.md"


@require_safe
def matching_rules(request: HttpRequest, version: int | None = None) -> HttpResponse:
    """The rules in force (or an earlier version), explained with their actual numbers."""
    current, _rules = rules_current()
    record = current if version is None else get_object_or_404(MatchingRules, version=version)
    rules = rules_from_record(record)
    versions = list(MatchingRules.objects.order_by("-version"))
    references = {v.decision_reference for v in versions if v.decision_reference}
    context = {
        "record": record,
        "rules": rules,
        "is_current": record.pk == current.pk,
        "current": current,
        "explained": _explained(rules),
        "versions": versions,
        # References of the associates' decisions, linked to the public decision log.
        "decisions": set(
            Proposal.objects.filter(reference__in=references).values_list("reference", flat=True)
        )
        if references
        else set(),
        "long_form_url": _long_form_url(),
    }
    return render(request, "needs/matching/rules.html", context)


@require_http_methods(GET_OR_POST)
@staff_only
def matching_rules_new(request: HttpRequest) -> HttpResponse:
    """Staff put new rules to the associates' decision, the form prefilled with the rules in
    force; the decision, adopted, publishes them as the next version."""
    current, rules = rules_current()
    form = MatchingRulesForm(request.POST if request.method == "POST" else None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = matching_rules_put_to_decision(
                parameters=form.parameters(), note=form.cleaned_data["note"], by=request.user
            )
        except ValueError as error:
            refusal = ENGINE_REFUSALS.get(str(error))
            form.add_error(
                None,
                str(refusal) if refusal else _("The matching engine cannot use these rules."),
            )
        except GovernanceError as error:
            form.add_error(None, governance_error_message(error.code))
        else:
            messages.success(
                request,
                _(
                    "The new rules are before the associates: decision %(reference)s is open "
                    "for discussion. Adopted, it publishes them as version %(version)s."
                )
                % {"reference": proposal.reference, "version": current.version + 1},
            )
            return redirect("governance:proposal", proposal.reference)
    context = {
        "form": form,
        "current": current,
        # Rule changes the associates are deciding on already: each would publish its own.
        "open_decisions": Proposal.objects.filter(
            kind=ProposalKind.RULE_CHANGE, status__in=PROPOSAL_OPEN_STATUSES
        ).order_by("created_at", "pk"),
    }
    status = 400 if form.errors else 200
    return render(request, "needs/matching/rules_new.html", context, status=status)


# --- How work is spread ------------------------------------------------------------------


@require_safe
def concentration(request: HttpRequest) -> HttpResponse:
    quarters = concentration_by_quarter()
    context = {
        "quarters": quarters,
        "members": quarters[0].members if quarters else 0,
        "any_work": any(quarter.total_days for quarter in quarters),
    }
    return render(request, "needs/matching/concentration.html", context)


CSV_COLUMNS = [
    "quarter",
    "first_day",
    "last_day",
    "in_progress",
    "members",
    "members_with_work",
    "awarded_days",
    "top_10_percent_share",
    "gini",
]


def _decimal_text(value: Any, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


@require_safe
def concentration_csv(request: HttpRequest) -> HttpResponse:
    """The concentration table as CSV: the same figures, with dots and without rounding away
    more than three decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for figures in concentration_by_quarter():
        writer.writerow(
            [
                figures.quarter.code,
                figures.quarter.start.isoformat(),
                figures.quarter.end.isoformat(),
                "yes" if figures.in_progress else "no",
                figures.members,
                figures.members_with_work,
                _decimal_text(figures.total_days, 1),
                _decimal_text(figures.top_share, 3),
                _decimal_text(figures.gini, 3),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"guichet-repartition-du-travail-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
