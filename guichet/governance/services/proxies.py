"""The register of proxies: given for one proposal or for a period, revoked, never erased."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.governance.access import is_associate
from guichet.governance.models import Proposal, Proxy
from guichet.governance.services.common import GovernanceError, statutes_current

MAX_PERIOD_DAYS = 366


def _overlapping(
    holder: Any, proposal: Proposal | None, starts: date | None, ends: date | None
) -> QuerySet[Proxy]:
    held = Proxy.objects.filter(holder=holder, revoked_at__isnull=True)
    if proposal is not None:
        return held.filter(
            Q(proposal=proposal) | Q(proposal__isnull=True, ends_on__gte=timezone.localdate())
        )
    return held.filter(
        Q(proposal__isnull=True, starts_on__lte=ends, ends_on__gte=starts)
        | Q(proposal__isnull=False, proposal__status__in=["discussion", "voting"])
    )


def proxy_give(
    *,
    giver: Any,
    holder: Any,
    proposal: Proposal | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Proxy:
    """`giver` asks `holder` (an associate of any college) to vote for them, on one
    proposal or for a period; refused beyond the statutes' cap of proxies one may hold."""
    if not is_associate(giver) or not is_associate(holder):
        raise GovernanceError("proxy_between_associates")
    if giver.pk == holder.pk:
        raise GovernanceError("proxy_to_oneself")
    if proposal is None:
        if starts_on is None or ends_on is None:
            raise GovernanceError("proxy_needs_scope")
        if ends_on < starts_on or (ends_on - starts_on).days > MAX_PERIOD_DAYS:
            raise GovernanceError("proxy_period_invalid")
        if ends_on < timezone.localdate():
            raise GovernanceError("proxy_period_past")
    elif not proposal.is_open:
        raise GovernanceError("proposal_closed")
    with transaction.atomic():
        # Lock the people's rows (in one order, against deadlocks): two proxies given at once
        # cannot both pass the cap. Not with count(), which drops FOR UPDATE.
        list(
            type(holder)
            .objects.select_for_update()
            .filter(pk__in=[giver.pk, holder.pk])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if (
            Proxy.objects.filter(giver=holder, revoked_at__isnull=True)
            .filter(Q(proposal=proposal) if proposal else Q(proposal__isnull=True))
            .exists()
        ):
            raise GovernanceError("holder_gave_proxy")
        mine = Proxy.objects.filter(giver=giver, revoked_at__isnull=True)
        if (
            mine.filter(proposal=proposal)
            if proposal
            else mine.filter(proposal__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
        ).exists():
            raise GovernanceError("proxy_already_given")
        if (
            _overlapping(holder, proposal, starts_on, ends_on).count()
            >= statutes_current().max_proxies
        ):
            raise GovernanceError("holder_at_cap")
        proxy = Proxy.objects.create(
            giver=giver,
            holder=holder,
            proposal=proposal,
            starts_on=None if proposal else starts_on,
            ends_on=None if proposal else ends_on,
        )
        audit_record(
            action="proxy.give",
            actor=giver,
            target=proxy,
            data={"holder": holder.pk, "proposal": proposal.pk if proposal else None},
        )
    return proxy


def proxy_revoke(*, proxy: Proxy, by: Any) -> Proxy:
    """The giver takes its proxy back (the holder may also decline it); kept in the register."""
    if by.pk not in (proxy.giver_id, proxy.holder_id):
        raise GovernanceError("not_your_proxy")
    with transaction.atomic():
        # Locked and read again: of two revocations at once, the second is refused.
        proxy = Proxy.objects.select_for_update().get(pk=proxy.pk)
        if proxy.revoked_at is not None:
            raise GovernanceError("proxy_already_revoked")
        proxy.revoked_at = timezone.now()
        proxy.save(update_fields=["revoked_at"])
        audit_record(action="proxy.revoke", actor=by, target=proxy)
    return proxy
