"""Form fields other apps reuse: a city typed by name or postal code, resolved offline; the
catalogue's names offered for a software name it does not know."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.network.models import Commune
from guichet.network.selectors_profile import communes_for_place, software_suggestions

# How many namesakes an error message lists, to be typed back as "Name (department)".
LISTED_NAMESAKES = 6


class CommuneField(forms.CharField):
    """A French commune, typed as a name ("Lyon"), a name and its department
    ("Saint-Aubin (39)") or a postal code ("69003"). Cleans to a Commune, or None when empty
    and not required.

    Without JavaScript there is no list to pick from: when several communes match, the error
    names them as they may be typed back.
    """

    default_error_messages = {
        "unknown_city": _(
            "We do not know the city “%(city)s”. Check its spelling or give its postal code."
        ),
        "several_cities": _(
            "Several cities match “%(city)s”: type its department too, e.g. %(examples)s, "
            "or give its postal code."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", _("A city name or a postal code, e.g. Lyon or 69003."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Commune | None:
        text = super().clean(value)
        text = " ".join(str(text or "").split())
        if not text:
            return None
        found = communes_for_place(text)
        if not found:
            raise forms.ValidationError(
                self.error_messages["unknown_city"], code="unknown_city", params={"city": text}
            )
        if len(found) > 1:
            examples = ", ".join(f"“{commune}”" for commune in found[:LISTED_NAMESAKES])
            raise forms.ValidationError(
                self.error_messages["several_cities"],
                code="several_cities",
                params={"city": text, "examples": examples},
            )
        return found[0]


def did_you_mean(text: str) -> str:
    """“Did you mean “LibreOffice”?” for a software name the catalogue does not know, in the
    active language; empty when no catalogue name is close to it."""
    names = software_suggestions(text)
    if not names:
        return ""
    quoted = [gettext("“%(name)s”") % {"name": name} for name in names]
    return gettext("Did you mean %(names)s?") % {"names": get_text_list(quoted, gettext("or"))}
