"""The directory's and the catalogue's open data, for the open data page
(core/registries/datasets.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.datasets import Dataset, register_dataset
from guichet.network.exports import SILL_SOURCE
from guichet.network.selectors import organisations_updated, software_updated

FORMATS = (("CSV", "csv"), ("JSON", "json"), ("ODS", "ods"))


def _formats(dataset: str) -> list[tuple[str, str]]:
    return [(name, reverse("network:export", args=[dataset, fmt])) for name, fmt in FORMATS]


register_dataset(
    Dataset(
        key="organisations",
        title=_("Member organisations"),
        description=_(
            "One row per admitted member: kind, SIREN, place, size, monthly availability, "
            "the software it knows with its role on each, and its profile's address. No "
            "person is named."
        ),
        page=lambda: reverse("network:directory"),
        formats=lambda: _formats("organisations"),
        updated=organisations_updated,
        order=10,
    )
)
register_dataset(
    Dataset(
        key="software",
        title=_("Software catalogue"),
        description=_(
            "One row per software: function, licence, website, repository, its place in the "
            "SILL's sectors and components, its identifiers (SILL, Wikidata, Comptoir du "
            "Libre) and how many members know it."
        ),
        page=lambda: reverse("network:software_list"),
        formats=lambda: _formats("software"),
        updated=software_updated,
        source=SILL_SOURCE,
        order=20,
    )
)
