"""The public directory, profiles, catalogue, charter and open data, on the demo network."""

import csv
import io
import json

import pytest
from django.urls import reverse
from odfdo import Document

from guichet.network.models import Charter, Organisation, Software
from guichet.network.selectors import DirectoryQuery, organisations_search

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("network:directory")


def names(response):
    return [org.name for org in response.context["page"].object_list]


def test_who_edits_or_maintains_glpi_near_lyon_is_one_search_with_editors_first(client, demo):
    response = client.get(
        DIRECTORY,
        {"software": "GLPI", "role": ["editor", "maintainer"], "near": "Lyon", "radius": 100},
    )
    assert response.status_code == 200
    # Parc Ouvert edits GLPI in Grenoble (about 95 km); Libre et Local maintains it in Lyon.
    assert names(response) == ["Parc Ouvert", "Libre et Local"]


def test_a_smaller_radius_leaves_out_members_beyond_it(client, demo):
    response = client.get(DIRECTORY, {"software": "GLPI", "near": "Lyon", "radius": 50})
    found = names(response)
    assert "Libre et Local" in found
    assert "Rhône Logiciels Libres" in found  # Villeurbanne
    assert "Parc Ouvert" not in found


def test_sorting_by_distance_puts_the_nearest_first(client, demo):
    response = client.get(DIRECTORY, {"near": "69003", "radius": 200, "sort": "distance"})
    distances = [org.distance for org in response.context["page"].object_list]
    assert distances == sorted(distances)
    assert distances[0] < 5


def test_an_unknown_city_is_explained_in_french_and_the_search_is_kept(client, demo):
    response = client.get(DIRECTORY, {"software": "GLPI", "near": "Zzyzx-sur-Mer"})
    assert response.status_code == 400
    message = "Nous ne connaissons pas la ville «\u00a0Zzyzx-sur-Mer\u00a0»"
    assert message in response.content.decode()
    assert response.context["form"]["software"].value() == "GLPI"


def test_an_unknown_software_or_a_malformed_department_is_refused_with_a_message(client, demo):
    response = client.get(DIRECTORY, {"software": "Logiciel-qui-n-existe-pas"})
    assert response.status_code == 400
    assert "Aucun logiciel" in response.content.decode()
    response = client.get(DIRECTORY, {"department": "6x"})
    assert response.status_code == 400


def test_a_software_searched_under_another_spelling_gets_the_catalogue_s_one(client, demo):
    response = client.get(DIRECTORY, {"software": "Libre Office"})

    assert response.status_code == 400
    assert "Vouliez-vous dire «\u00a0LibreOffice\u00a0»\u00a0?" in response.content.decode()


def test_the_catalogue_search_offers_the_name_meant_when_nothing_matches(client, demo):
    response = client.get(reverse("network:software_list"), {"q": "Libre Office"})

    html = response.content.decode()
    assert "Aucun logiciel ne correspond" in html
    assert '<a href="?q=LibreOffice">LibreOffice</a>' in html


def test_the_directory_lists_only_admitted_members(client, demo):
    listed = set(organisations_search(DirectoryQuery()).values_list("slug", flat=True))
    assert "libre-et-local" in listed
    assert "numerique-solidaire-rennes" not in listed  # a candidate
    assert "ville-de-saint-aubin" not in listed  # a client
    assert listed == set(Organisation.objects.filter(is_member=True).values_list("slug", flat=True))


def test_filters_by_region_and_kind_combine(client, demo):
    response = client.get(DIRECTORY, {"region": "84", "kind": "cooperative"})
    organisations = response.context["page"].object_list
    assert organisations
    for org in organisations:
        assert org.kind == "cooperative"
        assert org.commune.department.region.code == "84"


