"""The missions tests build the missions they need: each starts from a network without the
demo's missions (removed inside the test's transaction, so the demo comes back after it),
but for the tests marked `demo_missions`, which read them."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.missions.models import Contribution, Invoice, Mission


@pytest.fixture(autouse=True)
def _without_demo_missions(request: Any) -> None:
    if request.node.get_closest_marker("demo_missions"):
        return
    if "db" not in request.fixturenames and "demo" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    # Contributions and invoices protect their missions: they go first.
    Contribution.objects.all().delete()
    Invoice.objects.all().delete()
    Mission.objects.all().delete()
