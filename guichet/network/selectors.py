"""Reads on the network: memberships, the public directory, the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ACos, Cos, Greatest, Least, Radians, Sin

from guichet.core.registries.datasets import latest_of
from guichet.network.domain.geo import EARTH_RADIUS_KM, Point, bounding_box
from guichet.network.models import (
    CharterSignature,
    Commune,
    Evidence,
    Membership,
    Organisation,
    Software,
    SoftwareLink,
)
from guichet.network.models.links import ROLE_ORDER
from guichet.network.services.charter import current_charter

SORTS = ("relevance", "name", "distance", "capacity")
RADII = (10, 25, 50, 100, 200)  # kilometres a directory search may reach around a place


def memberships_of(*, person: Any) -> QuerySet[Membership]:
    """A person's memberships with their organisation (one query)."""
    return Membership.objects.filter(person=person).select_related("organisation")


@dataclass(frozen=True)
class DirectoryQuery:
    """What a directory search asks; every field is optional."""

    text: str = ""
    software: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    region: str = ""
    department: str = ""
    kind: str = ""
    near: Commune | None = None
    radius_km: int = 50
    sort: str = "relevance"


def _role_rank() -> Case:
    return Case(
        *[
            When(software_links__role=role, then=Value(rank))
            for rank, role in enumerate(ROLE_ORDER)
        ],
        output_field=IntegerField(),
    )


def _distance(centre: Point) -> Any:
    """Great-circle distance in SQL (spherical law of cosines), clamped for rounding errors."""
    lat, lon = Radians(F("commune__latitude")), Radians(F("commune__longitude"))
    lat0, lon0 = Value(centre.latitude), Value(centre.longitude)
    cosine = Cos(Radians(lat0)) * Cos(lat) * Cos(lon - Radians(lon0)) + Sin(Radians(lat0)) * Sin(
        lat
    )
    return Value(EARTH_RADIUS_KM) * ACos(Least(Greatest(cosine, Value(-1.0)), Value(1.0)))


def organisations_search(query: DirectoryQuery) -> QuerySet[Organisation]:
    """The member organisations matching a directory search, ordered as asked.

    Fetches each result's commune, department and region, and the links on the searched
    software (editors first), so listing a page costs a fixed number of queries.
    """
    found = Organisation.objects.filter(is_member=True).select_related(
        "commune__department__region"
    )
    if query.kind:
        found = found.filter(kind=query.kind)
    if query.region:
        found = found.filter(commune__department__region__code=query.region)
    if query.department:
        found = found.filter(commune__department__code=query.department.upper())
    if query.text:
        found = _text_filter(found, query.text)
    links = SoftwareLink.objects.select_related("software").order_by("software__name")
    if query.software or query.roles:
        matching = Q()
        if query.software:
            matching &= Q(software_links__software__in=query.software)
        if query.roles:
            matching &= Q(software_links__role__in=query.roles)
        found = found.filter(matching).annotate(best_role=Min(_role_rank(), filter=matching))
        links = links.filter(
            **({"software__in": query.software} if query.software else {}),
            **({"role__in": query.roles} if query.roles else {}),
        )
    else:
        found = found.annotate(best_role=Value(len(ROLE_ORDER)))
    if query.near is not None:
        if query.near.latitude is None or query.near.longitude is None:
            return found.none()  # never "around" a place we cannot locate: not the country
        centre = Point(query.near.latitude, query.near.longitude)
        min_lat, max_lat, min_lon, max_lon = bounding_box(centre, query.radius_km)
        found = found.filter(
            commune__latitude__range=(min_lat, max_lat),
            commune__longitude__range=(min_lon, max_lon),
        ).annotate(distance=_distance(centre))
        found = found.filter(distance__lte=query.radius_km)
    else:
        found = found.annotate(distance=Value(None, output_field=FloatField()))
    current = current_charter()
    found = found.annotate(
        signed_current=Exists(
            CharterSignature.objects.filter(organisation=OuterRef("pk"), charter=current)
        )
    )
    order = {
        "name": ["name"],
        "capacity": ["-capacity_days", "name"],
        "distance": ["distance", "name"] if query.near else ["name"],
        "relevance": ["best_role", "distance", "name"] if query.near else ["best_role", "name"],
    }[query.sort if query.sort in SORTS else "relevance"]
    return found.order_by(*order).prefetch_related(
        Prefetch("software_links", queryset=links, to_attr="shown_links")
    )


