"""A provider of the client's own: invited by a link, it joins a lot's shortlist.

While the client chooses (shortlist sent, lot not chosen yet), it may invite an outside
organisation by email. The link carries a secret stored hashed (core/tokens.py), works once
and expires after GUICHET_INVITATION_DAYS days. Accepting creates a minimal, non-member
profile (or reuses the directory's organisation with the same SIREN), puts it on the lot's
shortlist as brought by the client, and ranks the lot again: the engine scores it by the
same rules as members (only the member and charter exclusions do not apply to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.core.tokens import secret_hash, secret_new
from guichet.needs import notifications
from guichet.needs.models import (
    Lot,
    MatchingRun,
    MemberResponse,
    ProviderInvitation,
    Request,
    RequestStatus,
    ShortlistEntry,
)
from guichet.needs.services.matching import MatchingError, lot_rank, run_result
from guichet.needs.services.shortlists import _ranked_entry
from guichet.network.domain.identifiers import IdentifierError, validate_siren
from guichet.network.models import Commune, Organisation, Software, SoftwareLink, SoftwareRole
from guichet.network.services.applying import _free_slug

# More waiting invitations on one lot would turn the client's shortlist into a mailing list.
MAX_PENDING_PER_LOT = 3
MAX_MESSAGE_LENGTH = 2000


class InvitationError(CodedError):
    """An invitation step that cannot be done; `code` keys a translated message."""


@dataclass(frozen=True)
class InvitedProfile:
    """The minimal profile an invited provider gives when it accepts."""

    name: str
    kind: str
    commune: Commune
    siren: str = ""
    website: str = ""
    description: str = ""
    capacity_days: int = 0
    # The role the provider declares on each of the lot's software (none when it has none).
    roles: dict[int, str] = field(default_factory=dict)


def is_pending(invitation: ProviderInvitation) -> bool:
    """Neither answered nor expired."""
    return (
        invitation.accepted_at is None
        and invitation.declined_at is None
        and invitation.expires_at > timezone.now()
    )


def _pending(lot: Lot) -> Any:
    return ProviderInvitation.objects.filter(
        lot=lot, accepted_at__isnull=True, declined_at__isnull=True, expires_at__gt=timezone.now()
    )


def invitation_closed_code(lot: Lot) -> str | None:
    """Why the client may not bring a provider for the lot now, or None when it may: only
    while it chooses (shortlist sent, lot not chosen yet)."""
    if lot.shortlist.filter(chosen_at__isnull=False).exists():
        return "lot_already_chosen"
    if lot.request.status != RequestStatus.SHORTLISTED:
        return "invitation_not_open"
    return None


def lot_open_for_invitation(lot: Lot) -> bool:
    return invitation_closed_code(lot) is None


def _check_open(lot: Lot) -> None:
    code = invitation_closed_code(lot)
    if code is not None:
        raise InvitationError(code)


def _check_invitee(organisation_name: str, email: str, message: str) -> None:
    if not organisation_name:
        raise InvitationError("invitation_name_required")
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvitationError("invitation_email_invalid") from error
    if len(message) > MAX_MESSAGE_LENGTH:
        raise InvitationError("invitation_message_too_long")


def invitation_create(
    *,
    request: Request,
    lot: Lot,
    organisation_name: str,
    email: str,
    message: str = "",
    language: str = "",
) -> tuple[ProviderInvitation, str]:
    """The client invites a provider of its own for a lot; returns it and the raw secret.

    The secret leaves only in the invitee's email: the database keeps its hash.
    """
    organisation_name = " ".join(organisation_name.split())
    email = email.strip().lower()
    message = message.strip()
    if lot.request_id != request.pk:
        raise InvitationError("lot_of_another_request")
    _check_open(lot)
    _check_invitee(organisation_name, email, message)
    with transaction.atomic():
        # Locking the lot serialises two invitations posted at once against the limits.
        Lot.objects.select_for_update().filter(pk=lot.pk).first()
        pending = _pending(lot)
        if pending.filter(email__iexact=email).exists():
            raise InvitationError("invitation_pending")
        if pending.count() >= MAX_PENDING_PER_LOT:
            raise InvitationError("too_many_invitations")
        secret, hashed = secret_new()
        invitation = ProviderInvitation.objects.create(
            request=request,
            lot=lot,
            organisation_name=organisation_name,
            email=email,
            message=message,
            language=language or request.language,
            token_hash=hashed,
            expires_at=timezone.now() + timedelta(days=settings.GUICHET_INVITATION_DAYS),
        )
        audit_record(action="invitation.create", target=lot, data={"invitation": invitation.pk})
        notifications.to_invitee(invitation, secret)
        notifications.to_coordinators(request, "invitation_sent", {"invitation": invitation})
    return invitation, secret


def invitation_by_token(token: str) -> ProviderInvitation:
    """The invitation a secret opens, or InvitationError: unknown, expired or already used."""
    if not token:
        raise InvitationError("invitation_unknown")
    invitation = (
        ProviderInvitation.objects.select_related("request", "lot__commune__department")
        .filter(token_hash=secret_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("invitation_unknown")
    if invitation.accepted_at is not None or invitation.declined_at is not None:
        raise InvitationError("invitation_used")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("invitation_expired")
    return invitation


def _lock_pending(invitation: ProviderInvitation) -> ProviderInvitation:
    """The invitation again, locked: a second answer posted at once finds it used."""
    locked = ProviderInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.declined_at is not None:
        raise InvitationError("invitation_used")
    if locked.expires_at <= timezone.now():
        raise InvitationError("invitation_expired")
    return locked


def _organisation_for(profile: InvitedProfile, lot: Lot) -> Organisation:
    """The directory's organisation with this SIREN, else a new non-member one."""
    siren = ""
    if profile.siren:
        try:
            siren = validate_siren(profile.siren)
        except IdentifierError as error:
            raise InvitationError(error.code) from error
        found = Organisation.objects.filter(siren=siren).first()
        if found is not None:
            return found
    name = " ".join(profile.name.split())
    if not name:
        raise InvitationError("invitation_name_required")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise InvitationError("organisation_name_taken")
    organisation = Organisation.objects.create(
        name=name,
        slug=_free_slug(name),
        kind=profile.kind,
        is_member=False,
        siren=siren or None,
        commune=profile.commune,
        city=profile.commune.name,
        website=profile.website,
        description=profile.description.strip(),
        capacity_days=profile.capacity_days,
    )
    audit_record(action="organisation.create", target=organisation, data={"invited": True})
    return organisation


