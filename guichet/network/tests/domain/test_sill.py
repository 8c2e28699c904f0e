import pytest

from guichet.network.domain.sill import merge_sill, sector_name

REFERENCE = [
    {"ID": "1", "nom": "7zip", "fonction": "Compression", "wikidata": "Q215051",
     "comptoir-du-libre": "72", "licence": "LGPL-2.0-only"},
    {"ID": "2", "nom": "Acceleo", "fonction": "Génération de code", "wikidata": "",
     "comptoir-du-libre": "", "licence": "EPL-2.0"},
    {"ID": "", "nom": "Sans identifiant"},
    {"ID": "3", "nom": ""},
    {"ID": "1", "nom": "7zip again"},
]  # fmt: skip
ENRICHED = [
    {"id": "1", "fr-desc": "Archivage", "en-desc": "File archiver", "website": "https://7-zip.org/",
     "sources": "https://sourceforge.net/projects/sevenzip/", "se": "Données et contenu",
     "c": "Compression décompression", "co": "72", "l": "LGPL-2.0-only"},
]  # fmt: skip
OLDER = [{"ID": "2", "secteur": "Conception & développement", "composant": "IDE"}]


def test_the_reference_list_is_completed_by_the_enriched_snapshot():
    records, _ = merge_sill(REFERENCE, ENRICHED, OLDER)
    seven_zip = records[0]
    assert seven_zip.name == "7zip"
    assert seven_zip.wikidata_id == "Q215051"
    assert seven_zip.comptoir_id == "72"
    assert seven_zip.description_en == "File archiver"
    assert seven_zip.repository_url == "https://sourceforge.net/projects/sevenzip/"
    assert (seven_zip.sector, seven_zip.component) == (
        "Données et contenu",
        "Compression décompression",
    )


def test_the_older_snapshot_fills_the_taxonomy_the_enriched_one_lacks():
    records, _ = merge_sill(REFERENCE, ENRICHED, OLDER)
    acceleo = records[1]
    assert (acceleo.sector, acceleo.component) == ("Conception et développement", "IDE")
    assert acceleo.wikidata_id == ""


def test_rows_without_id_or_name_and_duplicates_are_skipped_with_a_reason():
    records, skipped = merge_sill(REFERENCE, ENRICHED, OLDER)
    assert [r.sill_id for r in records] == ["1", "2"]
    assert [(s.sill_id, s.reason) for s in skipped] == [
        ("?", "no numeric SILL id"),
        ("3", "no name"),
        ("1", "duplicate SILL id"),
    ]


def test_a_value_that_is_not_a_web_address_is_not_kept_as_one():
    records, _ = merge_sill(
        [{"ID": "9", "nom": "X"}], [{"id": "9", "website": "javascript:alert(1)", "sources": "n/a"}]
    )
    assert records[0].website == ""
    assert records[0].repository_url == ""


@pytest.mark.parametrize(
    "raw",
    [
        "Conception & Développement",
        "Conception & développement",
        "Conception et développement",
        "  conception   ET  Développement ",
    ],
)
def test_the_spellings_of_one_sector_become_one(raw: str) -> None:
    assert sector_name(raw) == "Conception et développement"


def test_a_sector_keeps_its_accents_and_takes_sentence_case() -> None:
    assert sector_name("Intégration & Échanges") == "Intégration et échanges"
    assert sector_name("Logiciel Système et Virtualisation") == "Logiciel système et virtualisation"
    assert sector_name("") == ""


def test_the_import_gives_one_sector_whatever_the_snapshot_wrote() -> None:
    records, _ = merge_sill(
        [{"ID": "1", "nom": "A"}, {"ID": "2", "nom": "B"}, {"ID": "3", "nom": "C"}],
        [
            {"id": "1", "se": "Conception & Développement"},
            {"id": "2", "se": "Conception & développement"},
        ],
        [{"ID": "3", "secteur": "Conception et développement"}],
    )
    assert {record.sector for record in records} == {"Conception et développement"}
