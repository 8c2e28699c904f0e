"""The charter: drafting a version, publishing it, signing it.

Only one draft exists at a time. A draft starts as a copy of the current version; coordinators
edit its preamble and values, then put it to the associates' decision (services/decisions.py)
or discard it. While the associates decide, the draft is neither edited nor discarded; an
adopted decision publishes it (every member is then asked to sign again), one not adopted
leaves it to be changed and put to decision again. A published version is never edited again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.governance.models import OPEN_STATUSES as PROPOSAL_OPEN_STATUSES
from guichet.governance.models import Proposal
from guichet.network import notifications
from guichet.network.models import Charter, CharterSignature, CharterValue, Organisation

# (title, title_en, text, text_en): one value of the charter, in French and in English.
ValueTexts = tuple[str, str, str, str]


class CharterError(CodedError):
    """A charter operation that cannot be done; `code` keys a translated message."""


def current_charter() -> Charter | None:
    """The published version with the highest number."""
    return Charter.objects.filter(published_at__isnull=False).order_by("-version").first()


def draft_in_progress() -> Charter | None:
    """The version being drafted, if any (there is at most one)."""
    return Charter.objects.filter(published_at__isnull=True).order_by("-version").first()


def _checked_values(values: Sequence[ValueTexts]) -> list[ValueTexts]:
    """The values, stripped; refused if there are none or one misses a language."""
    if not values:
        raise CharterError("charter_without_values")
    cleaned = [tuple(part.strip() for part in value) for value in values]
    if any(not all(value) for value in cleaned):
        raise CharterError("charter_value_incomplete")
    return cleaned  # type: ignore[return-value]  # four strings in, four strings out


def _create_values(charter: Charter, values: Sequence[ValueTexts]) -> None:
    CharterValue.objects.bulk_create(
        CharterValue(
            charter=charter,
            position=position,
            title=title,
            title_en=title_en,
            text=text,
            text_en=text_en,
        )
        for position, (title, title_en, text, text_en) in enumerate(values, start=1)
    )


def _new_draft(
    *, values: Sequence[ValueTexts], preamble: str, preamble_en: str, by: Any, data: dict[str, Any]
) -> Charter:
    """A new version after the last one; refused while another draft is in progress."""
    if Charter.objects.select_for_update().filter(published_at__isnull=True).exists():
        raise CharterError("charter_draft_exists")
    last = Charter.objects.aggregate(last=Max("version"))["last"] or 0
    charter = Charter.objects.create(version=last + 1, preamble=preamble, preamble_en=preamble_en)
    _create_values(charter, values)
    audit_record(action="charter.draft", actor=by, target=charter, data=data)
    return charter


def charter_draft(
    *,
    values: list[tuple[str, str, str, str]],
    preamble: str = "",
    preamble_en: str = "",
    by: Any = None,
) -> Charter:
    """A new unpublished version; `values` are (title, title_en, text, text_en) in order."""
    checked = _checked_values(values)
    with transaction.atomic():
        return _new_draft(
            values=checked,
            preamble=preamble.strip(),
            preamble_en=preamble_en.strip(),
            by=by,
            data={},
        )


def charter_draft_start(*, by: Any = None) -> Charter:
    """A new draft, a copy of the current version's preamble and values (empty if none yet)."""
    with transaction.atomic():
        current = current_charter()
        values: list[ValueTexts] = []
        if current is not None:
            values = [
                (v.title, v.title_en, v.text, v.text_en)
                for v in current.values.order_by("position")
            ]
        return _new_draft(
            values=values,
            preamble=current.preamble if current else "",
            preamble_en=current.preamble_en if current else "",
            by=by,
            data={"copied_from": current.version if current else None},
        )


def charter_under_decision(charter: Charter) -> bool:
    """The draft is before the associates: its proposal is in discussion or voting."""
    if charter.proposal_id is None:
        return False
    return Proposal.objects.filter(
        pk=charter.proposal_id, status__in=PROPOSAL_OPEN_STATUSES
    ).exists()


def locked_draft(charter: Charter, *, editing: bool = False) -> Charter:
    """The draft, locked for the change; refused once it is published and, when `editing`
    it (changing or discarding it), while the associates decide on it."""
    try:
        locked = Charter.objects.select_for_update().get(pk=charter.pk)
    except Charter.DoesNotExist:
        raise CharterError("charter_draft_gone") from None
    if locked.published_at is not None:
        raise CharterError("charter_already_published")
    if editing and charter_under_decision(locked):
        raise CharterError("charter_under_decision")
    return locked


def charter_draft_update(
    *,
    charter: Charter,
    values: Sequence[ValueTexts],
    preamble: str = "",
    preamble_en: str = "",
    by: Any = None,
) -> Charter:
    """Replace a draft's preamble and values (in their new order). Published versions refuse."""
    checked = _checked_values(values)
    with transaction.atomic():
        draft = locked_draft(charter, editing=True)
        draft.preamble = preamble.strip()
        draft.preamble_en = preamble_en.strip()
        draft.save(update_fields=["preamble", "preamble_en"])
        draft.values.all().delete()
        _create_values(draft, checked)
        audit_record(
            action="charter.draft_update", actor=by, target=draft, data={"values": len(checked)}
        )
    return draft


def charter_draft_discard(*, charter: Charter, by: Any = None) -> None:
    """Delete a draft and its values; a published version is never deleted."""
    with transaction.atomic():
        draft = locked_draft(charter, editing=True)
        audit_record(
            action="charter.discard", actor=by, target=draft, data={"version": draft.version}
        )
        draft.delete()


def charter_publish(*, charter: Charter, by: Any = None, decision_reference: str = "") -> Charter:
    """Make a version current. Every member is then asked to sign it again: each member
    organisation's managers get an email once the transaction commits.

    The associates' adopted decision calls it (network/decisions.py) with its reference; a
    draft under decision is published by that decision only."""
    if charter.published_at is not None:
        raise CharterError("charter_already_published")
    with transaction.atomic():
        draft = locked_draft(charter)
        if charter_under_decision(draft) and (
            draft.proposal is None or draft.proposal.reference != decision_reference
        ):
            raise CharterError("charter_under_decision")
        if not draft.values.exists():
            raise CharterError("charter_without_values")
        charter.published_at = timezone.now()
        charter.decision_reference = decision_reference
        charter.save(update_fields=["published_at", "decision_reference"])
        audit_record(action="charter.publish", actor=by, target=charter)
        notifications.charter_published(charter)
    return charter


def charter_sign(
    *, organisation: Organisation, by: Any, charter: Charter | None = None
) -> CharterSignature:
    """The organisation signs the current charter (or the given published version); once."""
    version = charter or current_charter()
    if version is None or version.published_at is None:
        raise CharterError("no_published_charter")
    with transaction.atomic():
        signature, created = CharterSignature.objects.get_or_create(
            charter=version, organisation=organisation, defaults={"signed_by": by}
        )
        if created:
            audit_record(
                action="charter.sign",
                actor=by,
                target=organisation,
                data={"charter": version.version},
            )
    return signature
