"""The network's API: public reads of the directory and the catalogue, writes by token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import ORG_X, ORG_Y
from guichet.accounts.models import User
from guichet.accounts.services import api_token_create
from guichet.network.models import Evidence, Organisation, Software, SoftwareLink
from guichet.network.services.organisations import link_verify

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='Script')[1]}"}


def patch(client: Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.patch(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


def post(client: Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


def messages(response: Any, field: str) -> list[str]:
    return [e["msg"] for e in response.json()["detail"] if e["loc"][-1] == field]


def no_email_in(response: Any) -> bool:
    return "@" not in response.content.decode()


# The OpenAPI description.


def test_every_network_endpoint_is_in_the_openapi_document(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    assert set(paths[f"{API}/organisations"]) == {"get"}
    assert set(paths[f"{API}/organisations/{{slug}}"]) == {"get", "patch"}
    assert set(paths[f"{API}/organisations/{{slug}}/links"]) == {"post"}
    assert set(paths[f"{API}/organisations/{{slug}}/links/{{link_id}}"]) == {"delete"}
    assert set(paths[f"{API}/software"]) == {"get"}
    assert set(paths[f"{API}/software/{{slug}}"]) == {"get"}
    assert set(paths[f"{API}/links"]) == {"get"}
    assert set(paths[f"{API}/links/{{link_id}}/evidence"]) == {"post"}
    # Reads are public; writes say how to authenticate.
    assert "security" not in paths[f"{API}/organisations"]["get"]
    assert paths[f"{API}/organisations/{{slug}}"]["patch"]["security"]
    assert "422" in paths[f"{API}/organisations/{{slug}}"]["patch"]["responses"]


# Public reads.


def test_the_directory_lists_members_only(client, demo):
    response = client.get(f"{API}/organisations", {"page_size": 100})

    assert response.status_code == 200
    body = response.json()
    slugs = {item["slug"] for item in body["items"]}
    assert body["count"] == Organisation.objects.filter(is_member=True).count()
    assert ORG_X in slugs
    assert "ville-de-saint-aubin" not in slugs  # a client
    assert "studio-caennais" not in slugs  # a candidate
    assert no_email_in(response)


def test_the_directory_filters_as_the_page_does(client, demo):
    response = client.get(
        f"{API}/organisations",
        {"software": "GLPI", "role": ["editor", "maintainer"], "near": "Lyon", "radius": 100},
    )

    items = response.json()["items"]
    assert [item["name"] for item in items] == ["Parc Ouvert", "Libre et Local"]
    assert items[0]["roles"] == [{"software": {"slug": "glpi", "name": "GLPI"}, "role": "editor"}]
    assert items[1]["place"]["city"] == "Lyon"


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ("Le Mans", ["Sarthe Logiciels Libres"]),
        ("Paris", ["Identités Libres", "Atelier Web de Montreuil"]),
        ("Saint-Étienne", ["Participation Ouverte"]),
        ("st etienne", ["Participation Ouverte"]),
    ],
)
def test_the_directory_finds_a_place_by_its_full_name_and_keeps_to_the_radius(
    client, demo, near, expected
):
    response = client.get(f"{API}/organisations", {"near": near, "radius": 10, "sort": "distance"})

    assert response.status_code == 200, response.content
    assert [item["name"] for item in response.json()["items"]] == expected


def test_a_bad_filter_is_a_422_with_the_page_s_message(client, demo):
    response = client.get(
        f"{API}/organisations", {"near": "Zzyzx-sur-Mer"}, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 422
    assert "We do not know the city “Zzyzx-sur-Mer”" in messages(response, "near")[0]


def test_listing_organisations_costs_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/organisations", {"page_size": 50})
    assert len(response.json()["items"]) > 25


def test_an_organisation_comes_with_its_links_and_evidence(client, demo):
    response = client.get(f"{API}/organisations/{ORG_X}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Libre et Local"
    glpi = next(link for link in body["links"] if link["software"]["slug"] == "glpi")
    assert glpi["role"] == "maintainer"
    assert glpi["evidence"][0]["url"].startswith("https://")
    assert "capacity_days" not in body  # the public profile shows a band only
    assert body["availability"] == "40+"
    assert no_email_in(response)


def test_a_client_organisation_is_not_in_the_public_api(client, demo):
    assert client.get(f"{API}/organisations/ville-de-saint-aubin").status_code == 404
    assert client.get(f"{API}/organisations/no-such-org").status_code == 404


def test_the_catalogue_lists_software_with_how_many_members_know_each(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/software", {"q": "glpi"})

    glpi = next(item for item in response.json()["items"] if item["slug"] == "glpi")
    assert glpi["known_by"] == 4
    assert glpi["sill_id"]


def test_a_software_lists_who_knows_it_editors_first(client, demo):
    response = client.get(f"{API}/software/glpi")

    known = response.json()["known"]
    assert [k["role"] for k in known][:2] == ["editor", "maintainer"]
    assert known[0]["organisation"]["name"] == "Parc Ouvert"
    assert no_email_in(response)


def test_a_merged_software_answers_with_the_entry_that_replaced_it(client, demo):
    glpi = Software.objects.get(slug="glpi")
    Software.objects.create(slug="glpi-ancien", name="GLPI ancien", merged_into=glpi)

    response = client.get(f"{API}/software/glpi-ancien")

    assert response.json()["slug"] == "glpi"
    assert "glpi-ancien" not in {
        item["slug"] for item in client.get(f"{API}/software", {"q": "glpi"}).json()["items"]
    }


def test_links_are_filtered_and_cost_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/links", {"software": "glpi", "page_size": 50})

    items = response.json()["items"]
    assert {item["software"]["slug"] for item in items} == {"glpi"}
    assert items[0]["role"] == "editor"
    assert all(item["organisation"]["slug"] != "studio-caennais" for item in items)
    with django_assert_max_num_queries(4):
        client.get(f"{API}/links", {"page_size": 100})


def test_links_filter_on_verification(client, demo):
    verified = client.get(f"{API}/links", {"organisation": ORG_X, "verified": True}).json()
    unverified = client.get(f"{API}/links", {"organisation": ORG_X, "verified": False}).json()

    assert all(item["verified"] for item in verified["items"])
    assert not any(item["verified"] for item in unverified["items"])
    assert (
        verified["count"] + unverified["count"]
        == SoftwareLink.objects.filter(organisation__slug=ORG_X).count()
    )


# Writes: the profile.


def test_a_city_with_an_article_is_accepted_and_shown_whole(client, demo):
    response = patch(client, f"/organisations/{ORG_X}", {"city": "Le Mans"}, bearer(demo["member"]))

    assert response.status_code == 200, response.content
    assert response.json()["place"]["city"] == "Le Mans"
    assert Organisation.objects.get(slug=ORG_X).city == "Le Mans"


def test_a_manager_patches_their_profile_with_a_token(client, demo):
    response = patch(
        client,
        f"/organisations/{ORG_X}",
        {"description": "Par l'API.", "city": "69100", "capacity_days": 12},
        bearer(demo["member"]),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == "Par l'API."
    assert body["place"]["city"] == "Villeurbanne"
    assert body["capacity_days"] == 12
    organisation = Organisation.objects.get(slug=ORG_X)
    assert organisation.name == "Libre et Local"  # fields not sent stay as they were
    assert organisation.certifications.exists()


@pytest.mark.parametrize(
    ("login", "slug", "status"),
    [
        ("member", ORG_Y, 404),
        ("associate", ORG_X, 404),
        ("client", ORG_X, 404),
        ("coordinator", ORG_Y, 200),
    ],
)
def test_patching_is_for_managers_and_coordinators(client, demo, login, slug, status):
    response = patch(
        client, f"/organisations/{slug}", {"description": "Essai."}, bearer(demo[login])
    )

    assert response.status_code == status


def test_patching_without_credentials_is_a_401(client, demo):
    assert patch(client, f"/organisations/{ORG_X}", {"name": "X"}, {}).status_code == 401


def test_patching_with_bad_values_answers_422_with_a_message_per_field(client, demo):
    before = Organisation.objects.values().get(slug=ORG_X)

    response = patch(
        client,
        f"/organisations/{ORG_X}",
        {
            "name": "Atelier du Code Commun",
            "siren": "123456789",
            "capacity_days": 2001,
            "city": "Zzyzx-sur-Mer",
            "website": "javascript:alert(1)",
            "description": "Rien ne doit changer.",
        },
        {**bearer(demo["member"]), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert "already called" in messages(response, "name")[0]
    assert "check its digits" in messages(response, "siren")[0]
    assert "between 0 and 2000" in messages(response, "capacity_days")[0]
    assert "We do not know the city" in messages(response, "city")[0]
    assert "http:// or https://" in messages(response, "website")[0]
    assert Organisation.objects.values().get(slug=ORG_X) == before


def test_a_siret_that_does_not_match_the_siren_is_a_422(client, demo):
    response = patch(
        client,
        f"/organisations/{ORG_X}",
        {"siret": "73282932000074"},
        {**bearer(demo["member"]), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert "does not belong to the SIREN" in messages(response, "siret")[0]


def test_certifications_are_named_and_only_coordinators_add_new_ones(client, demo):
    refused = patch(
        client,
        f"/organisations/{ORG_X}",
        {"certifications": ["ISO 27001", "Label inventé"]},
        {**bearer(demo["member"]), "Accept-Language": "en"},
    )
    accepted = patch(
        client,
        f"/organisations/{ORG_X}",
        {"certifications": ["iso 27001", "Label inventé"]},
        bearer(demo["coordinator"]),
    )

    assert refused.status_code == 422
    assert "Label inventé" in messages(refused, "certifications")[0]
    assert accepted.status_code == 200
    assert sorted(accepted.json()["certifications"]) == ["ISO 27001", "Label inventé"]


# Writes: links and evidence.


def test_a_manager_declares_a_link_with_evidence(client, demo):
    response = post(
        client,
        f"/organisations/{ORG_X}/links",
        {
            "software": "PostgreSQL",
            "role": "contributor",
            "years_experience": 3,
            "evidence": [{"kind": "commits", "url": "https://example.org/commits"}],
        },
        bearer(demo["member"]),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["software"]["name"] == "PostgreSQL"
    assert body["evidence"][0]["url"] == "https://example.org/commits"
    assert body["verified"] is False


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"software": "Logiciel Imaginaire", "role": "editor"}, "software", "not in the catalogue"),
        ({"software": "PostgreSQL", "role": "boss"}, "role", "Choose a role"),
        (
            {
                "software": "PostgreSQL",
                "role": "editor",
                "evidence": [{"kind": "repository", "url": "javascript:alert(1)"}],
            },
            "evidence",
            "http:// or https://",
        ),
        (
            {
                "software": "PostgreSQL",
                "role": "editor",
                "evidence": [
                    {"kind": "repository", "url": "https://example.org/a"},
                    {"kind": "commits", "url": "https://example.org/a"},
                ],
            },
            "evidence",
            "given twice",
        ),
    ],
)
def test_a_bad_link_is_a_422(client, demo, body, field, message):
    response = post(
        client,
        f"/organisations/{ORG_X}/links",
        body,
        {**bearer(demo["member"]), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert message in " ".join(messages(response, field))
    assert not SoftwareLink.objects.filter(
        organisation__slug=ORG_X, software__name="PostgreSQL"
    ).exists()


def test_links_of_another_organisation_cannot_be_written(client, demo):
    theirs = SoftwareLink.objects.filter(organisation__slug=ORG_Y).first()
    headers = bearer(demo["member"])

    created = post(
        client, f"/organisations/{ORG_Y}/links", {"software": "GLPI", "role": "host"}, headers
    )
    deleted = client.delete(f"{API}/organisations/{ORG_Y}/links/{theirs.pk}", headers=headers)
    through_own = client.delete(f"{API}/organisations/{ORG_X}/links/{theirs.pk}", headers=headers)
    evidence = post(
        client,
        f"/links/{theirs.pk}/evidence",
        {"kind": "other", "url": "https://example.org/x"},
        headers,
    )

    assert created.status_code == deleted.status_code == through_own.status_code == 404
    assert evidence.status_code == 404
    assert SoftwareLink.objects.filter(pk=theirs.pk).exists()


def test_a_manager_deletes_a_link(client, demo):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X).first()

    response = client.delete(
        f"{API}/organisations/{ORG_X}/links/{link.pk}", headers=bearer(demo["member"])
    )

    assert response.status_code == 204
    assert not SoftwareLink.objects.filter(pk=link.pk).exists()


def test_adding_evidence_clears_the_verification(client, demo):
    link = SoftwareLink.objects.get(organisation__slug=ORG_X, software__slug="glpi")
    link_verify(link=link, by=demo["coordinator"])

    response = post(
        client,
        f"/links/{link.pk}/evidence",
        {"kind": "merge_requests", "url": "https://example.org/mr/12", "note": "Correctif"},
        bearer(demo["member"]),
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "merge_requests"
    link.refresh_from_db()
    assert not link.is_verified


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://example.org/file", "http:// or https://"), (None, "given twice")],
)
def test_bad_evidence_is_a_422(client, demo, url, message):
    link = SoftwareLink.objects.get(organisation__slug=ORG_X, software__slug="glpi")
    url = url or link.evidence.first().url

    response = post(
        client,
        f"/links/{link.pk}/evidence",
        {"kind": "other", "url": url},
        {**bearer(demo["member"]), "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert message in " ".join(messages(response, "url"))


def test_a_coordinator_writes_any_organisation_s_links(client, demo):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_Y).first()

    response = post(
        client,
        f"/links/{link.pk}/evidence",
        {"kind": "other", "url": "https://example.org/coordination"},
        bearer(demo["coordinator"]),
    )

    assert response.status_code == 201
    assert Evidence.objects.filter(link=link, url="https://example.org/coordination").exists()


def test_a_session_write_needs_the_csrf_token(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(pk=demo["member"].pk))

    response = client.patch(
        f"{API}/organisations/{ORG_X}",
        json.dumps({"description": "Sans jeton CSRF."}),
        content_type="application/json",
    )

    assert response.status_code in (401, 403)
