"""The public directory, profiles, catalogue, charter and open data, on the demo network."""

import csv
import io
import json

import pytest
from django.urls import reverse
from odfdo import Document

from guichet.network.models import Charter, Commune, Department, Organisation, Software
from guichet.network.selectors import DirectoryQuery, organisations_search

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("network:directory")
SEARCH_FORM = '<form method="get" class="search"'


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


# Searching around a place: full names, every commune located, and searches that find nothing.


def distances(response):
    return {org.name: org.distance for org in response.context["page"].object_list}


@pytest.mark.parametrize("typed", ["Le Mans", "le mans", "Mans", "72000"])
def test_a_search_around_le_mans_lists_the_members_there_with_their_distance(client, demo, typed):
    response = client.get(DIRECTORY, {"near": typed, "radius": 10})

    assert response.status_code == 200
    found = distances(response)
    assert list(found) == ["Sarthe Logiciels Libres"]
    assert found["Sarthe Logiciels Libres"] < 1
    page = response.content.decode()
    assert "Le Mans (72)" in page
    assert "Mans, dans un rayon" not in page.replace("Le Mans, dans un rayon", "")


def test_a_search_around_paris_keeps_to_its_radius(client, demo):
    response = client.get(DIRECTORY, {"near": "Paris", "radius": 10})

    found = distances(response)
    # Identités Libres is in Paris, the Montreuil workshop 8 km from its centre; Versailles
    # (17 km) and the rest of the country are beyond 10 km.
    assert set(found) == {"Identités Libres", "Atelier Web de Montreuil"}
    assert all(distance <= 10 for distance in found.values())
    assert found["Identités Libres"] < 3
    wider = distances(client.get(DIRECTORY, {"near": "Paris", "radius": 25}))
    assert "Yvelines Données Ouvertes" in wider
    assert len(wider) < Organisation.objects.filter(is_member=True).count()


def test_a_search_around_st_etienne_finds_saint_etienne(client, demo):
    response = client.get(DIRECTORY, {"near": "st etienne", "radius": 10})
    assert list(distances(response)) == ["Participation Ouverte"]


@pytest.fixture
def nowhere(demo):
    """A commune whose place the reference does not know."""
    return Commune.objects.create(
        insee_code="99990",
        name="Nulle-Part",
        search_name="nulle part",
        department=Department.objects.get(code="69"),
        postal_codes="99990",
        population=10,
    )


def test_a_search_around_a_place_without_coordinates_says_it_cannot_rather_than_list_all(
    client, demo, nowhere
):
    response = client.get(DIRECTORY, {"near": "Nulle-Part", "radius": 10})

    assert response.status_code == 400
    page = response.content.decode()
    assert "nous ne pouvons donc pas chercher autour" in page
    assert "page" not in response.context
    assert response.context["form"]["near"].value() == "Nulle-Part"


def test_the_directory_search_never_drops_a_place_it_cannot_locate(demo, nowhere):
    assert list(organisations_search(DirectoryQuery(near=nowhere, radius_km=200))) == []


def test_a_search_that_finds_nothing_says_so_repeats_it_and_offers_wider_searches(client, demo):
    response = client.get(
        DIRECTORY, {"software": "Nextcloud", "role": ["host"], "near": "Le Mans", "radius": 10}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Aucune organisation membre ne correspond à cette recherche." in page
    criteria = dict(response.context["criteria"])
    assert criteria["Logiciel"] == "Nextcloud"
    assert criteria["Rôle sur le logiciel"] == "Hébergeur"
    assert criteria["Près de"] == "Le Mans (72), dans un rayon de 10\u00a0km"
    links = {item["widening"].drop: item["url"] for item in response.context["widenings"]}
    assert set(links) == {"radius", "roles"}
    # The nearest Nextcloud host is in Rennes, about 150 km away: the wider search says 200.
    assert "radius=200" in links["radius"]
    assert "role=" not in links["roles"]
    assert "radius=10" in links["roles"]
    for url in links.values():
        assert f'href="{url.replace("&", "&amp;")}"' in page
        assert client.get(DIRECTORY + url).context["page"].object_list


def test_a_search_nothing_widens_says_what_else_to_do(client, demo):
    response = client.get(DIRECTORY, {"software": "GLPI", "near": "Le Mans", "radius": 200})

    page = response.content.decode()
    assert "Aucune organisation membre ne correspond à cette recherche." in page
    links = {item["widening"].drop: item["url"] for item in response.context["widenings"]}
    assert set(links) == {"near"}  # GLPI is known, only farther away
    assert "near=" not in links["near"]


def test_the_result_count_and_a_link_to_the_results_come_before_the_form(client, demo):
    page = client.get(DIRECTORY, {"near": "Paris", "radius": 10}).content.decode()

    jump, form = page.index('href="#results-title"'), page.index(SEARCH_FORM)
    assert jump < form
    assert "2 organisations trouvées" in page[jump:form]
    assert 'id="results-title"' in page
    empty = client.get(DIRECTORY, {"software": "GLPI", "near": "Le Mans", "radius": 10})
    head = empty.content.decode().split(SEARCH_FORM)[0]
    assert "Aucune organisation trouvée" in head
    assert 'href="#results-title"' not in client.get(DIRECTORY).content.decode()


def test_a_profile_shows_the_full_name_of_its_place(client, demo):
    response = client.get(reverse("network:organisation", args=["sarthe-logiciels-libres"]))
    assert "Le Mans, Sarthe" in response.content.decode()
