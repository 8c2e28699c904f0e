"""What the network gave back upstream, as open data, for the open data page
(core/registries/datasets.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.datasets import Dataset, register_dataset
from guichet.missions.selectors_contributions import contributions_updated

register_dataset(
    Dataset(
        key="contributions",
        title=_("Contributions given back upstream"),
        description=_(
            "One row per contribution members made to the free software used in missions: "
            "the project, the member, its kind, status, title, address and date. Under "
            "embargo, only the project and the member are given."
        ),
        page=lambda: reverse("missions:given_back"),
        formats=lambda: [("CSV", reverse("missions:given_back_csv"))],
        updated=contributions_updated,
        order=30,
    )
)
