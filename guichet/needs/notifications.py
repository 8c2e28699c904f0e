"""Emails of the guichet: to the client (in the language it wrote in, with a fresh private
follow-up link) and to the coordinators (in the site's default language).

Called by the services inside their transaction; emails leave once it commits
(see guichet.core.emails).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Role, User
from guichet.core.emails import absolute_url, email_on_commit, email_render
from guichet.needs.models import ProviderInvitation, Request, RequestMessage, ShortlistEntry
from guichet.needs.models.consortia import Consortium, ConsortiumMember
from guichet.needs.services.links import follow_token
from guichet.network.models import Membership

TEMPLATES = "needs/emails"


def follow_url(request: Request) -> str:
    """A fresh private follow-up link, in the request's language."""
    with translation.override(request.language):
        return absolute_url(reverse("needs:request_follow", args=[follow_token(request)]))


def coordinators() -> list[Any]:
    """Everyone who acts as a coordinator and can receive an email."""
    return list(
        User.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def to_client(request: Request, template: str, context: dict[str, Any] | None = None) -> None:
    """An email to the request's contact, with the follow-up link."""
    with translation.override(request.language):
        subject, body = email_render(
            f"{TEMPLATES}/{template}",
            {"request": request, "follow_url": follow_url(request), **(context or {})},
        )
    email_on_commit(to=request.contact_email, subject=subject, body=body)


def to_coordinators(request: Request, template: str, context: dict[str, Any] | None = None) -> None:
    """One email to each coordinator, with the link to the request in coordination."""
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("needs:coordination_request", args=[request.pk]))
        for person in coordinators():
            subject, body = email_render(
                f"{TEMPLATES}/{template}",
                {"request": request, "person": person, "url": url, **(context or {})},
            )
            email_on_commit(to=person.email, subject=subject, body=body)


def message_posted(message: RequestMessage) -> None:
    """A message in the thread reaches the other side."""
    if message.from_client:
        to_coordinators(message.request, "message_from_client", {"message": message})
    else:
        to_client(message.request, "message_to_client", {"message": message})


def to_member(entry: ShortlistEntry, template: str, context: dict[str, Any] | None = None) -> None:
    """One email to each manager of the shortlisted organisation, with the link to answer."""
    managers = (
        Membership.objects.filter(organisation_id=entry.organisation_id, is_manager=True)
        .select_related("person")
        .order_by("person_id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("needs:member_entry", args=[entry.pk]))
        for membership in managers:
            person = membership.person
            if not person.is_active or not person.email:
                continue
            subject, body = email_render(
                f"{TEMPLATES}/{template}",
                {
                    "entry": entry,
                    "lot": entry.lot,
                    "request": entry.lot.request,
                    "person": person,
                    "url": url,
                    **(context or {}),
                },
            )
            email_on_commit(to=person.email, subject=subject, body=body)


def to_invitee(invitation: ProviderInvitation, secret: str) -> None:
    """The invitation to a provider the client brings, in the invitation's language, with
    its single-use link (the only place the secret ever goes)."""
    with translation.override(invitation.language):
        url = absolute_url(reverse("needs:invitation", args=[secret]))
        subject, body = email_render(
            f"{TEMPLATES}/invitation",
            {
                "invitation": invitation,
                "request": invitation.request,
                "lot": invitation.lot,
                "url": url,
            },
        )
    email_on_commit(to=invitation.email, subject=subject, body=body)


def to_managers(
    organisation_ids: list[int], template: str, url: str, context: dict[str, Any]
) -> None:
    """One email to each active manager of these organisations, once per person even when
    they manage several of them."""
    managers = (
        User.objects.filter(
            memberships__organisation_id__in=organisation_ids,
            memberships__is_manager=True,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for person in managers:
            subject, body = email_render(
                f"{TEMPLATES}/{template}", {"person": person, "url": url, **context}
            )
            email_on_commit(to=person.email, subject=subject, body=body)


def consortium_lead_handed_over(
    *, consortium: Consortium, former: ConsortiumMember, lead: ConsortiumMember
) -> None:
    """The lead changed hands: the managers of the consortium's other organisations (the new
    lead's included) see it on their consortium page, the coordinators on theirs."""
    request = consortium.request
    context = {
        "consortium": consortium,
        "request": request,
        "former": former.organisation,
        "lead": lead.organisation,
    }
    others = list(
        consortium.members.exclude(organisation_id=former.organisation_id).values_list(
            "organisation_id", flat=True
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        member_url = absolute_url(reverse("needs:member_consortium", args=[consortium.pk]))
        coordination_url = absolute_url(reverse("needs:coordination_consortium", args=[request.pk]))
    to_managers(others, "consortium_lead_handed_over", member_url, context)
    to_coordinators(request, "consortium_lead_handed_over", {**context, "url": coordination_url})
