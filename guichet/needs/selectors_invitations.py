"""Invitations of providers the client brings, read for the client's pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from guichet.needs.models import Lot, ProviderInvitation


def lot_invitations(lots: list[Lot]) -> dict[int, list[dict[str, Any]]]:
    """The invitations of each lot, newest first, each with its state for the page
    (pending, accepted, declined, expired), in one query."""
    by_lot: dict[int, list[dict[str, Any]]] = {lot.pk: [] for lot in lots}
    now = timezone.now()
    for invitation in ProviderInvitation.objects.filter(lot__in=lots).order_by("-created_at"):
        by_lot.setdefault(invitation.lot_id, []).append(
            {"invitation": invitation, "state": _state(invitation, now)}
        )
    return by_lot


def _state(invitation: ProviderInvitation, now: datetime) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.declined_at is not None:
        return "declined"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"
