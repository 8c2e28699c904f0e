"""A client's request comes in: submitted through the public form, then confirmed by the link
emailed to the client. Only a confirmed request reaches the coordinators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from guichet.core.audit import audit_record
from guichet.core.documents import CheckedDocument
from guichet.core.emails import absolute_url
from guichet.core.errors import CodedError
from guichet.needs import notifications
from guichet.needs.models import Request, RequestDocument, RequestStatus
from guichet.needs.services.links import (
    LinkError,
    confirmation_find,
    confirmation_prepare,
    follow_nonce_new,
)
from guichet.network.models import Commune, Organisation, Software


class IntakeError(CodedError):
    """A request that cannot be taken; `code` keys a translated message (needs/messages.py)."""


@dataclass(frozen=True)
class RequestData:
    """What the client says in the form (or, later, through the API)."""

    client_name: str
    client_kind: str
    contact_name: str
    contact_email: str
    title: str
    description: str
    services: tuple[str, ...]
    commune: Commune
    contact_phone: str = ""
    client_siren: str = ""
    software: tuple[Software, ...] = ()
    software_other: str = ""
    on_site: bool = False
    budget: str = ""
    start_date: date | None = None
    end_date: date | None = None
    is_tender: bool = False
    tender_reference: str = ""
    tender_deadline: datetime | None = None
    # A member the client asks for by name; the coordinators still propose others.
    named_provider: Organisation | None = None


def _check(data: RequestData, documents: Sequence[CheckedDocument]) -> None:
    # The form says all this to people, field by field; the service holds the line anyway.
    if not data.services:
        raise IntakeError("no_service")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise IntakeError("end_before_start")
    if documents and not data.is_tender:
        raise IntakeError("documents_without_tender")
    if len(documents) > settings.GUICHET_REQUEST_MAX_DOCUMENTS:
        raise IntakeError("too_many_documents")
    if data.named_provider is not None and not data.named_provider.is_member:
        raise IntakeError("member_not_nameable")
    if data.is_tender and not (data.tender_reference.strip() and data.tender_deadline):
        raise IntakeError(
            "tender_reference_required"
            if not data.tender_reference.strip()
            else "tender_deadline_required"
        )


def confirm_url(secret: str, language: str) -> str:
    """The address of the confirmation page for this secret, in the client's language."""
    with translation.override(language):
        return absolute_url(reverse("needs:request_confirm", args=[secret]))


def request_submit(
    *,
    data: RequestData,
    documents: Sequence[CheckedDocument] = (),
    language: str,
    user: Any = None,
) -> Request:
    """Take a request, unconfirmed, and email the client its confirmation link."""
    _check(data, documents)
    signed_in = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        request = Request(
            status=RequestStatus.UNCONFIRMED,
            client_name=data.client_name.strip(),
            client_kind=data.client_kind,
            client_siren=data.client_siren,
            contact_name=data.contact_name.strip(),
            contact_email=data.contact_email.strip(),
            contact_phone=data.contact_phone.strip(),
            language=language,
            client_user=signed_in,
            title=data.title.strip(),
            description=data.description.strip(),
            software_other=data.software_other.strip(),
            services=list(data.services),
            commune=data.commune,
            on_site=data.on_site,
            start_date=data.start_date,
            end_date=data.end_date,
            is_tender=data.is_tender,
            tender_reference=data.tender_reference.strip() if data.is_tender else "",
            tender_deadline=data.tender_deadline if data.is_tender else None,
            named_provider=data.named_provider,
        )
        if data.budget:
            request.budget = data.budget
        follow_nonce_new(request)
        secret = confirmation_prepare(request)
        request.save()
        request.software.set(data.software)
        for document in documents:
            stored = RequestDocument(
                request=request,
                original_name=document.name,
                content_type=document.content_type,
                size=document.size,
            )
            # The storage path is random (see document_path): the client's name is kept apart.
            stored.file.save(document.name, document.file, save=False)
            stored.save()
        audit_record(
            action="request.submit",
            actor=signed_in,
            target=request,
            data={
                "documents": len(documents),
                "tender": data.is_tender,
                "services": list(data.services),
                "named_provider": data.named_provider.pk if data.named_provider else None,
            },
        )
        notifications.to_client(
            request,
            "request_confirm",
            {
                "confirm_url": confirm_url(secret, language),
                "hours": settings.GUICHET_REQUEST_CONFIRM_HOURS,
            },
        )
    return request


def request_confirm(*, secret: str) -> Request:
    """Confirm the request this secret was sent for: it reaches the coordinators.

    The secret works once: it is cleared here. LinkError when unknown, used or expired.
    """
    with transaction.atomic():
        found = confirmation_find(secret)
        # Locked, then checked again: two clicks at once confirm once.
        request = Request.objects.select_for_update().get(pk=found.pk)
        if request.confirm_token_hash != found.confirm_token_hash or (
            request.status != RequestStatus.UNCONFIRMED
        ):
            raise LinkError("link_unknown")
        request.status = RequestStatus.SUBMITTED
        request.confirmed_at = timezone.now()
        request.confirm_token_hash = ""
        request.confirm_expires_at = None
        request.save(
            update_fields=["status", "confirmed_at", "confirm_token_hash", "confirm_expires_at"]
        )
        audit_record(action="request.confirm", actor=request.client_user, target=request)
        notifications.to_client(request, "request_received")
        notifications.to_coordinators(request, "request_new")
    return request
