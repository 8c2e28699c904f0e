"""Emails of governance, to the associates: a new proposal, a round opening, a reminder 48
hours before it closes (to those who have not positioned), the outcome. Each kind can be
stopped from the Emails page of one's space (accounts/notifications.py). They are written in
the site's default language, as the network's emails are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Role, User
from guichet.accounts.notifications import recipients_wanting, register_kind
from guichet.core.emails import absolute_url, email_on_commit, email_render

TEMPLATES = "governance/emails"
PROPOSAL_NEW = "proposal_new"
ROUND_OPENED = "round_opened"
ROUND_CLOSING = "round_closing"
OUTCOME = "decision_outcome"

# Set while the demo writes its past decisions: nobody is to be told of what happened then.
_silenced: ContextVar[bool] = ContextVar("governance_emails_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """No governance email within the block (the demo recreating past decisions)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def register_kinds() -> None:
    """Called by GovernanceConfig.ready()."""
    register_kind(PROPOSAL_NEW, _("A new proposal is open for discussion"))
    register_kind(ROUND_OPENED, _("A round of decision opens"))
    register_kind(ROUND_CLOSING, _("A round closes in 48 hours and you have not taken a position"))
    register_kind(OUTCOME, _("The outcome of a decision"))


def _associates(ids: Iterable[int] | None = None) -> list[Any]:
    people = User.objects.filter(is_active=True, role_grants__role=Role.ASSOCIATE).exclude(email="")
    if ids is not None:
        people = people.filter(pk__in=list(ids))
    return list(people.order_by("pk").distinct())


def _send(proposal: Any, people: list[Any], kind: str, template: str, **context: Any) -> None:
    if _silenced.get():
        return
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("governance:proposal", args=[proposal.reference]))
        for person in recipients_wanting(people, kind):
            subject, body = email_render(
                f"{TEMPLATES}/{template}",
                {"proposal": proposal, "person": person, "url": url, **context},
            )
            email_on_commit(to=person.email, subject=subject, body=body)


def proposal_opened(proposal: Any) -> None:
    others = [p for p in _associates() if p.pk != proposal.author_id]
    _send(proposal, others, PROPOSAL_NEW, "proposal_new")


def round_opened(round: Any) -> None:
    people = _associates(int(pk) for pk in round.electorate)
    _send(round.proposal, people, ROUND_OPENED, "round_opened", round=round)


def round_closing(round: Any, missing: list[int]) -> None:
    _send(round.proposal, _associates(missing), ROUND_CLOSING, "round_closing", round=round)


def outcome(round: Any) -> None:
    people = _associates(int(pk) for pk in round.electorate)
    _send(round.proposal, people, OUTCOME, "outcome", round=round)
