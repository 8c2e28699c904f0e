"""Staff edits in the administration are audited like the services' writes."""

import pytest
from django.urls import reverse

from guichet.accounts.models import ApiToken, Role, RoleGrant
from guichet.accounts.services import api_token_create
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _inline_management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_role_given_in_the_administration_is_written_to_the_audit_log(demo, client_as):
    person = demo["client"]
    client = client_as(demo["staff"])
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **_inline_management("role_grants", 2, 1),
        "role_grants-0-id": str(person.role_grants.get().pk),
        "role_grants-0-user": str(person.pk),
        "role_grants-0-role": Role.CLIENT,
        "role_grants-1-user": str(person.pk),
        "role_grants-1-role": Role.COORDINATOR,
    }
    response = client.post(reverse("admin:accounts_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    assert RoleGrant.objects.filter(user=person, role=Role.COORDINATOR).exists()
    entry = AuditEntry.objects.filter(action="role.grant", object_id=str(person.pk)).last()
    assert entry.actor_id == demo["staff"].pk
    assert entry.data["role"] == "coordinator"
    assert entry.data["through"] == "admin"


def test_staff_revoke_a_token_through_the_audited_service_and_cannot_create_one(demo, client_as):
    token, _secret = api_token_create(user=demo["member"], name="script")
    client = client_as(demo["staff"])
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(
        action="api_token.revoke", object_id=str(token.pk), actor_id=demo["staff"].pk
    ).exists()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert ApiToken.objects.count() == 1
