"""French company identifiers: SIREN (9 digits) and SIRET (SIREN + 5-digit establishment number).

Both end with a Luhn check digit. La Poste's establishments are the one documented
exception: their SIRET digits sum to a multiple of 5 instead.
"""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"


class IdentifierError(ValueError):
    """A malformed identifier; `code` says how, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalise(raw: str) -> str:
    """Digits only: people paste identifiers with spaces, dots or dashes."""
    return "".join(ch for ch in raw if not ch.isspace() and ch not in ".-")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum: doubling every second digit from the right, the sum ends in 0."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(raw: str) -> str:
    """The normalised SIREN, or IdentifierError("siren_format" | "siren_checksum")."""
    siren = normalise(raw)
    if len(siren) != 9 or not siren.isdigit():
        raise IdentifierError("siren_format")
    if not luhn_valid(siren):
        raise IdentifierError("siren_checksum")
    return siren


def validate_siret(raw: str) -> str:
    """The normalised SIRET, or IdentifierError("siret_format" | "siret_checksum")."""
    siret = normalise(raw)
    if len(siret) != 14 or not siret.isdigit():
        raise IdentifierError("siret_format")
    if siret.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in siret) % 5 != 0:
            raise IdentifierError("siret_checksum")
        return siret
    if not luhn_valid(siret):
        raise IdentifierError("siret_checksum")
    return siret
