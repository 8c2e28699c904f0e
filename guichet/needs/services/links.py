"""The client's private links: a single-use confirmation link, and follow-up links.

The confirmation secret is stored as a hash and cleared once used. Follow-up links are
signed with the site's key (so each email can carry a fresh one without storing it), carry
the request's nonce (changing it revokes them all) and expire after
GUICHET_REQUEST_LINK_DAYS days.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from guichet.core.errors import CodedError
from guichet.core.tokens import secret_hash, secret_new
from guichet.needs.models import Request

FOLLOW_SALT = "guichet.needs.follow"


class LinkError(CodedError):
    """A private link that does not open; `code` keys a translated message."""


def confirmation_prepare(request: Request) -> str:
    """A new confirmation secret for the request (the previous one stops working).

    Sets the fields without saving: the caller saves within its transaction.
    """
    secret, hashed = secret_new()
    request.confirm_token_hash = hashed
    request.confirm_expires_at = timezone.now() + timedelta(
        hours=settings.GUICHET_REQUEST_CONFIRM_HOURS
    )
    return secret


def confirmation_find(secret: str) -> Request:
    """The unconfirmed request this secret confirms, or LinkError: unknown, used, expired."""
    if not secret:
        raise LinkError("link_unknown")
    request = Request.objects.filter(confirm_token_hash=secret_hash(secret)).first()
    if request is None:
        raise LinkError("link_unknown")
    if request.confirm_expires_at is None or request.confirm_expires_at < timezone.now():
        raise LinkError("link_expired")
    return request


def follow_nonce_new(request: Request) -> None:
    """A new nonce: every follow-up link sent so far stops working. Not saved here."""
    request.follow_nonce = secrets.token_hex(16)


def follow_token(request: Request) -> str:
    """A fresh follow-up token for the request, to put in a link."""
    if not request.follow_nonce:
        raise ValueError("The request has no follow-up nonce yet.")
    return signing.dumps({"r": request.pk, "n": request.follow_nonce}, salt=FOLLOW_SALT)


def follow_find(token: str) -> Request:
    """The request a follow-up token opens, or LinkError: unknown, revoked, expired."""
    max_age = timedelta(days=settings.GUICHET_REQUEST_LINK_DAYS)
    try:
        data = signing.loads(token, salt=FOLLOW_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError("link_expired") from error
    except signing.BadSignature as error:
        raise LinkError("link_unknown") from error
    request = Request.objects.filter(pk=data.get("r")).first()
    if request is None or not request.follow_nonce or request.follow_nonce != data.get("n"):
        raise LinkError("link_unknown")
    return request
