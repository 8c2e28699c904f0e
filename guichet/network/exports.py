"""Open data: the directory and the catalogue as CSV, JSON and ODS, with their licence.

No personal data: organisations are listed without their people.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from guichet.core.opendata import LICENCE, LICENCE_URL, csv_text, licence_metadata, ods_bytes
from guichet.network.models import Organisation, SoftwareLink
from guichet.network.selectors import software_listed

# The licence is the same for every open data file (core/opendata.py); views read it here.
__all__ = ["DATASETS", "LICENCE", "LICENCE_URL", "as_csv", "as_json", "as_ods", "metadata"]

SILL_SOURCE = "SILL (Socle interministériel de logiciels libres), DINUM — Licence Ouverte 2.0"

ORGANISATION_COLUMNS = [
    "slug",
    "name",
    "kind",
    "siren",
    "insee_code",
    "city",
    "department",
    "region",
    "website",
    "size",
    "capacity_days_per_month",
    "software",
    "profile_url",
]
SOFTWARE_COLUMNS = [
    "slug",
    "name",
    "function",
    "licence",
    "website",
    "repository_url",
    "sector",
    "component",
    "sill_id",
    "wikidata_id",
    "comptoir_du_libre_id",
    "members_knowing_it",
    "page_url",
]


def organisation_rows(base_url: str) -> Iterator[dict[str, Any]]:
    links = SoftwareLink.objects.select_related("software").order_by("software__name", "role")
    organisations = (
        Organisation.objects.filter(is_member=True)
        .select_related("commune__department__region")
        .prefetch_related(Prefetch("software_links", queryset=links))
        .order_by("name")
    )
    for org in organisations.iterator(chunk_size=500):
        commune = org.commune
        yield {
            "slug": org.slug,
            "name": org.name,
            "kind": org.kind,
            "siren": org.siren or "",
            "insee_code": commune.insee_code if commune else "",
            "city": commune.name if commune else "",
            "department": commune.department.code if commune else "",
            "region": commune.department.region.name if commune else "",
            "website": org.website,
            "size": org.size,
            "capacity_days_per_month": org.capacity_days,
            "software": "; ".join(
                f"{link.software.name} ({link.role})" for link in org.software_links.all()
            ),
            "profile_url": base_url + reverse("network:organisation", args=[org.slug]),
        }


def software_rows(base_url: str) -> Iterator[dict[str, Any]]:
    for software in software_listed().order_by("name").iterator(chunk_size=500):
        component = software.component
        yield {
            "slug": software.slug,
            "name": software.name,
            "function": software.function,
            "licence": software.licence,
            "website": software.website,
            "repository_url": software.repository_url,
            "sector": component.sector.name if component else "",
            "component": component.name if component else "",
            "sill_id": software.sill_id or "",
            "wikidata_id": software.wikidata_id,
            "comptoir_du_libre_id": software.comptoir_id,
            "members_knowing_it": software.known_by,  # type: ignore[attr-defined]  # annotated
            "page_url": base_url + reverse("network:software", args=[software.slug]),
        }


DATASETS = {
    "organisations": (ORGANISATION_COLUMNS, organisation_rows, ""),
    "software": (SOFTWARE_COLUMNS, software_rows, SILL_SOURCE),
}


def metadata(dataset: str) -> dict[str, str]:
    _, _, source = DATASETS[dataset]
    return licence_metadata(dataset, source=source)


def as_csv(dataset: str, base_url: str) -> str:
    columns, rows, _ = DATASETS[dataset]
    return csv_text(columns, rows(base_url))


def as_json(dataset: str, base_url: str) -> str:
    _, rows, _ = DATASETS[dataset]
    return json.dumps(
        {**metadata(dataset), "data": list(rows(base_url))}, ensure_ascii=False, indent=1
    )


def as_ods(dataset: str, base_url: str) -> bytes:
    columns, rows, _ = DATASETS[dataset]
    return ods_bytes(dataset, columns, rows(base_url), metadata(dataset))
