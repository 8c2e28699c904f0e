"""Who may see or act on a request, one place.

- Coordinators see and qualify every request.
- The client sees its own requests: through a follow-up link, or signed in as the person who
  submitted it (by account or by the verified email it was submitted with).
- A member organisation sees a request only through the lots it is shortlisted for, and
  only once the shortlist is sent.
- The people of an organisation in a consortium (lead, co-contractor or subcontractor) see
  that consortium's page; nobody else does, coordinators included (they have their own).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from guichet.accounts.access import is_coordinator
from guichet.needs.models import Consortium, Request, RequestStatus, ShortlistEntry
from guichet.network.models import Membership


def can_coordinate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_coordinator(user)


def requests_of_client(user: Any) -> QuerySet[Request]:
    """The confirmed requests a signed-in person submitted (by account, or by its email)."""
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    return Request.objects.exclude(status=RequestStatus.UNCONFIRMED).filter(
        Q(client_user=user) | Q(contact_email__iexact=user.email)
    )


def shortlist_entries_of_member(user: Any) -> QuerySet[ShortlistEntry]:
    """The sent shortlist entries of the organisations the person belongs to."""
    if not getattr(user, "is_authenticated", False):
        return ShortlistEntry.objects.none()
    organisations = Membership.objects.filter(person=user).values("organisation_id")
    return ShortlistEntry.objects.filter(organisation__in=organisations, sent_at__isnull=False)


def consortia_of_person(user: Any) -> QuerySet[Consortium]:
    """The consortia with an organisation the person belongs to (any role in either)."""
    if not getattr(user, "is_authenticated", False):
        return Consortium.objects.none()
    organisations = Membership.objects.filter(person=user).values("organisation_id")
    return Consortium.objects.filter(
        pk__in=Consortium.objects.filter(members__organisation__in=organisations).values("pk")
    )


def is_manager_of(user: Any, organisation_id: int) -> bool:
    """Strictly a manager of the organisation. Unlike network's can_manage, being a
    coordinator is not enough: this is about speaking for the organisation itself."""
    return Membership.objects.filter(
        person_id=getattr(user, "pk", None), organisation_id=organisation_id, is_manager=True
    ).exists()
