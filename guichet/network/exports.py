"""Open data: the directory and the catalogue as CSV, JSON and ODS, with their licence.

No personal data: organisations are listed without their people.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from odfdo import Document, Table

from guichet.network.models import Organisation, SoftwareLink
from guichet.network.selectors import software_listed

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab-2.0)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
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
    meta = {
        "dataset": dataset,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    if source:
        meta["source"] = source
    return meta


def as_csv(dataset: str, base_url: str) -> str:
    columns, rows, _ = DATASETS[dataset]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(base_url))
    return out.getvalue()


def as_json(dataset: str, base_url: str) -> str:
    _, rows, _ = DATASETS[dataset]
    return json.dumps(
        {**metadata(dataset), "data": list(rows(base_url))}, ensure_ascii=False, indent=1
    )


def as_ods(dataset: str, base_url: str) -> bytes:
    columns, rows, _ = DATASETS[dataset]
    document = Document("spreadsheet")
    document.body.clear()
    table = Table(dataset)
    table.set_values([columns] + [[row[c] for c in columns] for row in rows(base_url)])
    document.body.append(table)
    licence = Table("licence")
    licence.set_values([[key, value] for key, value in metadata(dataset).items()])
    document.body.append(licence)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
