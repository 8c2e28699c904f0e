"""The public decision log: the list, each decision's page, how we decide, the feeds and
the open data. No sign-in anywhere here; nothing private (see selectors_log.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from guichet.core.opendata import CONTENT_TYPES, LICENCE_URL
from guichet.governance import access, exports
from guichet.governance.markdown import render as markdown_render
from guichet.governance.models import DecisionMode, Proposal, ProposalKind
from guichet.governance.selectors_log import (
    OBJECTION_STATES,
    OUTCOMES,
    decided_latest,
    log_entry_find,
    log_entry_record,
    log_listed,
    log_rows_prepare,
    log_years,
    percent_text,
    summary_text,
)
from guichet.governance.services.common import statutes_current

if TYPE_CHECKING:
    _Feed = Feed[Proposal, None]
else:
    _Feed = Feed

PAGE_SIZE = 25
FEED_SIZE = 50


class LogFilterForm(forms.Form):
    """The log's filters, in the address (GET) so that a filtered log can be shared."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ProposalKind.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *((k, label) for k, (label, _s) in OUTCOMES.items())],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", _("All years")), *((str(y), str(y)) for y in years)]


def _feed_links() -> dict[str, str]:
    return {"rss": reverse("governance:feed_rss"), "atom": reverse("governance:feed_atom")}


@require_safe
def log_list(request: HttpRequest) -> HttpResponse:
    """Every decision put to the associates, newest first, with its outcome and counts."""
    form = LogFilterForm(request.GET or None, years=log_years())
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data["kind"],
            "outcome": form.cleaned_data["outcome"],
            "year": form.cleaned_data["year"],
        }
    page = Paginator(log_listed(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = log_rows_prepare(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
        "base_query": params.urlencode(),
        "feeds": _feed_links(),
    }
    # A filter the form refuses is a bad request: the form says why, the log shows unfiltered.
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "governance/log_list.html", context, status=status)


@require_safe
def log_entry(request: HttpRequest, reference: str) -> HttpResponse:
    """One decision: its text as put to the last round, the outcome and why, each round."""
    try:
        proposal = log_entry_find(reference)
    except Proposal.DoesNotExist as missing:
        raise Http404 from missing
    record = log_entry_record(proposal)
    context = {
        "record": record,
        "proposal": proposal,
        "text": markdown_render(record.version.text if record.version else proposal.text),
        "is_election": proposal.mode == DecisionMode.ELECTION,
        "private_page": (
            reverse("governance:proposal", args=[proposal.reference])
            if access.can_take_part(request.user)
            else ""
        ),
        "feeds": _feed_links(),
    }
    return render(request, "governance/log_entry.html", context)


def _source_doc(name: str) -> str:
    """docs/algorithms/<name>.md in the published source, when the instance says where."""
    source = settings.GUICHET_SOURCE_URL.rstrip("/").removesuffix(".git")
    return f"{source}/blob/HEAD/docs/algorithms/{name}.md" if source else ""


@require_safe
def how_we_decide(request: HttpRequest) -> HttpResponse:
    """How decisions are taken, with the statutes' numbers as configured now."""
    statutes = statutes_current()
    rules = [
        {
            "name": rule.college.localized_name,
            "weight": percent_text(rule.weight_percent),
            "quorum": percent_text(rule.quorum_percent) if rule.quorum_percent > 0 else "",
        }
        for rule in statutes.colleges.select_related("college").order_by(
            "college__position", "college__slug"
        )
    ]
    context = {
        "statutes": statutes,
        "quorum": percent_text(statutes.quorum_percent) if statutes.quorum_percent > 0 else "",
        "college_rules": rules,
        "college_quorums": [rule for rule in rules if rule["quorum"]],
        "objection_states": list(OBJECTION_STATES.values()),
        "consent_doc": _source_doc("consent"),
        "elections_doc": _source_doc("elections"),
    }
    return render(request, "governance/how_we_decide.html", context)


class RssFeed(_Feed):
    """The latest decisions, as RSS 2.0: each item links to the decision's public page."""

    title = _("Decisions of the network")
    description = _("The outcome of each decision put to the associates, with its counts.")

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Read only, like every page of the log (require_safe cannot wrap an instance here).
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().__call__(request, *args, **kwargs)

    def link(self) -> str:
        return reverse("governance:log")

    def items(self) -> list[Proposal]:
        return decided_latest(FEED_SIZE)

    def item_title(self, item: Proposal) -> str:
        return f"{item.reference} — {item.title}"

    def item_description(self, item: Proposal) -> str:
        return summary_text(item)

    def item_link(self, item: Proposal) -> str:
        return reverse("governance:log_entry", args=[item.reference])

    def item_pubdate(self, item: Proposal) -> Any:
        return item.decided_at

    def item_updateddate(self, item: Proposal) -> Any:
        return item.decided_at

    def item_categories(self, item: Proposal) -> list[str]:
        return [str(item.get_kind_display())]


class AtomFeed(RssFeed):
    """The same decisions, as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = RssFeed.description


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    body: str | bytes = exports.as_csv(base_url) if fmt == "csv" else exports.as_ods(base_url)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"guichet-{exports.DATASET}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The whole log as CSV open data (one row per round closed with an outcome)."""
    return _download(request, "csv")


@require_safe
def export_ods(request: HttpRequest) -> HttpResponse:
    """The whole log as an OpenDocument spreadsheet, with a sheet stating its licence."""
    return _download(request, "ods")
