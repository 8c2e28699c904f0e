from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is append-only, even for staff."""

    list_display = ["sequence", "created_at", "action", "actor_id", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
