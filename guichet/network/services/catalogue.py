"""The software catalogue: importing the SILL, adding and merging entries."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from guichet.core.audit import audit_record
from guichet.network.domain.licences import is_spdx_expression
from guichet.network.domain.sill import SoftwareRecord, merge_sill
from guichet.network.models import Component, Sector, Software, SoftwareLink
from guichet.network.validators import validate_web_url

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


# Adding, editing and merging entries: the coordinators' work on the catalogue.


Errors = dict[str, list[Any]]


@dataclass(frozen=True)
class SoftwareData:
    """The editable fields of a catalogue entry, as the form or a script sends them."""

    name: str
    function: str = ""
    description: str = ""
    description_en: str = ""
    licence: str = ""
    repository_url: str = ""
    website: str = ""
    component: Component | None = None
    sill_id: str = ""
    wikidata_id: str = ""
    comptoir_id: str = ""


def software_problems(*, data: SoftwareData, software: Software | None = None) -> Errors:
    """Every rule the entry breaks, by field; empty when it may be saved.

    A licence already stored (the SILL has free-form ones) is not checked again unless it
    changes, so that correcting another field never fails on it.
    """
    errors: Errors = {}
    if not data.name.strip():
        errors.setdefault("name", []).append(_("Give the software's name."))
    licence = data.licence.strip()
    changed_licence = software is None or licence != software.licence
    if licence and changed_licence and not is_spdx_expression(licence):
        errors.setdefault("licence", []).append(
            _(
                "Write the licence as an SPDX identifier (e.g. AGPL-3.0-or-later) or "
                "expression (e.g. MIT OR Apache-2.0)."
            )
        )
    for name in ("repository_url", "website"):
        value = getattr(data, name).strip()
        if value:
            try:
                validate_web_url(value)
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.messages)
    sill_id = data.sill_id.strip()
    if sill_id:
        if not sill_id.isdigit():
            errors.setdefault("sill_id", []).append(_("A SILL id is a number, e.g. 218."))
        else:
            holder = Software.objects.filter(sill_id=sill_id)
            if software is not None:
                holder = holder.exclude(pk=software.pk)
            other = holder.first()
            if other is not None:
                errors.setdefault("sill_id", []).append(
                    _("The SILL id %(id)s already belongs to “%(name)s”.")
                    % {"id": sill_id, "name": other.name}
                )
    wikidata = data.wikidata_id.strip()
    if wikidata and not (wikidata[:1] in ("Q", "q") and wikidata[1:].isdigit()):
        errors.setdefault("wikidata_id", []).append(
            _("A Wikidata id is a Q followed by digits, e.g. Q2001.")
        )
    comptoir = data.comptoir_id.strip()
    if comptoir and not comptoir.isdigit():
        errors.setdefault("comptoir_id", []).append(
            _("A Comptoir du Libre id is a number, e.g. 9.")
        )
    return errors


def _software_values(data: SoftwareData) -> dict[str, Any]:
    wikidata = data.wikidata_id.strip()
    return {
        "name": " ".join(data.name.split())[:160],
        "function": data.function.strip()[:300],
        "description": data.description.strip(),
        "description_en": data.description_en.strip(),
        "licence": data.licence.strip()[:100],
        "repository_url": data.repository_url.strip(),
        "website": data.website.strip(),
        "component": data.component,
        "sill_id": data.sill_id.strip() or None,
        "wikidata_id": wikidata.upper() if wikidata else "",
        "comptoir_id": data.comptoir_id.strip(),
    }


def _new_slug(name: str) -> str:
    base = slugify(name)[:100] or "logiciel"
    slug, number = base, 1
    while Software.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def software_create(*, data: SoftwareData, by: Any) -> Software:
    """Add an entry to the catalogue; its slug, made from its name, never changes."""
    errors = software_problems(data=data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        values = _software_values(data)
        software = Software(slug=_new_slug(values["name"]), **values)
        software.full_clean()
        software.save()
        audit_record(action="software.create", actor=by, target=software)
    return software


def software_update(*, software: Software, data: SoftwareData, by: Any) -> Software:
    """Edit an entry. Its slug stays, so its address and the links to it keep working."""
    errors = software_problems(data=data, software=software)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        values = _software_values(data)
        changed = [name for name, value in values.items() if getattr(software, name) != value]
        for name in changed:
            setattr(software, name, values[name])
        software.full_clean()
        software.save()
        audit_record(action="software.update", actor=by, target=software, data={"fields": changed})
    return software


@dataclass(frozen=True)
class MergeReport:
    links_moved: int
    links_combined: int
    evidence_added: int
    ids_kept: tuple[str, ...]


def software_merge(*, source: Software, target: Software, by: Any) -> MergeReport:
    """Merge a duplicate entry (`source`) into the one that stays (`target`).

    The source's links move to the target. Where the organisation already has the same role
    on the target, the two links become one: the evidence is pooled, the longer experience
    and both references are kept, and so is the more recent verification. The target takes
    the external ids it lacks (SILL, Wikidata, Comptoir du Libre), so that later imports
    still join on them; entries merged earlier into the source now point to the target.
    The source stays, marked as merged: its address leads to the target.
    """
    if source.pk == target.pk:
        raise ValidationError(
            {"target": _("An entry cannot be merged into itself: choose another one.")}
        )
    moved = combined = evidence_added = 0
    with transaction.atomic():
        # Checked on the rows as locked: the objects passed in may be stale.
        given_source, given_target = source, target
        source = Software.objects.select_for_update().get(pk=source.pk)
        target = Software.objects.select_for_update().get(pk=target.pk)
        if target.merged_into_id is not None:
            raise ValidationError(
                {
                    "target": _(
                        "“%(name)s” was itself merged into another entry: merge into that one."
                    )
                    % {"name": target.name}
                }
            )
        if source.merged_into_id is not None:
            raise ValidationError(
                _("“%(name)s” is already merged into another entry.") % {"name": source.name},
                code="already_merged",
            )
        kept_links = {
            (link.organisation_id, link.role): link
            for link in SoftwareLink.objects.filter(software=target)
        }
        for link in SoftwareLink.objects.filter(software=source).prefetch_related("evidence"):
            kept = kept_links.get((link.organisation_id, link.role))
            if kept is None:
                link.software = target
                link.save(update_fields=["software", "updated_at"])
                moved += 1
                continue
            known = set(kept.evidence.values_list("url", flat=True))
            for evidence in link.evidence.all():
                if evidence.url not in known:
                    evidence.link = kept
                    evidence.save(update_fields=["link"])
                    known.add(evidence.url)
                    evidence_added += 1
            kept.years_experience = max(kept.years_experience, link.years_experience)
            if link.references.strip() and link.references.strip() not in kept.references:
                kept.references = "\n\n".join(
                    filter(None, [kept.references.strip(), link.references.strip()])
                )
            if link.verified_at and (not kept.verified_at or link.verified_at > kept.verified_at):
                kept.verified_at, kept.verified_by_id = link.verified_at, link.verified_by_id
            kept.save()
            link.delete()
            combined += 1
        kept_ids = []
        if source.sill_id and not target.sill_id:
            target.sill_id, source.sill_id = source.sill_id, None
            source.save(update_fields=["sill_id"])  # the id is unique: free it first
            kept_ids.append("sill_id")
        for name in ("wikidata_id", "comptoir_id"):
            if getattr(source, name) and not getattr(target, name):
                setattr(target, name, getattr(source, name))
                kept_ids.append(name)
        target.save()
        Software.objects.filter(merged_into=source).update(merged_into=target)
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        given_source.merged_into, given_source.sill_id = target, source.sill_id
        for name in ("sill_id", "wikidata_id", "comptoir_id"):
            setattr(given_target, name, getattr(target, name))
        audit_record(
            action="software.merge",
            actor=by,
            target=source,
            data={
                "into": target.pk,
                "links_moved": moved,
                "links_combined": combined,
                "evidence_added": evidence_added,
                "ids_kept": kept_ids,
            },
        )
    return MergeReport(
        links_moved=moved,
        links_combined=combined,
        evidence_added=evidence_added,
        ids_kept=tuple(kept_ids),
    )
