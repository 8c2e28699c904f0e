"""A client's personal data in the guichet: exported, and erased without losing the request."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.needs.models import Request, RequestMessage
from guichet.needs.personal_data import ERASED_EMAIL, erase, export

pytestmark = pytest.mark.django_db


def test_a_client_exports_their_requests_and_messages(demo: Any) -> None:
    data = export(demo["client"])
    titles = [request["title"] for request in data["requests"]]
    assert "Formation des agents à LibreOffice" in titles
    (training,) = [
        r for r in data["requests"] if r["title"] == "Formation des agents à LibreOffice"
    ]
    assert training["contact_email"] == "client@demo.guichet.test"
    assert training["messages"][0]["from_client"] is True


def test_erasure_anonymises_the_contact_and_keeps_the_request(demo: Any) -> None:
    client = demo["client"]
    request = Request.objects.get(title="Formation des agents à LibreOffice")
    assert erase(client) >= 2
    request.refresh_from_db()
    assert request.contact_email == ERASED_EMAIL
    assert request.contact_name != "Martine Lefèvre"
    assert request.client_user is None
    assert not RequestMessage.objects.filter(request=request, body__contains="matin").exists()
    assert export(client)["requests"] == []
