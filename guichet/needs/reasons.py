"""The matching engine's reasons in plain words, in the active language.

The engine (domain/matching.py) explains each component of a score, and each exclusion, with a
code and parameters; a recorded run keeps them as `{"code": …, "params": {…}}`. This module
turns them into a short sentence: "edits GLPI (verified)", "45 km away", "rated 4.6/5 on
7 missions". Numbers follow the active locale ("4,6" in French); plurals go through ngettext.

Clients read the reasons of the members proposed to them, but not the fair spread's figures:
how many days a member received lately comes from other clients' awards, and reads like a
track record. They get what the component does instead (`CLIENT`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.needs.domain.matching import Reason

if TYPE_CHECKING:  # django-stubs' name for a lazy string; a development dependency only
    from django_stubs_ext import StrPromise

# A component's name, as a column heading.
COMPONENT_LABELS: dict[str, StrPromise] = {
    "fit": gettext_lazy("Software fit"),
    "proximity": gettext_lazy("Proximity"),
    "capacity": gettext_lazy("Capacity"),
    "satisfaction": gettext_lazy("Client satisfaction"),
    "spread": gettext_lazy("Fair spread"),
}

# What an organisation does with a software, closest to the code first.
ROLE_PHRASES: dict[str, StrPromise] = {
    "editor": gettext_lazy("edits %(software)s"),
    "maintainer": gettext_lazy("maintains %(software)s"),
    "core_contributor": gettext_lazy("is a core contributor to %(software)s"),
    "contributor": gettext_lazy("contributes to %(software)s"),
    "integrator": gettext_lazy("integrates %(software)s"),
    "trainer": gettext_lazy("trains people on %(software)s"),
    "host": gettext_lazy("hosts %(software)s"),
}


def number(value: Any, decimals: int = 1) -> str:
    """A number in the active locale: whole numbers without decimals, others with `decimals`."""
    if value is None:
        return ""
    amount = round(float(value), decimals)
    if amount == int(amount):
        return number_format(int(amount), 0)
    return number_format(amount, decimals)


def plural_count(value: Any) -> int:
    """The count that chooses a plural form for a possibly fractional amount: 0.5 or 1.5 days
    are "days" in English, so a fraction counts as at least two."""
    amount = float(value or 0)
    return int(amount) if amount == int(amount) else max(2, math.ceil(amount))


def _parts(reason: Reason | Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    if isinstance(reason, Reason):
        return reason.code, reason.params
    return str(reason.get("code", "")), reason.get("params") or {}


def _unknown(code: str) -> str:
    return _("unexplained reason (%(code)s)") % {"code": code}


def component_label(name: str) -> str:
    label = COMPONENT_LABELS.get(name)
    return str(label) if label is not None else name


def link_sentence(link: Mapping[str, Any]) -> str:
    """One link of an organisation to a software, with how well it is proven."""
    phrase = ROLE_PHRASES.get(str(link.get("role", "")))
    software = str(link.get("software", ""))
    text = str(phrase) % {"software": software} if phrase is not None else software
    evidence = int(link.get("evidence") or 0)
    if link.get("verified"):
        proof = _("verified")
    elif evidence > 0:
        proof = ngettext(
            "%(count)s piece of evidence", "%(count)s pieces of evidence", evidence
        ) % {"count": number(evidence, 0)}
    else:
        proof = _("declared, not proven")
    return _("%(link)s (%(proof)s)") % {"link": text, "proof": proof}


# Who reads a sentence: the coordinators and the member itself see every figure; a client sees
# what the fair spread does, not what it measured.
COORDINATOR = "coordinator"
CLIENT = "client"


def _days(value: Any) -> str:
    return ngettext("%(count)s day", "%(count)s days", plural_count(value)) % {
        "count": number(value)
    }


def _capacity(params: Mapping[str, Any]) -> str:
    available, needed = params.get("available", 0), params.get("needed", 0)
    values = {"available": number(available), "needed": number(needed)}
    if params.get("committed"):
        return ngettext(
            "%(available)s free day a month out of %(capacity)s, %(committed)s committed to "
            "missions; %(needed)s needed",
            "%(available)s free days a month out of %(capacity)s, %(committed)s committed to "
            "missions; %(needed)s needed",
            plural_count(available),
        ) % {
            **values,
            "capacity": number(params.get("capacity")),
            "committed": number(params.get("committed")),
        }
    return (
        ngettext(
            "%(available)s free day a month for %(needed)s needed",
            "%(available)s free days a month for %(needed)s needed",
            plural_count(available),
        )
        % values
    )


def component_sentence(reason: Reason | Mapping[str, Any], audience: str = COORDINATOR) -> str:
    """Why a component is worth what it is, in one short sentence, for `audience`."""
    code, params = _parts(reason)
    if code == "recent_work" and audience == CLIENT:
        return _("favours members who received less work recently")
    if code == "links":
        return "; ".join(link_sentence(link) for link in params.get("links", []))
    if code == "no_link":
        return _("no known link to the lot's software")
    if code == "no_software":
        return _("the lot names no software: the same for everyone")
    if code == "distance":
        return _("%(km)s km away") % {"km": number(params.get("km"), 0)}
    if code == "distance_unknown":
        return _("distance unknown")
    if code == "remote":
        return _("distance does not count for remote work (the same for everyone)")
    if code == "capacity":
        return _capacity(params)
    if code == "rated":
        count = int(params.get("count") or 0)
        if params.get("on_software"):
            return ngettext(
                "rated %(mean)s/5 on %(count)s mission with this software",
                "rated %(mean)s/5 on %(count)s missions with this software",
                count,
            ) % {"mean": number(params.get("mean")), "count": number(count, 0)}
        return ngettext(
            "rated %(mean)s/5 on %(count)s mission",
            "rated %(mean)s/5 on %(count)s missions",
            count,
        ) % {"mean": number(params.get("mean")), "count": number(count, 0)}
    if code == "not_rated":
        return _("no mission rated yet")
    if code == "recent_work":
        window = int(params.get("window_days") or 0)
        period = ngettext("the last %(count)s day", "the last %(count)s days", window) % {
            "count": number(window, 0)
        }
        days = params.get("days") or 0
        if not float(days):
            return _("received no work in %(period)s") % {"period": period}
        return _("received %(days)s of work in %(period)s") % {
            "days": _days(days),
            "period": period,
        }
    return _unknown(code)


def exclusion_sentence(reason: Reason | Mapping[str, Any]) -> str:
    """Why an organisation cannot be proposed for the lot."""
    code, params = _parts(reason)
    if code == "beyond_radius":
        return _("beyond the %(radius)s km radius for on-site work (%(km)s km)") % {
            "radius": number(params.get("radius"), 0),
            "km": number(params.get("km"), 0),
        }
    if code == "client_organisation":
        return _("the client's own organisation")
    if code == "declined":
        return _("declined this lot")
    if code == "not_a_member":
        return _("not an admitted member")
    if code == "charter_not_signed":
        return _("has not signed the current charter")
    if code == "place_unknown":
        return _(
            "its place has no known coordinates: it cannot be placed within the radius for "
            "on-site work"
        )
    if code == "onsite_place_unknown":
        return _("the lot's place is unknown: on-site work cannot be ranked until it is given")
    return _unknown(code)
