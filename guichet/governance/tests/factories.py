"""Helpers of the governance tests: associates in colleges, proposals, rounds, closes.

The demo holds associates and decisions of its own; `governance_cleared()` removes them
inside the test's transaction (the demo comes back when it rolls back), so that each test
knows exactly who the electorate is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from guichet.accounts.models import College, Role, RoleGrant, User
from guichet.accounts.services import role_grant
from guichet.accounts.tests.factories import UserFactory
from guichet.governance.models import (
    DecisionMode,
    Proposal,
    ProposalKind,
    Proxy,
    Round,
    Statutes,
)
from guichet.governance.services.common import statutes_current
from guichet.governance.services.proposals import candidate_add, proposal_open
from guichet.governance.services.rounds import round_close, round_open

COLLEGES = ("fondateurs", "contributeurs", "partenaires")


def governance_cleared() -> None:
    """No decision, proxy or associate left; the statutes back to their defaults."""
    Round.objects.all().delete()  # its positions, participations and ballots with it
    Proposal.objects.all().delete()
    Proxy.objects.all().delete()
    Statutes.objects.all().delete()
    RoleGrant.objects.filter(role=Role.ASSOCIATE).delete()
    for person in User.objects.all():
        person.__dict__.pop("_guichet_roles", None)


def college(slug: str) -> College:
    found, _ = College.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "name_en": slug.title()}
    )
    return found


def associate(college_slug: str = "contributeurs", **fields: Any) -> User:
    person: User = UserFactory.create(**fields)
    role_grant(user=person, role=Role.ASSOCIATE, college=college(college_slug))
    return person


def associates(count: int, college_slug: str = "contributeurs") -> list[User]:
    return [associate(college_slug) for _ in range(count)]


def make_associate(person: User, college_slug: str = "fondateurs") -> User:
    role_grant(user=person, role=Role.ASSOCIATE, college=college(college_slug))
    return person


def proposal(by: User, **fields: Any) -> Proposal:
    values: dict[str, Any] = {"title": "Adopter la charte", "text": "Le texte de la charte."}
    values.update(fields)
    return proposal_open(by=by, **values)


def discussed(item: Proposal) -> Proposal:
    """The proposal's minimum discussion period over (as if it had been opened long ago)."""
    Proposal.objects.filter(pk=item.pk).update(
        discussion_ends_at=timezone.now() - timedelta(seconds=1)
    )
    item.refresh_from_db()
    return item


def without_discussion() -> Statutes:
    """Statutes whose minimum discussion period is nil: rounds may close as soon as due."""
    statutes = statutes_current()
    statutes.discussion_days = 0
    statutes.save()
    return statutes


def opened(item: Proposal, by: User | None = None, days: int | None = None) -> Round:
    return round_open(proposal=item, by=by or item.author, days=days)


def after_deadline(open_round: Round, delay: timedelta = timedelta(minutes=1)) -> datetime:
    open_round.refresh_from_db()
    return open_round.closes_at + delay


def closed(open_round: Round, delay: timedelta = timedelta(minutes=1)) -> Round:
    """The round closed by its deadline (`delay` after it)."""
    return round_close(round=open_round, now=after_deadline(open_round, delay))


def election(by: User, candidates: list[User], seats: int = 1, **fields: Any) -> Proposal:
    item = proposal(
        by,
        title=fields.pop("title", "Élire le conseil"),
        text=fields.pop("text", "Les candidatures sont ouvertes."),
        kind=ProposalKind.ELECTION,
        seats=seats,
        **fields,
    )
    assert item.mode == DecisionMode.ELECTION
    for person in candidates:
        candidate_add(proposal=item, by=person, person=person, statement="Je me présente.")
    return item
