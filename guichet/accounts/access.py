"""Who holds which role. Every permission check on roles goes through here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guichet.accounts.models import Role, User


def roles_of(user: Any) -> frozenset[str]:
    """The roles a person holds, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_guichet_roles", None)
    if cached is None:
        cached = frozenset(user.role_grants.values_list("role", flat=True))
        user._guichet_roles = cached
    return cached


def has_role(user: Any, role: Role | str) -> bool:
    return str(role) in roles_of(user)


def is_coordinator(user: Any) -> bool:
    """Coordinators act for the whole network; staff can always do what they do."""
    return bool(getattr(user, "is_staff", False)) or has_role(user, Role.COORDINATOR)


def signed_in(request: HttpRequest) -> User:
    """The person behind a request that must come from someone signed in, typed as such.

    Views already require a sign-in; this gives services a `User`, not `Any`, and refuses
    (403) in the one case a view forgot to require it.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
