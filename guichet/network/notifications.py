"""Emails of admission by peers: to an evaluator when asked, to an organisation when decided.

The services call these functions inside their transaction. Each email is built there and
leaves through the background task `guichet.core.tasks.send_email` once that transaction
commits (`transaction.on_commit`): a step that is rolled back sends nothing. Every recipient
gets an email of their own, so that nobody learns another person's address.

Language: people have no language of their own (`accounts.User` has no such field), and the
language of the page the coordinator happens to use says nothing of the recipient's. Emails
are therefore written in the site's default language, `settings.LANGUAGE_CODE` (French), and
their links point to the pages in that language. `language_of()` is the one place to change
once people choose a language.

Links are absolute, built on `settings.GUICHET_BASE_URL`: the worker sends outside any request.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.core.emails import absolute_url, email_render
from guichet.core.tasks import send_email
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Charter,
    DecisionChannel,
    EvaluatorAssignment,
    Membership,
)

TEMPLATES = "network/emails"

# What a decision means for the organisation, by kind of application and outcome.
OUTCOMES = {
    (ApplicationKind.ADMISSION, True): _(
        "%(organisation)s is admitted to the network: welcome among its members."
    ),
    (ApplicationKind.ADMISSION, False): _(
        "The application of %(organisation)s to join the network is not accepted."
    ),
    (ApplicationKind.REEVALUATION, True): _(
        "The periodic re-evaluation confirms %(organisation)s as a member of the network."
    ),
    (ApplicationKind.REEVALUATION, False): _(
        "The periodic re-evaluation does not confirm %(organisation)s as a member. This alone "
        "does not exclude it: an exclusion would be a decision of its own."
    ),
    (ApplicationKind.EXCLUSION, True): _("%(organisation)s is excluded from the network."),
    (ApplicationKind.EXCLUSION, False): _(
        "The exclusion of %(organisation)s is not decided: it stays a member of the network."
    ),
}


def language_of(person: Any) -> str:
    """The language a person's emails are written in: the site's default, for everyone."""
    return str(settings.LANGUAGE_CODE)


def _reachable(person: Any) -> bool:
    """Someone with an address who can still sign in (erased accounts are inactive)."""
    return bool(person is not None and person.is_active and person.email)


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (one line) and the plain-text body, in the language active now."""
    return email_render(f"{TEMPLATES}/{template}", context)


def _send_on_commit(*, subject: str, body: str, person: Any) -> None:
    transaction.on_commit(
        partial(send_email.enqueue, subject=subject, body=body, to=[person.email])
    )


def evaluator_assigned(assignment: EvaluatorAssignment) -> None:
    """Ask the evaluator to evaluate, with the link to their evaluation page."""
    evaluator = assignment.evaluator
    if not _reachable(evaluator):
        return
    application = assignment.application
    with translation.override(language_of(evaluator)):
        subject, body = _render(
            "evaluator_assigned",
            {
                "person": evaluator,
                "application": application,
                "organisation": application.organisation,
                "evaluator_organisation": assignment.evaluator_organisation,
                "url": absolute_url(reverse("network:evaluation", args=[assignment.pk])),
            },
        )
    _send_on_commit(subject=subject, body=body, person=evaluator)


def decision_recipients(application: Application) -> list[Any]:
    """Who is told of a decision: the organisation's managers and, for an admission, the
    person who applied (who may not manage the organisation). For a re-evaluation or an
    exclusion, the submitter is the coordinator who opened it, and is not told.
    """
    people = {
        membership.person.pk: membership.person
        for membership in application.organisation.memberships.filter(is_manager=True)
        .select_related("person")
        .order_by("person_id")
    }
    submitter = application.submitted_by
    if application.kind == ApplicationKind.ADMISSION and submitter is not None:
        people.setdefault(submitter.pk, submitter)
    return [person for person in people.values() if _reachable(person)]


def decision_made(application: Application) -> None:
    """Tell the organisation the outcome, its rationale, and where to read the decision.

    The rationale goes with every outcome, not only a rejection: the organisation reads it
    whatever the decision (as its application page shows it). A decision of the associates
    comes with the link to it in the public decision log.
    """
    organisation = application.organisation
    accepted = application.status == ApplicationStatus.ACCEPTED
    outcome = OUTCOMES[(ApplicationKind(application.kind), accepted)]
    by_associates = (
        application.decided_through == DecisionChannel.GOVERNANCE and application.decision_reference
    )
    for person in decision_recipients(application):
        with translation.override(language_of(person)):
            decision_url = (
                absolute_url(reverse("governance:log_entry", args=[application.decision_reference]))
                if by_associates
                else ""
            )
            subject, body = _render(
                "decision",
                {
                    "person": person,
                    "application": application,
                    "organisation": organisation,
                    "accepted": accepted,
                    "outcome": outcome % {"organisation": organisation.name},
                    "url": absolute_url(reverse("network:application", args=[application.pk])),
                    "decision_url": decision_url,
                },
            )
        _send_on_commit(subject=subject, body=body, person=person)


# The charter: a new version asks every member organisation to sign again.


def charter_published(charter: Charter) -> None:
    """Ask each manager of each member organisation to sign the new version for it.

    One email per manager and organisation (someone who manages two members gets two), with
    the link to the organisation's space, where its managers sign; the sign action itself
    takes a POST, which a link in an email cannot send.
    """
    memberships = (
        Membership.objects.filter(organisation__is_member=True, is_manager=True)
        .exclude(organisation__charter_signatures__charter=charter)
        .select_related("organisation", "person")
        .order_by("organisation__name", "person_id")
    )
    for membership in memberships:
        person, organisation = membership.person, membership.organisation
        if not _reachable(person):
            continue
        with translation.override(language_of(person)):
            subject, body = _render(
                "charter_published",
                {
                    "person": person,
                    "organisation": organisation,
                    "charter": charter,
                    "charter_url": absolute_url(reverse("network:charter")),
                    "url": absolute_url(
                        reverse("network:organisation_space", args=[organisation.slug])
                        + "#charter-title"
                    ),
                },
            )
        _send_on_commit(subject=subject, body=body, person=person)
