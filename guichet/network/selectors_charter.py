"""Reads of the charter for coordinators: its versions with their signatures, who has not signed."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from guichet.network.models import Charter, Organisation


def charter_versions() -> QuerySet[Charter]:
    """Every version, the newest first, with the associates' decision it was put to, and
    `value_count` and `signature_count` annotated: the signatures of today's members, as the
    public charter page counts them (candidates sign when they apply, and are not counted
    until admitted)."""
    return (
        Charter.objects.select_related("proposal")
        .annotate(
            signature_count=Count(
                "signatures", filter=Q(signatures__organisation__is_member=True), distinct=True
            ),
            value_count=Count("values", distinct=True),
        )
        .order_by("-version")
    )


def members_without_signature(charter: Charter) -> QuerySet[Organisation]:
    """The member organisations that have not signed this version, by name."""
    return (
        Organisation.objects.filter(is_member=True)
        .exclude(charter_signatures__charter=charter)
        .order_by("name")
    )
