"""How the work awarded through the guichet is spread, as open data, for the open data page
(core/registries/datasets.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.core.registries.datasets import Dataset, register_dataset
from guichet.needs.selectors_concentration import awards_updated

register_dataset(
    Dataset(
        key="work-spread",
        title=_("How work is spread"),
        description=_(
            "One row per quarter, the current one included: members, members who received "
            "work, person-days awarded, the share of the best-served tenth and the Gini "
            "coefficient."
        ),
        page=lambda: reverse("needs:concentration"),
        formats=lambda: [("CSV", reverse("needs:concentration_csv"))],
        updated=awards_updated,
        order=50,
    )
)
