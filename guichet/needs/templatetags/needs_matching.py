"""Numbers of the matching pages, in the active locale: shares as percentages, scores out of
100, plain numbers without needless decimals."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from guichet.needs.reasons import number as plain_number

register = template.Library()


@register.filter
def percent(value: Any, decimals: int = 0) -> str:
    """0.455 → "46 %" in French, "46%" in English; empty for None."""
    if value is None or value == "":
        return ""
    return _("%(number)s%%") % {"number": plain_number(float(value) * 100, int(decimals))}


@register.filter
def out_of_100(value: Any) -> str:
    """A score between 0 and 1, out of 100, as a whole number."""
    if value is None or value == "":
        return ""
    return plain_number(float(value) * 100, 0)


@register.filter
def number(value: Any, decimals: int = 1) -> str:
    if value is None or value == "":
        return ""
    return plain_number(value, int(decimals))
