"""Reads of requests for the coordinators: the list, and one request with everything its page
shows, in a fixed number of queries whatever the request holds."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from guichet.needs.models import Lot, Request, RequestMessage, RequestStatus, ShortlistEntry
from guichet.network.models import Organisation, Software


def requests_for_coordination(*, status: str = "") -> QuerySet[Request]:
    """Requests newest first, each with `lot_count`. Without a status: every confirmed one
    (unconfirmed requests wait for their client, not for a coordinator); with a status, those
    in it, unconfirmed included when asked. Fetches only what a list row shows."""
    found = Request.objects.all()
    if status:
        found = found.filter(status=status)
    else:
        found = found.exclude(status=RequestStatus.UNCONFIRMED)
    return (
        found.annotate(lot_count=Count("lots"))
        .only("pk", "status", "client_name", "title", "created_at", "confirmed_at", "is_tender")
        .order_by("-created_at", "-pk")
    )


def requests_in_status_count(status: str) -> int:
    """How many requests are in `status` (one query): the coordinators' queues."""
    return Request.objects.filter(status=status).count()


def lots_with_details() -> QuerySet[Lot]:
    """Lots in their order, with their software, place, and chosen provider (`chosen`, a list
    of at most one shortlist entry)."""
    return (
        Lot.objects.select_related("commune__department")
        .prefetch_related(
            Prefetch("software", queryset=Software.objects.order_by("name")),
            Prefetch(
                "shortlist",
                queryset=ShortlistEntry.objects.filter(chosen_at__isnull=False).select_related(
                    "organisation"
                ),
                to_attr="chosen",
            ),
        )
        .order_by("position", "pk")
    )


def request_for_coordination() -> QuerySet[Request]:
    """Requests with everything the coordination page shows: client organisation, place,
    software, documents, the thread with its authors, and the lots (see lots_with_details)."""
    return Request.objects.select_related(
        "commune__department", "client_organisation", "client_user", "named_provider"
    ).prefetch_related(
        Prefetch("software", queryset=Software.objects.order_by("name")),
        "documents",
        Prefetch("messages", queryset=RequestMessage.objects.select_related("author")),
        Prefetch("lots", queryset=lots_with_details()),
    )


def organisations_that_may_be_clients() -> QuerySet[Organisation]:
    """Organisations of the directory a client may be: those that are not members (a member
    asking for help is found by its SIREN instead)."""
    return Organisation.objects.filter(is_member=False).only("pk", "name").order_by("name")


def nameable_member(slug: str) -> Organisation | None:
    """The member a client may ask for by name, from its public profile: an admitted member
    only, so that an address names no hidden or unadmitted organisation."""
    if not slug:
        return None
    return Organisation.objects.filter(is_member=True, slug=slug).only("pk", "slug", "name").first()


def organisation_by_siren(siren: str) -> Organisation | None:
    return Organisation.objects.filter(siren=siren).first()
