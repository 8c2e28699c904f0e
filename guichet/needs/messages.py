"""What the guichet's services refuse, said to people: one translated message per error code.

Services raise an error with a `code` (LinkError, IntakeError, DocumentError, ThreadError…);
views and forms show `error_message(code, **params)`. A code without a message would show a
generic sentence, and a test checks that every code the services raise has its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs' name for a lazy string; a development dependency only
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    # Private links (confirmation, follow-up).
    "link_unknown": _(
        "This link does not open any request: it is incomplete, it was already used, or it was "
        "replaced by a newer one."
    ),
    "link_expired": _(
        "This link has expired: for your safety, private links work for a while only."
    ),
    # The request form.
    "rate_limited": _(
        "Too many requests were sent from your connection in the last hour. Your request is "
        "not lost: it is below, as you wrote it. Please send it again later."
    ),
    "no_service": _("Choose at least one kind of service."),
    "end_before_start": _("The desired end comes before the desired start."),
    "date_in_past": _("This date has already passed."),
    "tender_reference_required": _("Give the reference of the tender."),
    "tender_deadline_required": _("Give the deadline for bids."),
    "tender_deadline_past": _("The deadline for bids has already passed."),
    "documents_without_tender": _(
        "Documents can be attached to a formal public tender only: tick the box above, or "
        "leave them out."
    ),
    "too_many_documents": _("Attach at most %(max)s documents."),
    "member_not_nameable": _(
        "The organisation you named is not a member of the network: your request cannot be "
        "addressed to it. Send the form again to ask the whole network; nothing you wrote is "
        "lost."
    ),
    # Attached documents.
    "document_type": _("“%(name)s” is not a PDF or ODT document: only these are accepted."),
    "document_content": _(
        "“%(name)s” is named like a PDF or ODT document, but its content is not one. Export it "
        "again as PDF or ODT."
    ),
    "document_too_large": _("“%(name)s” is larger than %(max)s MB."),
    "document_empty": _("“%(name)s” is empty."),
    # The thread with the coordinators.
    "message_empty": _("Write a message before sending it."),
    "message_too_long": _("The message is too long: write at most 5,000 characters."),
    "request_not_confirmed": _(
        "The request is not confirmed yet: open the link emailed to you first."
    ),
    # Qualification by coordinators.
    "request_closed": _("This request is closed: nothing can be changed any more."),
    "lot_has_provider": _("A provider is already chosen for this lot: it cannot be removed."),
    "not_a_tender": _("This request is not a formal public tender."),
    "rationale_too_short": _(
        "Explain to the client why open source is not the right fit: a few sentences at least."
    ),
    "too_late_for_not_a_fit": _(
        "The shortlist was already sent to the client: the request can no longer be answered "
        "“not the right fit”."
    ),
    # Ranking a lot.
    "onsite_place_unknown": _(
        "This lot is on-site but its place has no known coordinates, so no distance can be "
        "measured and the radius for on-site work cannot apply. Give the lot (or its request) "
        "a commune with coordinates, then rank it again."
    ),
    # Shortlists.
    "run_of_another_lot": _("This ranking was made for another lot."),
    "request_not_open_for_shortlist": _(
        "The shortlist of this request can no longer be changed or sent."
    ),
    "organisation_not_ranked": _(
        "This organisation was not ranked for the lot: only ranked members can be proposed."
    ),
    "already_shortlisted": _("This organisation is already on the lot's shortlist."),
    "entry_already_chosen": _("The client already chose this member for the lot."),
    "request_without_lots": _("The request has no lot yet: split it into lots first."),
    "lot_without_shortlist": _("Every lot needs at least one proposed member before sending."),
    "shortlist_nothing_new": _(
        "Every member on these shortlists has been sent already: nothing new to send, so the "
        "client is not emailed again."
    ),
    "entry_not_sent": _("This proposal has not been sent yet."),
    "member_declined": _("This member declined the lot: it cannot be chosen."),
    "lot_already_chosen": _("A provider is already chosen for this lot."),
    "note_too_long": _("The note is too long: write at most 2,000 characters."),
    "request_not_shortlisted": _(
        "More candidates can be asked for once members are proposed for the request."
    ),
    # A provider the client invites.
    "invitation_not_open": _(
        "A provider of your own can be invited once members are proposed to you, until you "
        "choose one for the lot."
    ),
    "lot_of_another_request": _("This lot belongs to another request."),
    "invitation_name_required": _("Give the name of the organisation you invite."),
    "invitation_email_invalid": _("Give a valid email address, e.g. contact@example.org."),
    "invitation_message_too_long": _("The message is too long: write at most 2,000 characters."),
    "invitation_pending": _(
        "This address is already invited for this lot, and the invitation waits for an answer."
    ),
    "too_many_invitations": _(
        "At most %(max)s invitations may wait for an answer on a lot: wait for one of them, "
        "or ask the coordinators for more candidates."
    ),
    "invitation_unknown": _(
        "This invitation link does not open anything: it is incomplete or mistyped."
    ),
    "invitation_expired": _(
        "This invitation has expired: for everyone's safety, invitation links work for a "
        "while only."
    ),
    "invitation_used": _("This invitation was already answered: a link works once."),
    "organisation_name_taken": _(
        "An organisation with this name is already in the directory: give its SIREN if it is "
        "yours, or a more precise name."
    ),
    "siren_format": _("A SIREN has exactly 9 digits."),
    "siren_checksum": _("This SIREN is not valid: check its digits (its last one is a checksum)."),
    # Consortia.
    "request_not_ready_for_consortium": _(
        "A consortium can be formed once the shortlist is sent to the client."
    ),
    "consortium_exists": _("This request already has a consortium."),
    "no_consortium": _("No consortium can cover every lot with the members proposed."),
    "pdf_unavailable": _("PDF export needs LibreOffice, which this server does not have."),
    "pdf_failed": _(
        "The PDF could not be made. Download the OpenDocument version, or try again later."
    ),
    "consortium_frozen": _("The consortium can no longer be changed: the bid deadline has passed."),
    "invalid_person_days": _("Person-days go by half days, from 0."),
    "invalid_day_rate": _("The day rate is out of range."),
    "lead_must_be_co_contractor": _("The lead must be a co-contractor of the consortium."),
    "invalid_consortium_kind": _("This kind of consortium does not exist."),
    "not_lead_manager": _("Only a manager of the lead organisation can hand the lead over."),
    "not_contractor_manager": _(
        "Only the coordinators and the managers of the contractor can change its subcontractors."
    ),
    "subcontractor_needs_contractor": _(
        "A subcontractor works for the lead or a co-contractor of this consortium."
    ),
    "already_in_consortium": _("This organisation is already in the consortium."),
    "subcontractor_without_lots": _("Choose at least one lot for the subcontractor."),
    "subcontractor_lots_not_contractors": _(
        "A subcontractor can only work on lots its contractor holds."
    ),
    "not_a_subcontractor": _("This member is not a subcontractor."),
}

UNKNOWN = _("This action could not be done.")


def error_message(code: str, **params: Any) -> str:
    """The translated sentence for a service's error code, in the active language."""
    message = str(MESSAGES.get(code, UNKNOWN))
    return message % params if params else message


# The same, under the name the coordination pages use.
message_for = error_message
