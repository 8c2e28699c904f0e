"""Django validators wrapping the pure identifier rules, with translated messages."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from guichet.network.domain import identifiers

MESSAGES = {
    "siren_format": _("A SIREN has exactly 9 digits."),
    "siren_checksum": _("This SIREN is not valid: check its digits (its last one is a checksum)."),
    "siret_format": _("A SIRET has exactly 14 digits (the SIREN, then 5 digits)."),
    "siret_checksum": _("This SIRET is not valid: check its digits (its last one is a checksum)."),
}


def validate_siren(value: str) -> None:
    try:
        identifiers.validate_siren(value)
    except identifiers.IdentifierError as error:
        raise ValidationError(MESSAGES[error.code], code=error.code) from error


def validate_siret(value: str) -> None:
    try:
        identifiers.validate_siret(value)
    except identifiers.IdentifierError as error:
        raise ValidationError(MESSAGES[error.code], code=error.code) from error


WEB_URL_MESSAGE = _(
    "Give a web address that begins with http:// or https:// (other kinds of address, "
    "such as javascript: or ftp:, are refused)."
)


def validate_web_url(value: str) -> None:
    """A public web address: http or https only, so that every link opens in a browser."""
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in ("http", "https"):
        raise ValidationError(WEB_URL_MESSAGE, code="not_http")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise ValidationError(
            _("This web address is not valid: check it, e.g. https://example.org/project."),
            code="invalid_url",
        ) from error
