"""The upstream contributions' pages, for the browser quality suite (core/registries/pages.py);
missions/pages.py imports this module.

Paths are built from whatever the demo holds: a mission (not cancelled, one with development
work first) that every viewer of the page may open, a contribution of the demo member's
organisation, a project that has a public contribution. LookupError when the demo has none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from guichet.accounts.demo import PEOPLE
from guichet.accounts.models import User
from guichet.core.registries.pages import ANONYMOUS, Page, exempt_url, register
from guichet.missions import access
from guichet.missions.domain import workflow
from guichet.missions.models import Contribution, Mission
from guichet.missions.selectors_contributions import public_contributions
from guichet.network.models import Membership

# The demo member whose organisation works on a demo mission (see needs/demo.py).
MEMBER = "member_other"
VIEWERS = ("coordinator", MEMBER)
EMAILS = {person[0]: person[1] for person in PEOPLE}


def _organisations(key: str) -> QuerySet[Any]:
    return Membership.objects.filter(person__email=EMAILS[key]).values("organisation_id")


def _missions() -> QuerySet[Mission]:
    """Missions the demo member may open (the coordinator opens every one), not cancelled."""
    return (
        access.missions_of_person(_person(MEMBER))
        .exclude(status=workflow.CANCELLED)
        .order_by("-includes_development", "pk")
    )


def _person(key: str) -> User:
    person = User.objects.filter(email=EMAILS[key]).first()
    if person is None:
        raise LookupError(f"The demo has no {key} login: load the demo.")
    return person


def _mission() -> int:
    found = _missions().exclude(status=workflow.CLOSED).first() or _missions().first()
    if found is None:
        raise LookupError(f"The demo has no mission the {MEMBER} login may open: load the demo.")
    return found.pk


def _contribution() -> tuple[int, int]:
    found = (
        Contribution.objects.filter(
            organisation__in=_organisations(MEMBER), mission__in=_missions()
        )
        .order_by("pk")
        .first()
    )
    if found is None:
        raise LookupError(f"The demo has no contribution of the {MEMBER} login's organisation.")
    return found.mission_id, found.pk


def _project_filter() -> str:
    found = public_contributions().first()
    if found is None:
        raise LookupError("The demo has no upstream contribution: load the demo.")
    return reverse("missions:given_back") + "?" + urlencode({"software": found.software.slug})


register(
    Page(
        "given-back",
        lambda: reverse("missions:given_back"),
        (ANONYMOUS,),
        ("missions:given_back",),
    )
)
register(Page("given-back-project", _project_filter, (ANONYMOUS,)))
exempt_url("missions:given_back_csv", "Open data: the public contributions as a CSV download.")
register(
    Page(
        "contribution-add",
        lambda: reverse("missions:contribution_add", args=[_mission()]),
        VIEWERS,
        ("missions:contribution_add",),
    )
)
register(
    Page(
        "contribution-edit",
        lambda: reverse("missions:contribution_edit", args=list(_contribution())),
        VIEWERS,
        ("missions:contribution_edit",),
    )
)
register(
    Page(
        "mission-justification",
        lambda: reverse("missions:justification", args=[_mission()]),
        VIEWERS,
        ("missions:justification",),
    )
)
