"""Reads for editing organisations and the catalogue: places and software found by what people
type, an organisation's links with their evidence, the catalogue as coordinators see it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet

from guichet.network.domain.communes import search_keys
from guichet.network.domain.names import closest_names
from guichet.network.models import (
    Commune,
    Evidence,
    Membership,
    Organisation,
    Software,
    SoftwareLink,
)

# "Saint-Aubin (39)": how a commune is shown, and how it may be typed back.
_WITH_DEPARTMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<department>\d[0-9AB]\d?)\)$")
CANDIDATES = 10


def commune_name_filter(keys: Sequence[str], *, exact: bool = False) -> Q:
    """Communes whose search key is one of `keys` (from `search_keys`), or begins with one:
    prefix matches on the indexed key, so that the search stays cheap on 35,000 communes."""
    if exact:
        return Q(search_name__in=keys)
    found = Q()
    for key in keys:
        found |= Q(search_name__startswith=key)
    return found


def communes_for_place(text: str) -> list[Commune]:
    """The communes a person may mean by a city name or a postal code, the most populated
    first: the exact name when there is one, else names that begin with the text.

    "Lyon" is Lyon (not Lyons-la-Forêt); "Le Mans", "Mans" and "le-mans" are Le Mans;
    "st etienne" is Saint-Étienne; "Saint-Aubin" is a dozen communes; "Saint-Aubin (39)"
    or "39410" picks one out; "69003" is the commune with that postal code.
    """
    text = " ".join(text.split())
    if not text:
        return []
    communes = Commune.objects.select_related("department").order_by("-population", "name")
    match = _WITH_DEPARTMENT.match(text)
    if match:
        text = match["name"]
        communes = communes.filter(department__code=match["department"].upper())
    if text.isdigit():
        if len(text) == 5:
            found = communes.filter(postal_codes__contains=text)
            return [c for c in found[: CANDIDATES * 3] if text in c.postal_codes.split()][
                :CANDIDATES
            ]
        if len(text) < 2:
            return []
        return list(communes.filter(postal_codes__contains=text)[:CANDIDATES])
    keys = search_keys(text)
    if not keys:
        return []
    exact = list(communes.filter(commune_name_filter(keys, exact=True))[:CANDIDATES])
    return exact or list(communes.filter(commune_name_filter(keys))[:CANDIDATES])


def software_named(text: str) -> list[Software]:
    """Catalogue entries a person may mean by a name: the exact name (or slug) when there is
    one, else the names that contain the text. Merged entries are never offered."""
    text = " ".join(text.split())
    if not text:
        return []
    listed = Software.objects.filter(merged_into__isnull=True).order_by("name")
    exact = list(listed.filter(Q(name__iexact=text) | Q(slug=text)))
    return exact or list(listed.filter(name__icontains=text)[:CANDIDATES])


def software_suggestions(text: str) -> list[str]:
    """The catalogue names a person may have meant by a name it does not know ("Libre Office":
    LibreOffice). The oldest entry's spelling first, as `software_from_names` prefers it."""
    listed = Software.objects.filter(merged_into__isnull=True).order_by("pk")
    return closest_names(text, listed.values_list("name", flat=True))


def organisation_links_private(organisation: Organisation) -> list[SoftwareLink]:
    """An organisation's links for its own pages: software, evidence and who verified them."""
    return list(
        SoftwareLink.objects.filter(organisation=organisation)
        .select_related("software", "verified_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("software__name", "role")
    )


def organisation_people(organisation: Organisation) -> QuerySet[Membership]:
    """An organisation's people, managers first, by name."""
    return organisation.memberships.select_related("person").order_by(
        "-is_manager", "person__full_name", "pk"
    )


def software_for_coordination(text: str = "") -> QuerySet[Software]:
    """The catalogue as coordinators manage it: merged entries included, with how many links
    each has and what it was merged into."""
    found = Software.objects.select_related("merged_into", "component__sector").annotate(
        link_count=Count("links")
    )
    text = " ".join(text.split())
    if text:
        found = found.filter(Q(name__icontains=text) | Q(slug__icontains=text) | Q(sill_id=text))
    return found.order_by("name", "pk")
