"""Ranking a lot on the demo network: recorded, replayable, explained, in few queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.domain.matching import Rules, rank, ranking_to_dict
from guichet.needs.domain.matching_arrays import ordered_unpack, record_pack
from guichet.needs.models import (
    Lot,
    MatchingIndexState,
    MatchingRules,
    MatchingRun,
    MatchingSnapshot,
    MemberResponse,
    ShortlistEntry,
)
from guichet.needs.selectors_matching import lot_need, matching_candidates, rules_current
from guichet.needs.services.matching import (
    EXPLAINED,
    lot_rank,
    matching_rules_publish,
    run_replays,
    run_result,
)
from guichet.network.models import Organisation, Software, SoftwareLink

pytestmark = pytest.mark.django_db


def _lot(position: int) -> Lot:
    return Lot.objects.select_related("request", "commune", "request__commune").get(
        request__title=QUALIFIED_TITLE, position=position
    )


def _names(run: Any) -> list[str]:
    return [entry["name"] for entry in run_result(run)["ranked"]]


def test_glpi_editors_and_maintainers_near_lyon_come_first(demo: Any) -> None:
    run = lot_rank(lot=_lot(1), by=demo["coordinator"])
    ranked = _names(run)
    # The GLPI editor (Grenoble) and maintainer (Lyon) lead; integrators follow.
    assert ranked[:3] == ["Libre et Local", "Parc Ouvert", "Rhône Logiciels Libres"]
    first = run_result(run)["ranked"][0]
    assert [c["name"] for c in first["components"]] == [
        "fit",
        "proximity",
        "capacity",
        "satisfaction",
        "spread",
    ]


def test_an_on_site_lot_excludes_members_beyond_the_radius(demo: Any) -> None:
    run = lot_rank(lot=_lot(1), by=demo["coordinator"])
    excluded = {entry["name"]: entry["reason"] for entry in run_result(run)["excluded"]}
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
    assert run.snapshot is not None
    assert run.snapshot.organisations == Organisation.objects.count()
    assert run_replays(run)


def test_a_tampered_record_no_longer_replays(demo: Any) -> None:
    run = lot_rank(lot=_lot(2), by=demo["coordinator"])
    run.inputs["lot"]["person_days"] *= 40  # who can take it changes with its size
    assert not run_replays(run)
    run = MatchingRun.objects.get(pk=run.pk)
    recorded = ordered_unpack(bytes(run.ordered))
    recorded["ranked"].reverse()
    run.ordered = record_pack(**recorded)
    assert not run_replays(run)


def test_the_clients_own_organisation_and_members_who_declined_are_excluded(demo: Any) -> None:
    lot = _lot(2)
    host = Organisation.objects.get(slug="nuage-citoyen")
    ShortlistEntry.objects.create(
        lot=lot, organisation=host, member_response=MemberResponse.DECLINED
    )
    lot.request.client_organisation = Organisation.objects.get(slug="lorraine-libre")
    lot.request.save()
    run = lot_rank(lot=lot, by=demo["coordinator"])
    reasons = {entry["name"]: entry["reason"]["code"] for entry in run_result(run)["excluded"]}
    assert reasons["Nuage Citoyen"] == "declined"
    assert reasons["Lorraine Libre"] == "client_organisation"


def test_ranking_a_lot_takes_a_fixed_number_of_queries(demo: Any) -> None:
    lot = _lot(1)
    lot_rank(lot=lot, by=demo["coordinator"])  # the index, built once for the network
    with CaptureQueriesContext(connection) as first:
        lot_rank(lot=lot, by=demo["coordinator"])
    lot.software.add(*_lot(2).software.all())
    with CaptureQueriesContext(connection) as second:
        lot_rank(lot=lot, by=demo["coordinator"])
    # The index token with the lot's software and shortlist, then the record.
    assert len(second) == len(first) == 2


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
    MatchingSnapshot.objects.all().delete()
    MatchingRules.objects.all().delete()
    record, rules = rules_current()
    assert record.version == 1
    assert rules == Rules()


# --- The network index: current, whatever changed the network ---------------------------


def test_a_new_link_counts_in_the_next_ranking(demo: Any) -> None:
    lot = _lot(2)
    before = lot_rank(lot=lot, by=demo["coordinator"])
    newcomer = Organisation.objects.filter(is_member=True).exclude(
        pk__in=[entry["organisation"] for entry in run_result(before)["ranked"]]
    )
    newcomer = newcomer.exclude(pk=lot.request.client_organisation_id).first()
    assert newcomer is not None
    for software in lot.software.all():
        SoftwareLink.objects.create(organisation=newcomer, software=software, role="editor")
    after = lot_rank(lot=lot, by=demo["coordinator"])
    assert after.snapshot_id != before.snapshot_id
    assert newcomer.name in _names(after)
    # The earlier ranking still reads, and replays, as it was made.
    assert newcomer.name not in _names(MatchingRun.objects.get(pk=before.pk))
    assert run_replays(MatchingRun.objects.get(pk=before.pk))


def test_a_bulk_update_counts_in_the_next_ranking_too(demo: Any) -> None:
    lot = _lot(1)
    first = _names(lot_rank(lot=lot, by=demo["coordinator"]))[0]
    # No save(), no signal: the database's own triggers see it.
    Organisation.objects.filter(name=first).update(is_member=False)
    run = lot_rank(lot=lot, by=demo["coordinator"])
    assert first not in _names(run)


def test_an_unchanged_network_is_read_once(demo: Any) -> None:
    first = lot_rank(lot=_lot(1), by=demo["coordinator"])
    recorded = MatchingSnapshot.objects.count()
    second = lot_rank(lot=_lot(2), by=demo["coordinator"])
    assert first.snapshot_id == second.snapshot_id
    assert MatchingSnapshot.objects.count() == recorded


@override_settings(GUICHET_MATCHING_INDEX_MAX_AGE=0)
def test_an_index_older_than_its_maximum_age_is_rebuilt(demo: Any) -> None:
    first = lot_rank(lot=_lot(1), by=demo["coordinator"])
    second = lot_rank(lot=_lot(1), by=demo["coordinator"])
    assert first.snapshot_id != second.snapshot_id
    assert _names(first) == _names(second)


@pytest.mark.parametrize("position", [1, 2])
def test_the_index_ranks_as_the_reference_engine_does(demo: Any, position: int) -> None:
    """The array engine against matching.rank() over candidates read by plain queries:
    same order, same totals, same explanations, same exclusions with the same reasons."""
    lot = _lot(position)
    lot.request.client_organisation = Organisation.objects.get(slug="lorraine-libre")
    lot.request.save()
    run = lot_rank(lot=lot, by=demo["coordinator"])
    rules = rules_current()[1]
    need = lot_need(lot)
    reference = rank(need, matching_candidates(lot, need, rules), rules, explain=EXPLAINED)
    assert run_result(run) == ranking_to_dict(reference)


def test_the_plain_queries_name_the_tables_the_models_use() -> None:
    """matching_index.py reads in plain SQL on the hot path: the names it writes must stay
    the models' own."""
    assert MatchingIndexState._meta.db_table == "needs_matchingindexstate"
    assert MatchingSnapshot._meta.db_table == "needs_matchingsnapshot"
    assert ShortlistEntry._meta.db_table == "needs_shortlistentry"
    assert Lot.software.through._meta.db_table == "needs_lot_software"
    assert Software._meta.db_table == "network_software"
