"""Reads on organisations."""

from typing import Any

from django.db.models import QuerySet

from guichet.network.models import Membership


def memberships_of(*, person: Any) -> QuerySet[Membership]:
    """A person's memberships with their organisation (one query)."""
    return Membership.objects.filter(person=person).select_related("organisation")
