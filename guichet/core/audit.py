"""Writing to and checking the audit log. Every service records what matters here."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from guichet.core.domain.audit_chain import GENESIS, ChainBreak, record_hash, verify_chain
from guichet.core.middleware import current_ip
from guichet.core.models import AuditEntry

# Any constant works: it names the lock that serialises appends on PostgreSQL.
_ADVISORY_LOCK_KEY = 4_711_2026


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one record to the chain. `data` must hold no personal data (ids, not names)."""
    _refuse_floats(data)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "hash").first()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1,
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", actor),
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            data=data or {},
            ip_address=ip_address if ip_address is not None else current_ip.get(),
            previous_hash=last.hash if last else GENESIS,
        )
        entry.hash = record_hash(entry.chained_fields(), entry.previous_hash)
        entry.save()
    return entry


def _refuse_floats(value: Any) -> None:
    # PostgreSQL's JSON gives some floats back changed (1e20 as an integer, -0.0 as 0): the
    # record would then fail its own hash. Amounts are Decimal written as strings anyway.
    if isinstance(value, float):
        raise TypeError("Audit data holds no floats: write a string or an integer.")
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)


def audit_verify() -> ChainBreak | None:
    """Walk the whole log in order; the first break, or None when it holds."""
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    return verify_chain((e.sequence, e.chained_fields(), e.previous_hash, e.hash) for e in entries)
