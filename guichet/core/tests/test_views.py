"""The audit log as staff see it in the administration: readable, never writable."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from guichet.core.audit import audit_record, audit_verify
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    staff = get_user_model().objects.create_superuser("admin@exemple.test", "x" * 16)
    client.force_login(staff)
    return client


def test_staff_can_read_the_audit_log(staff_client: Client) -> None:
    audit_record(action="test.visible")

    response = staff_client.get(reverse("admin:core_auditentry_changelist"))

    assert response.status_code == 200
    assert "test.visible" in response.content.decode()


def test_staff_cannot_add_to_the_audit_log_by_hand(staff_client: Client) -> None:
    response = staff_client.post(reverse("admin:core_auditentry_add"), {"action": "forged"})

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="forged").exists()


def test_staff_cannot_change_an_audit_record(staff_client: Client) -> None:
    entry = audit_record(action="test.original")

    staff_client.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "test.forged"}
    )

    assert AuditEntry.objects.get(pk=entry.pk).action == "test.original"
    assert audit_verify() is None


def test_staff_cannot_delete_audit_records(staff_client: Client) -> None:
    entry = audit_record(action="test.kept")

    one = staff_client.post(
        reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = staff_client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert one.status_code == 403
    assert bulk.status_code in {200, 302}
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
