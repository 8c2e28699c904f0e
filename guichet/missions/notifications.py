"""Emails of missions: to the people of its member organisations (in the site's default
language, as network/notifications.py explains), and to the client contact (in the language
it wrote its request in).

People may opt out of each kind registered here (accounts/notifications.py); the client's
evaluation request is the mission's own business and always leaves, its reminders carry a
link that stops them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.accounts.notifications import recipients_wanting, register_kind
from guichet.core.emails import absolute_url, email_on_commit, email_render
from guichet.missions.models import Evaluation, Milestone, Mission
from guichet.network.models import Membership

TEMPLATES = "missions/emails"
ASSIGNED = "mission_assigned"
MILESTONE_DUE = "milestone_due"
CONTRIBUTION_MERGED = "contribution_merged"
EVALUATION_PUBLISHED = "evaluation_received"


def register_kinds() -> None:
    """Called by MissionsConfig.ready()."""
    register_kind(ASSIGNED, _("A mission starts with your organisation"))
    register_kind(MILESTONE_DUE, _("A milestone of your mission falls due"))
    register_kind(CONTRIBUTION_MERGED, _("An upstream contribution of your mission is merged"))
    register_kind(EVALUATION_PUBLISHED, _("A client evaluates a mission of your organisation"))


def people_of(organisation_ids: Iterable[int]) -> list[Any]:
    """The active people of these organisations who have an address, each once."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(organisation_id__in=list(organisation_ids)).values(
                "person_id"
            ),
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
    )


def to_members(mission: Mission, kind: str, template: str, context: dict[str, Any]) -> None:
    """One email to each person of the mission's organisations who accepts this kind."""
    organisations = mission.members.values_list("organisation_id", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("missions:mission", args=[mission.pk]))
        for person in recipients_wanting(people_of(organisations), kind):
            subject, body = email_render(
                f"{TEMPLATES}/{template}",
                {"mission": mission, "person": person, "url": url, **context},
            )
            email_on_commit(to=person.email, subject=subject, body=body)


def assigned(mission: Mission) -> None:
    to_members(mission, ASSIGNED, "assigned", {})


def milestone_due(milestone: Milestone) -> None:
    to_members(milestone.mission, MILESTONE_DUE, "milestone_due", {"milestone": milestone})


def evaluation_url(evaluation: Evaluation, token: str) -> str:
    with translation.override(evaluation.language):
        return absolute_url(reverse("missions:evaluation", args=[token]))


def evaluation_asked(evaluation: Evaluation, token: str, *, reminder: bool = False) -> None:
    """The client contact's link to evaluate the mission (or a reminder of it)."""
    with translation.override(evaluation.language):
        subject, body = email_render(
            f"{TEMPLATES}/evaluation_reminder" if reminder else f"{TEMPLATES}/evaluation_asked",
            {
                "evaluation": evaluation,
                "mission": evaluation.mission,
                "url": evaluation_url(evaluation, token),
                "expires_at": evaluation.expires_at,
            },
        )
    email_on_commit(to=evaluation.contact_email, subject=subject, body=body)
