"""Kinds of email a person may opt out of, and the check every sender makes.

Each app registers its optional kinds (assignment, milestone due…) when it starts; the
"Emails" page of My space lists them. Emails a person cannot do without (account security,
a link they asked for) are not registered and always leave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from guichet.accounts.models import NotificationOptOut
from guichet.core.errors import CodedError


class NotificationError(CodedError):
    """A change of email preferences that cannot be made; `code` keys a translated message."""


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    help: str | Promise = ""


_kinds: dict[str, NotificationKind] = {}


def register_kind(key: str, label: str | Promise, help: str | Promise = "") -> None:
    """Declare a kind of email people may opt out of (idempotent)."""
    _kinds[key] = NotificationKind(key, label, help)


def kinds() -> list[NotificationKind]:
    return list(_kinds.values())


def wants_email(person: Any, kind: str) -> bool:
    """Whether the person accepts emails of this kind (everyone does until opting out)."""
    if kind not in _kinds:
        raise KeyError(f"{kind!r} is not a registered kind of email")
    pk = getattr(person, "pk", None)
    if pk is None:
        return True
    return not NotificationOptOut.objects.filter(person_id=pk, kind=kind).exists()


def recipients_wanting(people: Iterable[Any], kind: str) -> list[Any]:
    """The people among `people` who accept this kind of email, in one query."""
    people = list(people)
    if kind not in _kinds:
        raise KeyError(f"{kind!r} is not a registered kind of email")
    refused = set(
        NotificationOptOut.objects.filter(
            person_id__in=[person.pk for person in people], kind=kind
        ).values_list("person_id", flat=True)
    )
    return [person for person in people if person.pk not in refused]


def opted_out(person: Any) -> set[str]:
    """The registered kinds this person refused (kinds no longer registered are left out)."""
    pk = getattr(person, "pk", None)
    if pk is None:
        return set()
    refused = NotificationOptOut.objects.filter(person_id=pk).values_list("kind", flat=True)
    return set(refused) & set(_kinds)


def receiving(person: Any) -> set[str]:
    """The registered kinds this person receives."""
    return set(_kinds) - opted_out(person)
