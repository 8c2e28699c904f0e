"""Shortlists and the client's choice.

A coordinator puts ranked members on a lot's shortlist (by default the best
GUICHET_SHORTLIST_SIZE of the latest ranking), adds notes, and sends the shortlists of the
request to the client. Members shortlisted are told and may accept or decline; the client
chooses one per lot, asks for more candidates, or brings a provider of its own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.needs import notifications
from guichet.needs.models import (
    Lot,
    MatchingRun,
    MemberResponse,
    Request,
    RequestStatus,
    ShortlistEntry,
)
from guichet.needs.services.matching import run_result
from guichet.needs.services.thread import message_post
from guichet.network.models import Organisation

OPEN_FOR_SHORTLIST = (RequestStatus.QUALIFIED, RequestStatus.SHORTLISTED)


class ShortlistError(CodedError):
    """A shortlist step that cannot be done; `code` keys a translated message."""


def _ranked_entry(run: MatchingRun, organisation_id: int) -> tuple[int, dict[str, Any]] | None:
    for position, entry in enumerate(run_result(run)["ranked"], start=1):
        if entry["organisation"] == organisation_id:
            return position, entry
    return None


def shortlist_add(
    *, lot: Lot, organisation: Organisation, run: MatchingRun, by: Any, note: str = ""
) -> ShortlistEntry:
    """Put a ranked member on the lot's shortlist, with its rank, score and reasons.

    Only organisations the run ranked may be added: an excluded one stays excluded.
    """
    if run.lot_id != lot.pk:
        raise ShortlistError("run_of_another_lot")
    if lot.request.status not in OPEN_FOR_SHORTLIST:
        raise ShortlistError("request_not_open_for_shortlist")
    found = _ranked_entry(run, organisation.pk)
    if found is None:
        raise ShortlistError("organisation_not_ranked")
    if ShortlistEntry.objects.filter(lot=lot, organisation=organisation).exists():
        raise ShortlistError("already_shortlisted")
    rank, entry = found
    with transaction.atomic():
        shortlisted = ShortlistEntry.objects.create(
            lot=lot,
            organisation=organisation,
            run=run,
            rank=rank,
            score=entry["total"],
            explanation=entry,
            note=note.strip(),
            brought_by_client=bool(entry.get("brought_by_client")),
            added_by=by,
        )
        audit_record(
            action="shortlist.add",
            actor=by,
            target=lot,
            data={"organisation": organisation.pk, "run": run.pk, "rank": rank},
        )
    return shortlisted


def shortlist_propose(
    *, lot: Lot, run: MatchingRun, by: Any, size: int | None = None
) -> list[ShortlistEntry]:
    """Fill the shortlist with the best ranked members not on it yet, up to `size` in all."""
    wanted = size if size is not None else settings.GUICHET_SHORTLIST_SIZE
    present = set(lot.shortlist.values_list("organisation_id", flat=True))
    missing = max(0, wanted - len(present))
    ids = [
        entry["organisation"]
        for entry in run_result(run)["ranked"]
        if entry["organisation"] not in present
    ]
    organisations = Organisation.objects.in_bulk(ids[:missing])
    return [
        shortlist_add(lot=lot, organisation=organisations[pk], run=run, by=by)
        for pk in ids[:missing]
        if pk in organisations
    ]


def shortlist_remove(*, entry: ShortlistEntry, by: Any) -> None:
    """Take a member off a shortlist that the client has not chosen from."""
    if entry.chosen_at is not None:
        raise ShortlistError("entry_already_chosen")
    with transaction.atomic():
        audit_record(
            action="shortlist.remove",
            actor=by,
            target=entry.lot,
            data={"organisation": entry.organisation_id},
        )
        entry.delete()


def shortlist_send(*, request: Request, by: Any) -> int:
    """Send the request's shortlists to the client: every lot needs at least one member.

    Members newly sent are told, and may accept or decline. Returns how many were sent;
    refused when none is new (the client would be emailed the same shortlists again).
    """
    if request.status not in OPEN_FOR_SHORTLIST:
        raise ShortlistError("request_not_open_for_shortlist")
    lots = list(request.lots.order_by("position"))
    if not lots:
        raise ShortlistError("request_without_lots")
    counts = {lot.pk: 0 for lot in lots}
    for lot_id in ShortlistEntry.objects.filter(lot__request=request).values_list(
        "lot_id", flat=True
    ):
        counts[lot_id] += 1
    if any(count == 0 for count in counts.values()):
        raise ShortlistError("lot_without_shortlist")
    now = timezone.now()
    with transaction.atomic():
        new = list(
            ShortlistEntry.objects.filter(lot__request=request, sent_at__isnull=True)
            .select_related("lot", "organisation")
            .order_by("lot__position", "rank")
        )
        if not new:
            # Sending again with nothing added would only email the client the same list.
            raise ShortlistError("shortlist_nothing_new")
        ShortlistEntry.objects.filter(pk__in=[entry.pk for entry in new]).update(sent_at=now)
        request.status = RequestStatus.SHORTLISTED
        request.save(update_fields=["status"])
        audit_record(action="shortlist.send", actor=by, target=request, data={"entries": len(new)})
        notifications.to_client(request, "shortlist_sent")
        for entry in new:
            notifications.to_member(entry, "shortlisted")
    return len(new)


def member_respond(*, entry: ShortlistEntry, accepted: bool, by: Any) -> ShortlistEntry:
    """A shortlisted member says whether it is available for the lot."""
    if entry.sent_at is None:
        raise ShortlistError("entry_not_sent")
    if entry.chosen_at is not None and not accepted:
        raise ShortlistError("entry_already_chosen")
    with transaction.atomic():
        entry.member_response = MemberResponse.ACCEPTED if accepted else MemberResponse.DECLINED
        entry.member_responded_at = timezone.now()
        entry.save(update_fields=["member_response", "member_responded_at"])
        audit_record(
            action="shortlist.respond",
            actor=by,
            target=entry.lot,
            data={"organisation": entry.organisation_id, "accepted": accepted},
        )
    return entry


def client_choose(*, entry: ShortlistEntry) -> ShortlistEntry:
    """The client chooses a member for a lot, among those sent that did not decline.

    Once every lot has its choice, the request moves to "providers chosen".
    """
    lot = entry.lot
    request = lot.request
    if entry.chosen_at is not None or lot.shortlist.filter(chosen_at__isnull=False).exists():
        raise ShortlistError("lot_already_chosen")
    if request.status != RequestStatus.SHORTLISTED or entry.sent_at is None:
        raise ShortlistError("entry_not_sent")
    if entry.member_response == MemberResponse.DECLINED:
        raise ShortlistError("member_declined")
    with transaction.atomic():
        if lot.shortlist.filter(chosen_at__isnull=False).exclude(pk=entry.pk).exists():
            raise ShortlistError("lot_already_chosen")
        entry.chosen_at = timezone.now()
        entry.save(update_fields=["chosen_at"])
        if (
            not Lot.objects.filter(request=request)
            .exclude(shortlist__chosen_at__isnull=False)
            .exists()
        ):
            request.status = RequestStatus.CHOSEN
            request.save(update_fields=["status"])
        audit_record(
            action="shortlist.choose",
            actor=None,
            target=lot,
            data={"organisation": entry.organisation_id},
        )
        notifications.to_member(entry, "chosen")
        notifications.to_coordinators(request, "client_chose", {"entry": entry})
    return entry


MAX_NOTE_LENGTH = 2000


def shortlist_note(*, entry: ShortlistEntry, note: str, by: Any) -> ShortlistEntry:
    """Write (or clear) the coordinators' note on a shortlisted member; the client reads it."""
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ShortlistError("note_too_long")
    if entry.lot.request.status not in OPEN_FOR_SHORTLIST:
        raise ShortlistError("request_not_open_for_shortlist")
    with transaction.atomic():
        entry.note = note
        entry.save(update_fields=["note"])
        audit_record(
            action="shortlist.note",
            actor=by,
            target=entry.lot,
            data={"organisation": entry.organisation_id},
        )
    return entry


def lot_ask_more(*, lot: Lot, message: str = "") -> Lot:
    """The client asks for more candidates on a lot: the coordinators get it as a message."""
    request = lot.request
    if request.status != RequestStatus.SHORTLISTED:
        raise ShortlistError("request_not_shortlisted")
    if lot.shortlist.filter(chosen_at__isnull=False).exists():
        raise ShortlistError("lot_already_chosen")
    with translation.override(request.language):
        asked = _("I would like more candidates for lot %(number)s: %(title)s.") % {
            "number": lot.position,
            "title": lot.title,
        }
    body = f"{asked}\n\n{message.strip()}" if message.strip() else asked
    with transaction.atomic():
        lot.more_candidates_asked_at = timezone.now()
        lot.save(update_fields=["more_candidates_asked_at"])
        audit_record(action="shortlist.ask_more", actor=None, target=lot, data={})
        message_post(request=request, body=body, from_client=True)
    return lot
