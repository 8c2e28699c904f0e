"""Reads of upstream contributions: one mission's (for its members), and what the network
gave back (for everyone).

The public sees every contribution but the withdrawn ones, without its mission or client.
Before its embargo date a contribution shows only as "a contribution to <project>" with its
member (so that the member is still counted), never its title, link, kind or status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from guichet.core.registries.datasets import latest_of
from guichet.missions import access
from guichet.missions.domain import workflow
from guichet.missions.domain.contributions import is_public
from guichet.missions.models import Contribution, ContributionStatus, Mission


def contributions_for_mission(*, mission: Mission) -> list[Contribution]:
    """The mission's contributions, newest first, with their organisation and software."""
    return list(
        mission.contributions.select_related("organisation", "software").order_by(
            "-created_at", "-pk"
        )
    )


def justification_state(mission: Mission) -> str:
    """ "" when the mission has no development work, else "approved", "waiting" (written,
    not approved yet) or "missing"."""
    if not mission.includes_development:
        return ""
    if mission.justification_approved_at is not None:
        return "approved"
    return "waiting" if mission.justification.strip() else "missing"


def contribution_section(*, mission: Mission, user: Any) -> dict[str, Any]:
    """The context of the fragment missions/contributions/mission_section.html for this
    person (merge it into the mission page's context). Four queries."""
    contributions = contributions_for_mission(mission=mission)
    editable = set(access.own_members(user, mission).values_list("organisation_id", flat=True))
    state = justification_state(mission)
    open_ = mission.status != workflow.CANCELLED
    return {
        "contributions": contributions,
        "contribution_edit_orgs": editable if open_ else set(),
        "contribution_add_url": reverse("missions:contribution_add", args=[mission.pk])
        if open_ and editable
        else None,
        "justification_state": state,
        "justification_url": reverse("missions:justification", args=[mission.pk]),
        "close_needs_contribution": bool(state)
        and state != "approved"
        and not contributions
        and mission.status not in workflow.ENDED,
    }


# --- What the network gave back, publicly ------------------------------------------------


def public_contributions() -> QuerySet[Contribution]:
    """Every contribution the public may know of (all but the withdrawn), newest first,
    with what a public line shows."""
    return (
        Contribution.objects.exclude(status=ContributionStatus.WITHDRAWN)
        .select_related("software", "organisation")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class GroupCount:
    """How many contributions went to one project, or came from one member."""

    slug: str
    name: str
    total: int
    merged: int
    # Whether the name links to a public page (a member's directory profile).
    has_page: bool = True


@dataclass(frozen=True)
class GivenBack:
    by_project: list[GroupCount]
    by_member: list[GroupCount]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.by_project)

    @property
    def merged(self) -> int:
        return sum(group.merged for group in self.by_project)


MERGED = Count("pk", filter=Q(status=ContributionStatus.MERGED))


def given_back() -> GivenBack:
    """Contributions counted by upstream project and by member organisation, the most first
    (embargoed ones included: only their details are hidden). Two queries."""
    found = public_contributions().order_by()
    projects = (
        found.values("software__slug", "software__name")
        .annotate(total=Count("pk"), merged=MERGED)
        .order_by("-total", "-merged", "software__name")
    )
    members = (
        found.values("organisation__slug", "organisation__name", "organisation__is_member")
        .annotate(total=Count("pk"), merged=MERGED)
        .order_by("-total", "-merged", "organisation__name")
    )
    return GivenBack(
        by_project=[
            GroupCount(row["software__slug"], row["software__name"], row["total"], row["merged"])
            for row in projects
        ],
        by_member=[
            GroupCount(
                row["organisation__slug"],
                row["organisation__name"],
                row["total"],
                row["merged"],
                has_page=row["organisation__is_member"],
            )
            for row in members
        ],
    )


@dataclass(frozen=True)
class PublicContribution:
    """One contribution as the public sees it: `public` False while it is embargoed, and
    then no title, link, kind, status nor date."""

    software_slug: str
    software_name: str
    organisation_slug: str
    organisation_name: str
    organisation_has_page: bool
    public: bool
    title: str = ""
    url: str = ""
    kind: str = ""
    kind_label: str = ""
    status: str = ""
    status_label: str = ""
    on: date | None = None


def public_view(contribution: Contribution, *, today: date | None = None) -> PublicContribution:
    """What the public may see of a contribution today (software and organisation loaded)."""
    today = today or timezone.localdate()
    software, organisation = contribution.software, contribution.organisation
    shown = is_public(embargo_until=contribution.embargo_until, today=today)
    moment = contribution.merged_at or contribution.created_at
    return PublicContribution(
        software_slug=software.slug,
        software_name=software.name,
        organisation_slug=organisation.slug,
        organisation_name=organisation.name,
        organisation_has_page=organisation.is_member,
        public=shown,
        title=contribution.title if shown else "",
        url=contribution.url if shown else "",
        kind=contribution.kind if shown else "",
        kind_label=str(contribution.get_kind_display()) if shown else "",
        status=contribution.status if shown else "",
        status_label=str(contribution.get_status_display()) if shown else "",
        on=timezone.localdate(moment) if shown and moment else None,
    )


def contributions_updated(today: date | None = None) -> datetime | None:
    """When the public list last changed, as far as it is recorded: a contribution logged,
    merged, or whose embargo ended (its details then show), in one query."""
    today = today or timezone.localdate()
    found = public_contributions().aggregate(
        logged=Max("created_at"),
        merged=Max("merged_at"),
        lifted=Max("embargo_until", filter=Q(embargo_until__lte=today)),
    )
    lifted = found["lifted"]
    start_of = timezone.make_aware(datetime.combine(lifted, time.min)) if lifted else None
    return latest_of(found["logged"], found["merged"], start_of)