def test_a_page_of_results_costs_the_same_queries_whatever_its_size(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(DIRECTORY, {"near": "Paris", "radius": 200, "role": ["integrator"]})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(DIRECTORY)


def test_later_pages_keep_the_search(client, demo):
    response = client.get(DIRECTORY, {"kind": "company"})
    if response.context["page"].has_next():
        assert "kind=company&amp;page=2" in response.content.decode()
    response = client.get(DIRECTORY, {"page": 999})
    assert response.status_code == 200  # an out-of-range page shows the last one


def test_a_member_profile_shows_its_software_roles_and_evidence(client, demo):
    response = client.get(reverse("network:organisation", args=["parc-ouvert-placeholder"]))
    assert response.status_code == 404
    slug = Organisation.objects.get(name="Parc Ouvert").slug
    response = client.get(reverse("network:organisation", args=[slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "GLPI" in page
    assert "Éditeur" in page
    assert "version 1" in page


def test_a_client_or_a_candidate_has_no_public_profile(client, demo):
    for slug in ("ville-de-saint-aubin", "numerique-solidaire-rennes"):
        assert client.get(reverse("network:organisation", args=[slug])).status_code == 404


def test_a_software_page_lists_editors_before_integrators(client, demo):
    response = client.get(reverse("network:software", args=["glpi"]))
    roles = [link.role for link in response.context["links"]]
    assert roles[0] == "editor"
    assert roles.index("maintainer") < roles.index("integrator")


def test_a_merged_software_leads_to_the_entry_that_replaced_it(client, demo):
    glpi = Software.objects.get(slug="glpi")
    duplicate = Software.objects.create(
        slug="glpi-doublon", name="GLPI (doublon)", merged_into=glpi
    )
    response = client.get(reverse("network:software", args=[duplicate.slug]))
    assert response.status_code == 301
    assert response["Location"].endswith(reverse("network:software", args=["glpi"]))
    listed = client.get(reverse("network:software_list"), {"q": "GLPI"})
    assert duplicate not in listed.context["page"].object_list


def test_the_catalogue_search_finds_by_name_and_filters_by_sector(client, demo):
    response = client.get(reverse("network:software_list"), {"q": "nextcloud"})
    assert [s.slug for s in response.context["page"].object_list] == ["nextcloud"]
    glpi = Software.objects.select_related("component__sector").get(slug="glpi")
    sector = glpi.component.sector.slug
    response = client.get(reverse("network:software_list"), {"secteur": sector})
    assert all(s.component.sector.slug == sector for s in response.context["page"].object_list)


def test_the_charter_shows_its_values_and_who_signed(client, demo):
    response = client.get(reverse("network:charter"))
    page = response.content.decode()
    assert "Rendre aux communs" in page
    assert "Libre et Local" in page
    english = client.get("/en" + reverse("network:charter")).content.decode()
    assert "Giving back to the commons" in english


def test_an_unpublished_charter_version_is_not_shown(client, demo):
    draft = Charter.objects.create(version=99)
    assert client.get(reverse("network:charter_version", args=[draft.version])).status_code == 404


def test_the_directory_exports_as_csv_without_personal_data(client, demo):
    response = client.get(reverse("network:export", args=["organisations", "csv"]))
    assert response.status_code == 200
    assert "license" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == Organisation.objects.filter(is_member=True).count()
    body = response.content.decode()
    for person in demo.values():
        assert person.email not in body
        assert not person.full_name or person.full_name not in body
    assert any("GLPI (editor)" in row["software"] for row in rows)


def test_the_exports_state_their_licence_in_json_and_ods(client, demo):
    data = json.loads(client.get(reverse("network:export", args=["software", "json"])).content)
    assert data["licence"].startswith("Licence Ouverte")
    assert "SILL" in data["source"]
    assert any(item["slug"] == "glpi" for item in data["data"])
    response = client.get(reverse("network:export", args=["organisations", "ods"]))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    document = Document(io.BytesIO(response.content))
    tables = document.body.get_tables()
    assert [t.name for t in tables] == ["organisations", "licence"]
    assert tables[0].get_values()[0][:2] == ["slug", "name"]


def test_an_unknown_export_is_not_found(client, demo):
    assert client.get(reverse("network:export", args=["people", "csv"])).status_code == 404
    assert client.get(reverse("network:export", args=["software", "xlsx"])).status_code == 404
