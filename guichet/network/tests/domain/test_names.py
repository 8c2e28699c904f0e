import pytest

from guichet.network.domain.names import closest_names, name_key

CATALOGUE = ["LibreOffice", "LibreOffice (Collabora) online", "Nextcloud", "NextCloud", "GLPI",
             "Moodle", "Thunderbird", "7zip", "Éclipse"]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Libre Office", "LibreOffice"),
        ("libre-office", "LibreOffice"),
        ("LIBREOFFICE", "LibreOffice"),
        ("libre.office", "LibreOffice"),
        ("eclipse", "Éclipse"),
        ("7-Zip", "7zip"),
    ],
)
def test_a_name_typed_another_way_finds_the_catalogue_s_spelling(typed: str, meant: str) -> None:
    assert closest_names(typed, CATALOGUE)[0] == meant


def test_the_same_name_in_two_cases_is_offered_both_ways_once_each() -> None:
    assert closest_names("next cloud", [*CATALOGUE, "Nextcloud"]) == ["Nextcloud", "NextCloud"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Nextclod", "Nextcloud"), ("Moodl", "Moodle"), ("Thunderbrid", "Thunderbird")],
)
def test_a_misspelt_name_finds_the_closest(typed: str, meant: str) -> None:
    assert closest_names(typed, CATALOGUE)[0] == meant


@pytest.mark.parametrize("typed", ["Libre", "Word", "", "  ", "---"])
def test_nothing_is_offered_for_a_name_far_from_all(typed: str) -> None:
    assert closest_names(typed, CATALOGUE) == []


def test_no_more_than_the_limit_is_offered() -> None:
    names = ["Alpha1", "Alpha2", "Alpha3", "Alpha4"]
    assert len(closest_names("Alpha", names, limit=2)) == 2


def test_the_key_drops_case_accents_spaces_and_punctuation() -> None:
    assert name_key("  Libre-Office Écrit ") == "libreofficeecrit"
