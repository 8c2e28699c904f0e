"""Who may see or do what on organisations."""

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.access import is_coordinator
from guichet.network.models import Organisation


def organisations_visible_privately(user: Any) -> QuerySet[Organisation]:
    """Organisations whose private space the person may open: their own; all for coordinators.

    Views look objects up in this queryset, so another organisation's space is a 404,
    never a 403 that would confirm it exists.
    """
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if is_coordinator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__person=user)


def can_manage(user: Any, organisation: Organisation) -> bool:
    if is_coordinator(user):
        return True
    return organisation.memberships.filter(person=user, is_manager=True).exists()


def organisations_managed_by(user: Any) -> QuerySet[Organisation]:
    """Organisations whose profile and software the person may edit: those they manage; all
    for coordinators. Looking objects up in it makes another organisation's a 404.
    """
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if is_coordinator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__person=user, memberships__is_manager=True)
