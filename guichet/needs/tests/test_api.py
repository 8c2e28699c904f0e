"""The guichet's API: a client submits a request and reads its status with its private token;
coordinators qualify, rank, shortlist, send and form consortia.

The demo is loaded (Lyon among its communes, GLPI and Nextcloud in its catalogue, a request
qualified into two lots). Emails leave once the transaction commits: the tests run the commit
callbacks.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from guichet.accounts.services import api_token_create
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.messages import error_message
from guichet.needs.models import Consortium, Request, RequestStatus, ShortlistEntry
from guichet.needs.services.consortia import consortium_member_update
from guichet.needs.services.links import follow_token
from guichet.needs.views.intake import RATE_LIMIT
from guichet.network.models import Commune

pytestmark = pytest.mark.django_db

API = "/api/v1"
BASE = "https://guichet.example.org"
CONFIRM_LINK = re.compile(re.escape(BASE) + r"(/(?:en/)?demande/confirmer/[^/\s]+/)")
TITLE = "Reprise de notre gestion de parc informatique"


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.GUICHET_BASE_URL = BASE


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='Script')[1]}"}


def post(client: Client, path: str, body: Any = None, **headers: str) -> Any:
    return client.post(
        API + path,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers=headers,
    )


def payload(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_name": "Commune de Test-sur-Rhône",
        "client_kind": "public_body",
        "contact_name": "Jeanne Martin",
        "contact_email": "dsi@test-sur-rhone.example",
        "title": TITLE,
        "description": "Trois cents postes à inventorier, et des techniciens à former.",
        "software": ["glpi", "Notre outil maison"],
        "services": ["integration", "training"],
        "city": "Lyon",
        "budget": "10k-40k",
    }
    body.update(changes)
    return body


def in_language(language: str, code: str) -> str:
    with translation.override(language):
        return error_message(code)


def messages_of(response: Any, field: str) -> list[str]:
    return [e["msg"] for e in response.json()["detail"] if e["loc"][-1] == field]


# The OpenAPI description.


def test_every_needs_endpoint_is_in_the_openapi_document(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    assert set(paths[f"{API}/requests"]) == {"post"}
    assert set(paths[f"{API}/requests/status"]) == {"get"}
    assert set(paths[f"{API}/coordination/requests"]) == {"get"}
    assert set(paths[f"{API}/coordination/requests/{{request_id}}"]) == {"get"}
    assert set(paths[f"{API}/coordination/requests/{{request_id}}/lots"]) == {"post"}
    assert set(paths[f"{API}/coordination/lots/{{lot_id}}/rank"]) == {"post"}
    assert set(paths[f"{API}/coordination/lots/{{lot_id}}/shortlist"]) == {"post"}
    assert set(paths[f"{API}/coordination/requests/{{request_id}}/send"]) == {"post"}
    assert set(paths[f"{API}/coordination/requests/{{request_id}}/consortium"]) == {
        "get",
        "post",
    }
    submit = paths[f"{API}/requests"]["post"]
    assert "security" not in submit
    assert "Documents" in submit["description"]
    assert "400" in submit["responses"]
    assert paths[f"{API}/coordination/requests"]["get"]["security"]


# The client's side.


def test_a_submitted_request_waits_unconfirmed_and_the_client_gets_the_link(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/requests", payload())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "unconfirmed"
    created = Request.objects.get(title=TITLE)
    assert body["reference"] == created.reference
    assert created.status == RequestStatus.UNCONFIRMED
    assert created.software_other == "Notre outil maison"
    assert [item.slug for item in created.software.all()] == ["glpi"]
    # The follow-up token is never answered: the client gets its links by email.
    assert "token" not in response.content.decode()
    assert follow_token(created) not in response.content.decode()
    (email,) = [m for m in mail.outbox if "dsi@test-sur-rhone.example" in m.to]
    assert CONFIRM_LINK.search(email.body)


def test_an_invalid_request_is_refused_in_french_by_default_and_in_english_on_demand(
    client: Client, demo: Any
) -> None:
    french = post(client, "/requests", payload(services=[], city=""))
    english = post(client, "/requests", payload(services=[]), **{"Accept-Language": "en"})

    assert french.status_code == english.status_code == 400
    assert messages_of(french, "services") == [in_language("fr", "no_service")]
    assert messages_of(french, "city")
    assert messages_of(english, "services") == [in_language("en", "no_service")]
    assert in_language("fr", "no_service") != in_language("en", "no_service")
    assert not Request.objects.filter(title=TITLE).exists()


def test_submissions_share_the_forms_limit_per_address(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(RATE_LIMIT):
            assert post(client, "/requests", payload()).status_code == 201
        refused = post(client, "/requests", payload())

    assert refused.status_code == 429
    assert Request.objects.filter(title=TITLE).count() == RATE_LIMIT


def test_the_status_is_read_with_the_follow_token(client: Client, demo: Any) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)

    response = client.get(
        f"{API}/requests/status", headers={"X-Follow-Token": follow_token(request)}
    )
    by_query = client.get(f"{API}/requests/status", {"token": follow_token(request)})

    assert response.status_code == by_query.status_code == 200
    body = response.json()
    assert body["reference"] == request.reference
    assert body["status"] == "qualified"
    assert [lot["number"] for lot in body["lots"]] == [1, 2]
    first = body["lots"][0]
    assert set(first) >= {"title", "person_days", "on_site", "place", "deadline", "shortlist"}
    assert Decimal(first["person_days"]) == request.lots.get(position=1).person_days
    assert first["shortlist"] == []  # nothing sent yet
    assert "@" not in response.content.decode()


def test_an_unknown_token_is_404_and_an_expired_one_410(client: Client, demo: Any) -> None:
    token = follow_token(Request.objects.get(title=QUALIFIED_TITLE))
    later = timezone.now() + timedelta(days=settings.GUICHET_REQUEST_LINK_DAYS, minutes=1)

    unknown = client.get(f"{API}/requests/status", {"token": "not-a-link"})
    with time_machine.travel(later, tick=False):
        expired = client.get(f"{API}/requests/status", {"token": token})

    assert unknown.status_code == 404
    assert expired.status_code == 410
    assert expired.json()["detail"] == in_language("fr", "link_expired")


# The coordinators' side.


def test_a_coordinator_qualifies_a_request_through_the_api(client: Client, demo: Any) -> None:
    request = Request.objects.filter(status=RequestStatus.SUBMITTED).order_by("pk")[0]
    headers = bearer(demo["coordinator"])

    refused = post(
        client,
        f"/coordination/requests/{request.pk}/lots",
        {"title": "Formation", "person_days": "2.3"},
        **headers,
    )
    created = post(
        client,
        f"/coordination/requests/{request.pk}/lots",
        {"title": "Formation des agents", "person_days": "12.5", "software": ["GLPI"]},
        **headers,
    )

    assert refused.status_code == 400
    assert messages_of(refused, "person_days")
    assert created.status_code == 201, created.content
    assert created.json()["person_days"] == "12.5"
    assert created.json()["software"] == ["GLPI"]
    request.refresh_from_db()
    assert request.status == RequestStatus.QUALIFIED
    detail = client.get(f"{API}/coordination/requests/{request.pk}", headers=headers)
    assert detail.status_code == 200
    assert [lot["title"] for lot in detail.json()["lots"]] == ["Formation des agents"]
    listed = client.get(f"{API}/coordination/requests", {"status": "qualified"}, headers=headers)
    assert request.pk in {item["id"] for item in listed.json()["items"]}


def test_rank_shortlist_send_and_consortium_through_the_api(client: Client, demo: Any) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    headers = bearer(demo["coordinator"])
    lots = list(request.lots.order_by("position"))

    for lot in lots:
        ranked = post(client, f"/coordination/lots/{lot.pk}/rank", **headers)
        assert ranked.status_code == 201, ranked.content
        ranking = ranked.json()
        assert ranking["run"]
        assert ranking["rules_version"] >= 1
        assert ranking["ranked"]
        for entry in ranking["ranked"]:
            components = entry["components"]
            assert {c["name"] for c in components} >= {"fit", "proximity"}
            weights = sum(c["weight"] for c in components)
            weighted = sum(c["value"] * c["weight"] for c in components) / weights
            assert entry["total"] == pytest.approx(weighted, abs=1e-6)
            assert all(c["reason"]["code"] and c["reason"]["sentence"] for c in components)
        shortlisted = post(
            client, f"/coordination/lots/{lot.pk}/shortlist", {"propose": 3}, **headers
        )
        assert shortlisted.status_code == 200, shortlisted.content
        assert 1 <= len(shortlisted.json()) <= 3

    sent = post(client, f"/coordination/requests/{request.pk}/send", **headers)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "shortlisted"

    status = client.get(f"{API}/requests/status", {"token": follow_token(request)}).json()
    proposed = status["lots"][0]["shortlist"]
    assert proposed
    assert proposed[0]["organisation"]
    assert proposed[0]["reasons"]

    proposed_consortium = post(client, f"/coordination/requests/{request.pk}/consortium", **headers)
    assert proposed_consortium.status_code == 201, proposed_consortium.content
    consortium = Consortium.objects.get(request=request)
    member = consortium.members.order_by("pk")[0]
    consortium_member_update(
        member=member,
        person_days=Decimal("12.5"),
        day_rate=Decimal("650.10"),
        by=demo["coordinator"],
    )

    read = client.get(f"{API}/coordination/requests/{request.pk}/consortium", headers=headers)
    assert read.status_code == 200
    body = read.json()
    members = {m["organisation"]: m for m in body["members"]}
    assert members[member.organisation_id]["person_days"] == "12.5"
    assert members[member.organisation_id]["day_rate"] == "650.10"
    assert members[member.organisation_id]["total"] == "8126.25"
    assert any(m["role"] == "lead" for m in body["members"])
    assert Decimal(body["total"]) == sum(Decimal(m["total"]) for m in body["members"])
    assert all(isinstance(m["total"], str) for m in body["members"])


def test_shortlisting_needs_a_ranking_and_a_ranked_member(client: Client, demo: Any) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    lot = request.lots.order_by("position")[0]
    lot.runs.all().delete()
    headers = bearer(demo["coordinator"])

    unranked = post(client, f"/coordination/lots/{lot.pk}/shortlist", {}, **headers)
    post(client, f"/coordination/lots/{lot.pk}/rank", **headers)
    stranger = post(
        client, f"/coordination/lots/{lot.pk}/shortlist", {"organisations": [999_999]}, **headers
    )

    assert unranked.status_code == stranger.status_code == 400
    assert stranger.json()["detail"][0]["msg"] == in_language("fr", "organisation_not_ranked")
    assert not ShortlistEntry.objects.filter(lot=lot).exists()


def test_an_on_site_lot_whose_place_is_unknown_is_refused_by_the_api(
    client: Client, demo: Any
) -> None:
    lot = Request.objects.get(title=QUALIFIED_TITLE).lots.get(position=1)
    assert lot.on_site
    department = (lot.commune or lot.request.commune).department
    lot.commune = Commune.objects.create(
        insee_code="99999", name="Sans-Coordonnées", department=department
    )
    lot.save()
    runs = lot.runs.count()
    refused = post(client, f"/coordination/lots/{lot.pk}/rank", **bearer(demo["coordinator"]))
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["msg"] == in_language("fr", "onsite_place_unknown")
    assert lot.runs.count() == runs


def test_only_coordinators_may_use_the_coordination_endpoints(client: Client, demo: Any) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    lot = request.lots.order_by("position")[0]
    member = bearer(demo["member"])

    assert client.get(f"{API}/coordination/requests", headers=member).status_code == 403
    assert client.get(f"{API}/coordination/requests").status_code == 401
    assert post(client, f"/coordination/lots/{lot.pk}/rank", **member).status_code == 403
    lots = post(client, f"/coordination/requests/{request.pk}/lots", {"title": "x"}, **member)
    assert lots.status_code == 403
    assert (
        post(client, f"/coordination/requests/{request.pk}/consortium", **member).status_code == 403
    )
    coordinator = bearer(demo["coordinator"])
    missing = client.get(f"{API}/coordination/requests/999999", headers=coordinator)
    assert missing.status_code == 404
