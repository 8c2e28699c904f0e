"""What the governance services share: their refusal, the statutes, the electorate."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from guichet.accounts.access import is_coordinator
from guichet.accounts.models import Role, RoleGrant
from guichet.core.errors import CodedError
from guichet.governance.models import Statutes


class GovernanceError(CodedError):
    """A governance step that cannot be done; `code` keys a translated message."""


def statutes_current() -> Statutes:
    """The statutes in force (created with their defaults the first time)."""
    statutes = Statutes.objects.order_by("pk").first()
    return statutes if statutes is not None else Statutes.objects.create()


def electorate_now() -> dict[str, str]:
    """Every active associate (id, as text) and the slug of their college."""
    grants = RoleGrant.objects.filter(role=Role.ASSOCIATE, user__is_active=True).values_list(
        "user_id", "college__slug"
    )
    return {str(person): college for person, college in grants}


def percent(value: Any) -> Fraction:
    """A percentage stored as a Decimal (or its text) as an exact share."""
    return Fraction(str(value)) / 100


def may_steer(proposal: Any, person: Any) -> bool:
    """The author and the coordinators steer a proposal: amend, open rounds, withdraw."""
    return bool(person.pk) and (proposal.author_id == person.pk or is_coordinator(person))
