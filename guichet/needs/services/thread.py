"""The message thread between coordinators and a client, each message emailed to the other side."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.needs import notifications
from guichet.needs.models import Request, RequestMessage, RequestStatus

MAX_MESSAGE_LENGTH = 5000


class ThreadError(CodedError):
    """A message that cannot be posted; `code` keys a translated message."""


def message_post(
    *, request: Request, body: str, from_client: bool, author: Any = None
) -> RequestMessage:
    """Post a message on a confirmed request and email it to the other side."""
    body = body.strip()
    if not body:
        raise ThreadError("message_empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ThreadError("message_too_long")
    if request.status == RequestStatus.UNCONFIRMED:
        raise ThreadError("request_not_confirmed")
    with transaction.atomic():
        message = RequestMessage.objects.create(
            request=request,
            body=body,
            from_client=from_client,
            author=author if getattr(author, "pk", None) else None,
        )
        audit_record(
            action="request.message",
            actor=author,
            target=request,
            data={"from_client": from_client},
        )
        notifications.message_posted(message)
    return message
