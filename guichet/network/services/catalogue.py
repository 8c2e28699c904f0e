"""The software catalogue: importing the SILL, adding and merging entries."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from guichet.core.audit import audit_record
from guichet.network.domain.sill import SoftwareRecord, merge_sill
from guichet.network.models import Component, Sector, Software

SILL_FILES = {
    "reference": "sill-software-2022-02.csv",
    "enriched": "sill-2022-05.json",
    "taxonomy": "sill-2020.csv",
}


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def sill_directory() -> Path:
    return Path(settings.GUICHET_DATA_DIR) / "sill"


def _component(record: SoftwareRecord, cache: dict[tuple[str, str], Component]) -> Component | None:
    if not record.sector or not record.component:
        return None
    key = (record.sector, record.component)
    if key not in cache:
        sector, _ = Sector.objects.get_or_create(
            slug=slugify(record.sector)[:120], defaults={"name": record.sector}
        )
        cache[key], _ = Component.objects.get_or_create(
            sector=sector,
            slug=slugify(record.component)[:160],
            defaults={"name": record.component},
        )
    return cache[key]


def _unique_slug(name: str, sill_id: str) -> str:
    base = slugify(name)[:100] or f"logiciel-{sill_id}"
    if not Software.objects.filter(slug=base).exists():
        return base
    return f"{base}-sill-{sill_id}"


def software_import_sill(*, directory: Path | None = None, by: Any = None) -> ImportReport:
    """Add or update the catalogue from the SILL snapshots; run it again at will.

    An entry is matched on its SILL id. What a coordinator edited by hand is overwritten only
    where the SILL says something (an empty SILL field never erases a filled one).
    """
    source = directory or sill_directory()
    with (source / SILL_FILES["reference"]).open(encoding="utf-8", newline="") as handle:
        reference = list(csv.DictReader(handle))
    with (source / SILL_FILES["enriched"]).open(encoding="utf-8") as handle:
        enriched = json.load(handle)
    taxonomy_path = source / SILL_FILES["taxonomy"]
    taxonomy = []
    if taxonomy_path.exists():
        with taxonomy_path.open(encoding="utf-8", newline="") as handle:
            taxonomy = list(csv.DictReader(handle))
    records, skipped = merge_sill(reference, enriched, taxonomy)
    report = ImportReport(skipped=[(s.sill_id, s.reason) for s in skipped])
    components: dict[tuple[str, str], Component] = {}
    with transaction.atomic():
        existing = {s.sill_id: s for s in Software.objects.filter(sill_id__isnull=False)}
        for record in records:
            values = {
                "name": record.name,
                "function": record.function[:300],
                "description": record.description_fr,
                "description_en": record.description_en,
                "licence": record.licence[:100],
                "repository_url": record.repository_url,
                "website": record.website,
                "wikidata_id": record.wikidata_id,
                "comptoir_id": record.comptoir_id,
                "component": _component(record, components),
            }
            software = existing.get(record.sill_id)
            if software is None:
                Software.objects.create(
                    slug=_unique_slug(record.name, record.sill_id), sill_id=record.sill_id, **values
                )
                report.added.append(record.sill_id)
                continue
            changed = [
                name
                for name, value in values.items()
                if value not in ("", None) and getattr(software, name) != value
            ]
            if changed:
                for name in changed:
                    setattr(software, name, values[name])
                software.save(update_fields=[*changed, "updated_at"])
                report.updated.append(record.sill_id)
            else:
                report.unchanged.append(record.sill_id)
        audit_record(
            action="catalogue.import_sill",
            actor=by,
            data={
                "added": len(report.added),
                "updated": len(report.updated),
                "skipped": len(report.skipped),
            },
        )
    return report
