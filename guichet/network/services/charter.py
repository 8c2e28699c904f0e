"""The charter: publishing a version, signing it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.network.models import Charter, CharterSignature, CharterValue, Organisation


class CharterError(Exception):
    """A charter operation that cannot be done; `code` keys a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def current_charter() -> Charter | None:
    """The published version with the highest number."""
    return Charter.objects.filter(published_at__isnull=False).order_by("-version").first()


def charter_draft(
    *,
    values: list[tuple[str, str, str, str]],
    preamble: str = "",
    preamble_en: str = "",
    by: Any = None,
) -> Charter:
    """A new unpublished version; `values` are (title, title_en, text, text_en) in order."""
    if not values:
        raise CharterError("charter_without_values")
    with transaction.atomic():
        last = Charter.objects.aggregate(last=Max("version"))["last"] or 0
        charter = Charter.objects.create(
            version=last + 1, preamble=preamble, preamble_en=preamble_en
        )
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
        audit_record(action="charter.draft", actor=by, target=charter)
    return charter


def charter_publish(*, charter: Charter, by: Any = None, decision_reference: str = "") -> Charter:
    """Make a version current. Every member is then asked to sign it again."""
    if charter.published_at is not None:
        raise CharterError("charter_already_published")
    with transaction.atomic():
        charter.published_at = timezone.now()
        charter.decision_reference = decision_reference
        charter.save(update_fields=["published_at", "decision_reference"])
        audit_record(action="charter.publish", actor=by, target=charter)
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