@dataclass(frozen=True)
class Widening:
    """A way out of a search that found nothing, and how many members it would list."""

    drop: str  # "radius" (wider), "roles" or "near": what the wider search lets go of
    count: int
    radius_km: int | None = None


def directory_widenings(query: DirectoryQuery) -> list[Widening]:
    """For a search that found nothing: the smallest wider radius that finds someone (or,
    when none does, the search without the place), and the search without its roles.
    One count query per search tried."""
    widenings = []
    if query.near is not None and query.near.latitude is not None:
        for radius in (r for r in RADII if r > query.radius_km):
            count = organisations_search(replace(query, radius_km=radius)).count()
            if count:
                widenings.append(Widening("radius", count, radius))
                break
        else:
            count = organisations_search(replace(query, near=None)).count()
            if count:
                widenings.append(Widening("near", count))
    if query.roles:
        count = organisations_search(replace(query, roles=())).count()
        if count:
            widenings.append(Widening("roles", count))
    return widenings


def _text_filter(found: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """French full-text search on PostgreSQL; a plain substring search elsewhere."""
    if connection.vendor == "postgresql":
        vector = SearchVector("name", weight="A", config="french") + SearchVector(
            "description", weight="B", config="french"
        )
        return found.annotate(search=vector).filter(
            Q(search=SearchQuery(text, config="french", search_type="websearch"))
            | Q(name__icontains=text)
        )
    return found.filter(Q(name__icontains=text) | Q(description__icontains=text))


def organisation_public(slug: str) -> Organisation:
    """A member organisation's public profile, with everything it shows prefetched."""
    links = SoftwareLink.objects.select_related("software").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("kind", "url"))
    )
    return (
        Organisation.objects.filter(is_member=True)
        .select_related("commune__department__region")
        .prefetch_related(
            "certifications",
            "other_networks",
            Prefetch("software_links", queryset=links.order_by("software__name")),
            Prefetch(
                "charter_signatures",
                queryset=CharterSignature.objects.select_related("charter").order_by(
                    "-charter__version"
                ),
            ),
        )
        .get(slug=slug)
    )


def software_listed() -> QuerySet[Software]:
    """The catalogue as listed: merged entries hidden, with how many members know each."""
    return (
        Software.objects.filter(merged_into__isnull=True)
        .select_related("component__sector")
        .annotate(
            known_by=Count(
                "links__organisation",
                filter=Q(links__organisation__is_member=True),
                distinct=True,
            )
        )
    )


def software_links_public(software: Software) -> list[SoftwareLink]:
    """Who knows a software, editors first, with their evidence and place."""
    rank = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)],
        output_field=IntegerField(),
    )
    return list(
        SoftwareLink.objects.filter(software=software, organisation__is_member=True)
        .select_related("organisation__commune__department")
        .prefetch_related("evidence")
        .annotate(rank=rank)
        .order_by("rank", "organisation__name")
    )


# Open data: when each dataset's rows last changed (core/registries/datasets.py).


def organisations_updated() -> datetime | None:
    """The latest change to a member's profile or to its software, admissions and
    exclusions included (an excluded member was admitted once), in one query."""
    found = Organisation.objects.filter(Q(is_member=True) | Q(admitted_at__isnull=False)).aggregate(
        profile=Max("updated_at"), links=Max("software_links__updated_at")
    )
    return latest_of(found["profile"], found["links"])


def software_updated() -> datetime | None:
    """The latest change to a catalogue entry, or to who knows it, in one query."""
    found = Software.objects.aggregate(entry=Max("updated_at"), links=Max("links__updated_at"))
    return latest_of(found["entry"], found["links"])