def _declare_links(organisation: Organisation, lot: Lot, roles: dict[int, str]) -> None:
    """The roles declared on the lot's software, unverified as every new link is.

    A member's links are its managers' to change: an anonymous link never edits them.
    """
    if organisation.is_member:
        return
    valid = {role.value for role in SoftwareRole}
    wanted = {pk: role for pk, role in roles.items() if role in valid}
    for software in Software.objects.filter(pk__in=wanted, lots=lot):
        SoftwareLink.objects.get_or_create(
            organisation=organisation, software=software, role=wanted[software.pk]
        )


def _unrankable(entry: ShortlistEntry, error: MatchingError) -> None:
    """The lot cannot be ranked now (an on-site lot whose place was lost): the provider joins
    after every other proposal, and its explanation says why it is not ranked."""
    entry.rank = ShortlistEntry.objects.filter(lot=entry.lot).count()
    entry.score = 0
    entry.explanation = {
        "organisation": entry.organisation_id,
        "name": entry.organisation.name,
        "total": 0,
        "brought_by_client": True,
        "components": [],
        "excluded": {"code": error.code, "params": {}},
    }


def _rank_brought(entry: ShortlistEntry) -> MatchingRun | None:
    """Rank the lot again and give the entry its rank, score and reasons from that run.

    An exclusion that also binds the client's own providers (the client itself, too far for
    on-site work) is kept as the entry's explanation, after every ranked one.
    """
    try:
        run = lot_rank(lot=entry.lot, by=None)
    except MatchingError as error:
        _unrankable(entry, error)
        return None
    result = run_result(run)
    found = _ranked_entry(run, entry.organisation_id)
    if found is not None:
        entry.rank, explained = found
        entry.score = explained["total"]
        entry.explanation = explained
    else:
        excluded = next(
            (
                item
                for item in result.get("excluded", [])
                if item["organisation"] == entry.organisation_id
            ),
            None,
        )
        entry.rank = len(result["ranked"]) + 1
        entry.score = 0
        entry.explanation = {
            "organisation": entry.organisation_id,
            "name": entry.organisation.name,
            "total": 0,
            "brought_by_client": True,
            "components": [],
            "excluded": excluded["reason"] if excluded else {"code": "not_ranked", "params": {}},
        }
    entry.run = run
    return run


def invitation_accept(*, invitation: ProviderInvitation, profile: InvitedProfile) -> ShortlistEntry:
    """The invited provider accepts: it joins the lot's shortlist, ranked and sent."""
    lot = invitation.lot
    with transaction.atomic():
        invitation = _lock_pending(invitation)
        _check_open(lot)
        organisation = _organisation_for(profile, lot)
        if ShortlistEntry.objects.filter(lot=lot, organisation=organisation).exists():
            raise InvitationError("already_shortlisted")
        _declare_links(organisation, lot, profile.roles)
        now = timezone.now()
        entry = ShortlistEntry.objects.create(
            lot=lot,
            organisation=organisation,
            brought_by_client=True,
            # Accepting says it is available: the client may choose it at once.
            member_response=MemberResponse.ACCEPTED,
            member_responded_at=now,
        )
        run = _rank_brought(entry)
        entry.sent_at = now
        entry.save()
        invitation.accepted_at = now
        invitation.organisation = organisation
        invitation.save(update_fields=["accepted_at", "organisation"])
        audit_record(
            action="invitation.accept",
            target=lot,
            data={
                "invitation": invitation.pk,
                "organisation": organisation.pk,
                "run": run.pk if run else None,
            },
        )
        context = {"invitation": invitation, "entry": entry, "lot": lot}
        notifications.to_client(invitation.request, "invitation_accepted_client", context)
        notifications.to_coordinators(invitation.request, "invitation_accepted", context)
    return entry


def invitation_decline(*, invitation: ProviderInvitation) -> ProviderInvitation:
    """The invited provider declines: nothing joins the shortlist; the client is told."""
    with transaction.atomic():
        invitation = _lock_pending(invitation)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
        audit_record(
            action="invitation.decline", target=invitation.lot, data={"invitation": invitation.pk}
        )
        notifications.to_client(
            invitation.request, "invitation_declined", {"invitation": invitation}
        )
    return invitation
