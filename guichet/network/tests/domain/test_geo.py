import pytest

from guichet.network.domain.geo import Point, bounding_box, distance_km

LYON = Point(45.7578, 4.8320)
PARIS = Point(48.8566, 2.3522)
VILLEURBANNE = Point(45.7665, 4.8795)


def test_paris_to_lyon_is_about_392_km_as_the_crow_flies():
    assert distance_km(PARIS, LYON) == pytest.approx(392, abs=3)


def test_distance_is_symmetric_and_zero_to_itself():
    assert distance_km(LYON, PARIS) == pytest.approx(distance_km(PARIS, LYON))
    assert distance_km(LYON, LYON) == 0


def test_a_neighbouring_town_is_a_few_kilometres_away():
    assert 3 < distance_km(LYON, VILLEURBANNE) < 5


def test_the_bounding_box_contains_every_point_within_the_radius():
    min_lat, max_lat, min_lon, max_lon = bounding_box(LYON, 50)
    assert min_lat < VILLEURBANNE.latitude < max_lat
    assert min_lon < VILLEURBANNE.longitude < max_lon
    assert not (min_lat < PARIS.latitude < max_lat)
