"""The decision log's open data, for the open data page (core/registries/datasets.py)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.datasets import Dataset, register_dataset
from guichet.governance.selectors_log import rounds_decided


def decisions_updated() -> datetime | None:
    """The latest round closed with an outcome: the last row the files gained (one query)."""
    latest: datetime | None = rounds_decided().aggregate(latest=Max("closed_at"))["latest"]
    return latest


register_dataset(
    Dataset(
        key="decisions",
        title=_("Decisions of the associates"),
        description=_(
            "One row per round closed with an outcome: the proposal, its kind and decision "
            "mode, its dates, whether it was adopted, and the positions counted, never named "
            "(election ballots are secret)."
        ),
        page=lambda: reverse("governance:log"),
        formats=lambda: [
            ("CSV", reverse("governance:export_csv")),
            ("ODS", reverse("governance:export_ods")),
            ("RSS", reverse("governance:feed_rss")),
            ("Atom", reverse("governance:feed_atom")),
        ],
        updated=decisions_updated,
        order=40,
    )
)
