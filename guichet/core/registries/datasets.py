"""The open data registry: every dataset the site publishes, for the open data page.

Each app declares its datasets in its own `datasets.py` (found at start-up by CoreConfig):
a title, what a row is, the page that shows it, a link for each format, and when its rows
last changed. All are published under one licence (core/opendata.py); a dataset made from
someone else's data names its source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guichet.core.opendata import LICENCE, LICENCE_URL


@dataclass(frozen=True)
class Dataset:
    """One dataset. `formats` are (name, address) pairs, e.g. ("CSV", url); `updated` says
    when its rows last changed (None when it has none yet), in one query."""

    key: str
    title: Any  # lazy translations
    description: Any
    page: Callable[[], str]
    formats: Callable[[], list[tuple[str, str]]]
    updated: Callable[[], datetime | None]
    source: str = ""
    licence: str = LICENCE
    licence_url: str = LICENCE_URL
    order: int = 100


@dataclass(frozen=True)
class Published:
    """A dataset as the page lists it."""

    key: str
    title: str
    description: str
    page: str
    formats: list[tuple[str, str]]
    updated: datetime | None
    source: str
    licence: str
    licence_url: str


_datasets: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> Dataset:
    """Add (or replace, by key) a dataset (idempotent)."""
    _datasets[dataset.key] = dataset
    return dataset


def registered() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.key))


def published() -> list[Published]:
    """Every dataset, in order, with its addresses and its last change (one query each)."""
    return [
        Published(
            key=dataset.key,
            title=str(dataset.title),
            description=str(dataset.description),
            page=dataset.page(),
            formats=dataset.formats(),
            updated=dataset.updated(),
            source=dataset.source,
            licence=dataset.licence,
            licence_url=dataset.licence_url,
        )
        for dataset in registered()
    ]


def latest_of(*moments: datetime | None) -> datetime | None:
    """The latest of several moments, those unknown left out (None when all are)."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None
