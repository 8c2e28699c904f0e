"""Writes on people, roles and API tokens. Each one is atomic and audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import ApiToken, College, NotificationOptOut, Role, RoleGrant, User
from guichet.accounts.notifications import NotificationError, kinds
from guichet.core.audit import audit_record

TOKEN_PREFIX = "gch_"  # noqa: S105 - a public marker that makes leaked tokens easy to spot
MAX_TOKEN_DAYS = 365


def _hash_secret(secret: str) -> str:
    # A token carries 256 random bits: a fast hash is enough, unlike for passwords.
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored nor shown again."""
    lifetime = days if days is not None else settings.GUICHET_API_TOKEN_DAYS
    if not 1 <= lifetime <= MAX_TOKEN_DAYS:
        raise ValueError(f"A token lives between 1 and {MAX_TOKEN_DAYS} days.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            key_hash=_hash_secret(secret),
            expires_at=timezone.now() + timedelta(days=lifetime),
        )
        audit_record(action="api_token.create", actor=user, target=token, data={"days": lifetime})
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(action="api_token.revoke", actor=by, target=token)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token matching this secret, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_hash=_hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def role_grant(
    *, user: User, role: Role, college: College | None = None, by: User | None = None
) -> RoleGrant:
    """Give a person a role; an associate's college is required, and changed if it differs."""
    if role == Role.ASSOCIATE and college is None:
        raise ValueError("An associate sits in a college.")
    with transaction.atomic():
        grant, _created = RoleGrant.objects.update_or_create(
            user=user,
            role=role,
            defaults={"college": college if role == Role.ASSOCIATE else None},
        )
        audit_record(
            action="role.grant",
            actor=by,
            target=user,
            data={"role": str(role), "college": college.slug if college else None},
        )
    user.__dict__.pop("_guichet_roles", None)
    return grant


def role_revoke(*, user: User, role: Role, by: User | None = None) -> bool:
    with transaction.atomic():
        deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
        if deleted:
            audit_record(action="role.revoke", actor=by, target=user, data={"role": str(role)})
    user.__dict__.pop("_guichet_roles", None)
    return bool(deleted)


def notification_preferences_set(*, person: User, receive: set[str]) -> None:
    """Receive the registered kinds of email in `receive`, and opt out of every other one.

    Each opt-out is a row (the record of when it was made); opting back in deletes it. The
    change is audited with the kinds only. A kind that is not registered is refused
    (NotificationError "notification_kind_unknown") and nothing changes."""
    known = {kind.key for kind in kinds()}
    if set(receive) - known:
        raise NotificationError("notification_kind_unknown")
    with transaction.atomic():
        current = set(
            NotificationOptOut.objects.select_for_update()
            .filter(person=person, kind__in=known)
            .values_list("kind", flat=True)
        )
        wanted = known - set(receive)
        opt_out, opt_in = sorted(wanted - current), sorted(current - wanted)
        if opt_out:
            NotificationOptOut.objects.bulk_create(
                [NotificationOptOut(person=person, kind=kind) for kind in opt_out],
                ignore_conflicts=True,
            )
            audit_record(
                action="notifications.opt_out", actor=person, target=person, data={"kinds": opt_out}
            )
        if opt_in:
            NotificationOptOut.objects.filter(person=person, kind__in=opt_in).delete()
            audit_record(
                action="notifications.opt_in", actor=person, target=person, data={"kinds": opt_in}
            )
