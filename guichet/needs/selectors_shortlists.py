"""Shortlists, read for pages: a lot's shortlist on its ranking page, the counts the request's
page sends, and what the client's follow-up page shows per lot. Each reads in one query.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from guichet.needs.models import Lot, MemberResponse, Request, RequestStatus, ShortlistEntry
from guichet.needs.reasons import (
    CLIENT,
    component_label,
    component_sentence,
    exclusion_sentence,
)
from guichet.needs.services.shortlists import OPEN_FOR_SHORTLIST
from guichet.network.models import Membership

# The statuses whose follow-up page shows what was proposed.
SHOWN_TO_CLIENT = (RequestStatus.SHORTLISTED, RequestStatus.CHOSEN, RequestStatus.CONSORTIUM)


def reasons_of(entry: ShortlistEntry, audience: str = CLIENT) -> list[dict[str, str]]:
    """The entry's score explained component by component, in plain words, for `audience`
    (the client's follow-up page by default); a provider the client brought that the rules
    exclude (too far for on-site work…) says why instead."""
    reasons = [
        {
            "label": str(component_label(item["name"])),
            "reason": component_sentence(item["reason"], audience),
        }
        for item in entry.explanation.get("components", [])
        if "name" in item and "reason" in item
    ]
    if "excluded" in entry.explanation:
        why = exclusion_sentence(entry.explanation["excluded"])
        reasons.append({"label": str(_("Not ranked by the rules")), "reason": why})
    return reasons


def proposals_to_answer_count(person: Any) -> int | None:
    """How many proposals sent to clients wait for the answer of a member organisation the
    person manages, while the client is still choosing; None when they manage none (one
    query)."""
    found = Membership.objects.filter(
        person_id=person.pk, is_manager=True, organisation__is_member=True
    ).aggregate(
        managed=Count("pk", distinct=True),
        waiting=Count(
            "organisation__shortlisted",
            distinct=True,
            filter=Q(organisation__shortlisted__sent_at__isnull=False)
            & Q(organisation__shortlisted__member_response=MemberResponse.PENDING)
            & Q(organisation__shortlisted__lot__request__status=RequestStatus.SHORTLISTED),
        ),
    )
    return found["waiting"] if found["managed"] else None


def lot_shortlist(lot: Lot) -> dict[str, Any]:
    """The coordinators' view of a lot's shortlist, for its ranking page (one query)."""
    entries = list(lot.shortlist.select_related("organisation").order_by("rank", "pk"))
    return {
        "entries": entries,
        "by_organisation": {entry.organisation_id: entry for entry in entries},
        "editable": lot.request.status in OPEN_FOR_SHORTLIST,
        "size": settings.GUICHET_SHORTLIST_SIZE,
    }


def shortlists_to_send(request: Request, lots: list[Lot]) -> dict[str, Any]:
    """Per lot, how many members are proposed and how many are not sent yet (one query)."""
    counts: dict[int, tuple[int, int]] = {
        row["lot_id"]: (row["total"], row["unsent"])
        for row in ShortlistEntry.objects.filter(lot__request=request)
        .values("lot_id")
        .annotate(total=Count("pk"), unsent=Count("pk", filter=Q(sent_at__isnull=True)))
    }
    rows = [
        {
            "lot": lot,
            "total": counts.get(lot.pk, (0, 0))[0],
            "unsent": counts.get(lot.pk, (0, 0))[1],
        }
        for lot in lots
    ]
    return {
        "rows": rows,
        "can_send": request.status in OPEN_FOR_SHORTLIST and bool(rows),
        "unsent": sum(row["unsent"] for row in rows),
    }


def follow_shortlists(request: Request, lots: list[Lot]) -> list[dict[str, Any]]:
    """Per lot, the members sent to the client, their reasons and answers (one query)."""
    if request.status not in SHOWN_TO_CLIENT:
        return []
    entries = (
        ShortlistEntry.objects.filter(lot__request=request, sent_at__isnull=False)
        .select_related("organisation")
        .order_by("rank", "pk")
    )
    by_lot: dict[int, list[ShortlistEntry]] = {}
    for entry in entries:
        by_lot.setdefault(entry.lot_id, []).append(entry)
    may_choose = request.status == RequestStatus.SHORTLISTED
    out = []
    for lot in lots:
        sent = by_lot.get(lot.pk, [])
        chosen = next((entry for entry in sent if entry.chosen_at is not None), None)
        out.append(
            {
                "lot": lot,
                "chosen": chosen,
                "may_ask_more": may_choose and chosen is None,
                "entries": [
                    {
                        "entry": entry,
                        "organisation": entry.organisation,
                        "reasons": reasons_of(entry),
                        "declined": entry.member_response == MemberResponse.DECLINED,
                        "may_choose": may_choose
                        and chosen is None
                        and entry.member_response != MemberResponse.DECLINED,
                    }
                    for entry in sent
                ],
            }
        )
    return out
