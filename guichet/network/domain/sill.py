"""Reading the SILL (Socle interministériel de logiciels libres) into catalogue records.

Three public snapshots complete each other, joined on the SILL id:
- the 2022-02 CSV is the reference list (name, licence, Wikidata and Comptoir du Libre ids);
- the 2022-05 JSON adds descriptions in French and English, the website, the source
  repository, and the sector/component taxonomy;
- the 2020 CSV gives the taxonomy for entries the JSON lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WIKIDATA_ID = re.compile(r"^Q\d+$")


@dataclass(frozen=True)
class SoftwareRecord:
    """One catalogue entry as the SILL describes it."""

    sill_id: str
    name: str
    function: str
    description_fr: str
    description_en: str
    licence: str
    website: str
    repository_url: str
    sector: str
    component: str
    wikidata_id: str
    comptoir_id: str


@dataclass(frozen=True)
class Skipped:
    sill_id: str
    reason: str


def _clean(value: object) -> str:
    return str(value or "").strip()


def _url(value: object) -> str:
    text = _clean(value)
    return text if text.startswith(("http://", "https://")) else ""


def sector_name(raw: object) -> str:
    """One spelling per sector of the taxonomy.

    The snapshots write one sector several ways ("Conception & Développement", "Conception &
    développement", "Conception et développement"): "&" becomes "et", spaces are collapsed
    and the name is in sentence case, as French writes a heading, so that the variants meet.
    """
    words = " ".join(_clean(raw).replace("&", " et ").split())
    return words[:1].upper() + words[1:].lower()


def merge_sill(
    reference_rows: Iterable[Mapping[str, str]],
    enriched_entries: Iterable[Mapping[str, object]],
    taxonomy_rows: Iterable[Mapping[str, str]] = (),
) -> tuple[list[SoftwareRecord], list[Skipped]]:
    """Records for every usable reference row, and the rows skipped with their reason."""
    enriched = {_clean(e.get("id")): e for e in enriched_entries}
    taxonomy = {_clean(r.get("ID")): r for r in taxonomy_rows}
    records: list[SoftwareRecord] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for row in reference_rows:
        sill_id = _clean(row.get("ID"))
        name = _clean(row.get("nom"))
        if not sill_id.isdigit():
            skipped.append(Skipped(sill_id or "?", "no numeric SILL id"))
            continue
        if not name:
            skipped.append(Skipped(sill_id, "no name"))
            continue
        if sill_id in seen:
            skipped.append(Skipped(sill_id, "duplicate SILL id"))
            continue
        seen.add(sill_id)
        extra = enriched.get(sill_id, {})
        older = taxonomy.get(sill_id, {})
        wikidata = _clean(row.get("wikidata"))
        comptoir = _clean(row.get("comptoir-du-libre")) or _clean(extra.get("co"))
        records.append(
            SoftwareRecord(
                sill_id=sill_id,
                name=name,
                function=_clean(row.get("fonction")) or _clean(extra.get("f")),
                description_fr=_clean(extra.get("fr-desc")),
                description_en=_clean(extra.get("en-desc")),
                licence=_clean(row.get("licence")) or _clean(extra.get("l")),
                website=_url(extra.get("website")),
                repository_url=_url(extra.get("sources")),
                sector=sector_name(_clean(extra.get("se")) or _clean(older.get("secteur"))),
                component=_clean(extra.get("c")) or _clean(older.get("composant")),
                wikidata_id=wikidata if WIKIDATA_ID.match(wikidata) else "",
                comptoir_id=comptoir if comptoir.isdigit() else "",
            )
        )
    return records, skipped
