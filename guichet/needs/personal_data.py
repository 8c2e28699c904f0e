"""What the guichet holds about a person: the requests they submitted as a client contact,
their messages, and what they did as a coordinator or member.

Erasure anonymises the contact details of the person's requests (submitted with their
account or their address) and empties the messages they wrote as a client; the requests
themselves stay, because lots, rankings and awards hang on them. What coordinators and
members did (rankings, shortlists, consortia, rules) stays and, once the account is
anonymised, no longer leads to anyone. An invitation sent to a provider the client brings
holds its name and address: exported and anonymised for the person at that address, and
the client's message to it erased with the client's requests.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from guichet.core.registries.personal_data import PersonalData, register
from guichet.needs.models import (
    Consortium,
    MatchingRules,
    MatchingRun,
    ProviderInvitation,
    Request,
    RequestMessage,
    ShortlistEntry,
)

ERASED_NAME = "—"
ERASED_EMAIL = "erased@invalid.invalid"


def _requests_of(person: Any) -> QuerySet[Request]:
    query = Q(client_user=person)
    if person.email:
        query |= Q(contact_email__iexact=person.email)
    return Request.objects.filter(query)


def _invitations_to(person: Any) -> QuerySet[ProviderInvitation]:
    """Invitations sent to the person's address, as a provider the client brings."""
    if not person.email:
        return ProviderInvitation.objects.none()
    return ProviderInvitation.objects.filter(email__iexact=person.email)


def export(person: Any) -> dict[str, Any]:
    requests = _requests_of(person).prefetch_related("messages", "invitations")
    return {
        "requests": [
            {
                "reference": request.reference,
                "title": request.title,
                "status": request.status,
                "client_name": request.client_name,
                "contact_name": request.contact_name,
                "contact_email": request.contact_email,
                "contact_phone": request.contact_phone,
                "description": request.description,
                "submitted_at": request.created_at.isoformat(),
                "invitations_sent": [
                    {
                        "organisation_name": invitation.organisation_name,
                        "email": invitation.email,
                        "message": invitation.message,
                        "sent_at": invitation.created_at.isoformat(),
                    }
                    for invitation in request.invitations.all()
                ],
                "messages": [
                    {
                        "from_client": message.from_client,
                        "body": message.body,
                        "sent_at": message.created_at.isoformat(),
                    }
                    for message in request.messages.all()
                ],
            }
            for request in requests
        ],
        "invitations_received": [
            {
                "organisation_name": invitation.organisation_name,
                "email": invitation.email,
                "lot": invitation.lot.title,
                "sent_at": invitation.created_at.isoformat(),
            }
            for invitation in _invitations_to(person).select_related("lot")
        ],
        "messages_written": RequestMessage.objects.filter(author=person).count(),
        "rankings_made": MatchingRun.objects.filter(created_by=person).count(),
        "shortlist_entries_added": ShortlistEntry.objects.filter(added_by=person).count(),
        "consortia_formed": Consortium.objects.filter(created_by=person).count(),
        "matching_rules_published": list(
            MatchingRules.objects.filter(created_by=person).values_list("version", flat=True)
        ),
    }


def requests_anonymise(ids: list[int]) -> int:
    """The contact of these requests and all the client wrote in them (its messages, its
    words to the providers it invited), anonymised; the requests themselves stay. Used by
    the erasure of an account and by a contact erasing itself from its follow-up link."""
    touched = Request.objects.filter(pk__in=ids).update(
        contact_name=ERASED_NAME,
        contact_email=ERASED_EMAIL,
        contact_phone="",
        client_user=None,
    )
    touched += RequestMessage.objects.filter(request__in=ids, from_client=True).update(
        body=ERASED_NAME, author=None
    )
    touched += ProviderInvitation.objects.filter(request__in=ids).update(message="")
    return touched


def erase(person: Any) -> int:
    with transaction.atomic():
        ids = list(_requests_of(person).values_list("pk", flat=True))
        touched = requests_anonymise(ids)
        # What the person wrote as a client in requests not theirs by address or account.
        touched += RequestMessage.objects.filter(author=person, from_client=True).update(
            body=ERASED_NAME, author=None
        )
        # The invitations sent to the person: the invitation stays (an accepted one led to a
        # shortlist entry), anonymous.
        touched += _invitations_to(person).update(
            organisation_name=ERASED_NAME, email=ERASED_EMAIL, message=""
        )
    return touched


register(
    PersonalData(
        app="needs",
        fields=(
            "needs.Request.contact_name",
            "needs.Request.contact_email",
            "needs.Request.contact_phone",
            "needs.Request.client_user",
            "needs.RequestMessage.author",
            "needs.RequestMessage.body",
            "needs.MatchingRules.created_by",
            "needs.MatchingRun.created_by",
            "needs.ShortlistEntry.added_by",
            "needs.Consortium.created_by",
            "needs.ProviderInvitation.email",
            "needs.ProviderInvitation.organisation_name",
            "needs.ProviderInvitation.message",
        ),
        export=export,
        erase=erase,
        order=50,
    )
)
