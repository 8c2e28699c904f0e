import pytest

from guichet.network.domain.identifiers import IdentifierError, validate_siren, validate_siret


@pytest.mark.parametrize(
    "raw",
    ["732829320", "732 829 320", "356000000", "552 100 554"],
)
def test_a_real_siren_is_accepted_whatever_its_spacing(raw):
    assert validate_siren(raw) == raw.replace(" ", "")


@pytest.mark.parametrize(("raw", "code"), [
    ("732829321", "siren_checksum"),
    ("73282932", "siren_format"),
    ("73282932A", "siren_format"),
    ("", "siren_format"),
])  # fmt: skip
def test_a_malformed_siren_is_refused_and_says_why(raw, code):
    with pytest.raises(IdentifierError) as error:
        validate_siren(raw)
    assert error.value.code == code


def test_a_real_siret_is_accepted():
    assert validate_siret("732 829 320 00074") == "73282932000074"


def test_a_siret_with_a_wrong_check_digit_is_refused():
    with pytest.raises(IdentifierError) as error:
        validate_siret("73282932000075")
    assert error.value.code == "siret_checksum"


def test_la_poste_establishments_follow_their_own_rule():
    # La Poste's SIRETs sum to a multiple of 5 and need not pass Luhn.
    assert validate_siret("35600000000010") == "35600000000010"
    with pytest.raises(IdentifierError):
        validate_siret("35600000000011")
