"""Ranking a lot on the demo network: recorded, replayable, explained, in few queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.domain.matching import Rules
from guichet.needs.models import (
    Lot,
    MatchingRules,
    MatchingRun,
    MemberResponse,
    ShortlistEntry,
)
from guichet.needs.selectors_matching import rules_current
from guichet.needs.services.matching import lot_rank, matching_rules_publish, run_replay
from guichet.network.models import Organisation

pytestmark = pytest.mark.django_db


def _lot(position: int) -> Lot:
    return Lot.objects.select_related("request", "commune", "request__commune").get(
        request__title=QUALIFIED_TITLE, position=position
    )


def _names(run: Any) -> list[str]:
    return [entry["name"] for entry in run.result["ranked"]]


def test_glpi_editors_and_maintainers_near_lyon_come_first(demo: Any) -> None:
    run = lot_rank(lot=_lot(1), by=demo["coordinator"])
    ranked = _names(run)
    # The GLPI editor (Grenoble) and maintainer (Lyon) lead; integrators follow.
    assert ranked[:3] == ["Libre et Local", "Parc Ouvert", "Rhône Logiciels Libres"]
    first = run.result["ranked"][0]
    assert [c["name"] for c in first["components"]] == [
        "fit",
        "proximity",
        "capacity",
        "satisfaction",
        "spread",
    ]


def test_an_on_site_lot_excludes_members_beyond_the_radius(demo: Any) -> None:
    run = lot_rank(lot=_lot(1), by=demo["coordinator"])
    excluded = {entry["name"]: entry["reason"] for entry in run.result["excluded"]}
    # Tickets Libres (Besançon) integrates GLPI, but is about 190 km from Lyon.
    assert excluded["Tickets Libres"]["code"] == "beyond_radius"
    assert excluded["Tickets Libres"]["params"]["km"] > 150
    assert "Tickets Libres" not in _names(run)


def test_a_run_is_recorded_with_its_rules_and_replays_to_the_same_result(demo: Any) -> None:
    run = lot_rank(lot=_lot(2), by=demo["coordinator"])
    assert run.rules.version == MatchingRules.objects.order_by("-version").first().version
    assert run.inputs["lot"]["software"] == [
        {"id": s.pk, "name": s.name} for s in _lot(2).software.all()
    ]
    assert run_replay(run) == run.result
    assert AuditEntry.objects.filter(action="lot.rank").exists()


def test_a_tampered_record_no_longer_replays(demo: Any) -> None:
    run = lot_rank(lot=_lot(2), by=demo["coordinator"])
    table = run.inputs["candidates"]
    table["rows"][0][table["fields"].index("capacity_days")] += 500
    assert run_replay(run) != run.result


def test_the_clients_own_organisation_and_members_who_declined_are_excluded(demo: Any) -> None:
    lot = _lot(2)
    host = Organisation.objects.get(slug="nuage-citoyen")
    ShortlistEntry.objects.create(
        lot=lot, organisation=host, member_response=MemberResponse.DECLINED
    )
    lot.request.client_organisation = Organisation.objects.get(slug="lorraine-libre")
    lot.request.save()
    run = lot_rank(lot=lot, by=demo["coordinator"])
    reasons = {entry["name"]: entry["reason"]["code"] for entry in run.result["excluded"]}
    assert reasons["Nuage Citoyen"] == "declined"
    assert reasons["Lorraine Libre"] == "client_organisation"


def test_ranking_a_lot_takes_a_fixed_number_of_queries(demo: Any) -> None:
    lot = _lot(1)
    with CaptureQueriesContext(connection) as first:
        lot_rank(lot=lot, by=demo["coordinator"])
    lot.software.add(*_lot(2).software.all())
    with CaptureQueriesContext(connection) as second:
        lot_rank(lot=lot, by=demo["coordinator"])
    assert len(second) == len(first) <= 20


def test_new_rules_apply_to_the_next_ranking(demo: Any) -> None:
    current = MatchingRules.objects.order_by("-version").first()
    parameters = {**current.parameters, "onsite_radius_km": 300.0}
    record = matching_rules_publish(parameters=parameters, note="Rayon élargi", by=demo["staff"])
    assert record.version == current.version + 1
    run = lot_rank(lot=_lot(1), by=demo["coordinator"])
    assert run.rules == record
    assert "Tickets Libres" in _names(run)


def test_rules_that_make_no_sense_are_never_published(demo: Any) -> None:
    current = MatchingRules.objects.order_by("-version").first()
    with pytest.raises(ValueError, match="negative"):
        matching_rules_publish(
            parameters={
                **current.parameters,
                "weights": {**current.parameters["weights"], "fit": -1},
            },
            note="",
            by=demo["staff"],
        )
    assert MatchingRules.objects.order_by("-version").first() == current


def test_an_emptied_rules_table_gets_the_first_version_back(demo: Any) -> None:
    MatchingRun.objects.all().delete()
    MatchingRules.objects.all().delete()
    record, rules = rules_current()
    assert record.version == 1
    assert rules == Rules()
