"""Core records shared by every app: the append-only audit log."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are never deleted.")


class AuditEntry(models.Model):
    """One security- or money-relevant action: who, what, on which object, when, from where.

    Records are only ever appended. Each one carries the hash of the one before it
    (see core/domain/audit_chain.py), so `manage.py verify_audit_log` detects any change.
    The actor is kept as a bare id, not a foreign key: erasing a person leaves the chain intact
    and the record anonymous.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("date"), editable=False, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64, unique=True, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are never deleted.")

    def chained_fields(self) -> dict[str, Any]:
        """The fields the hash covers, in the form they had when the record was written."""
        return {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "data": self.data,
            "ip_address": self.ip_address,
        }
