"""Client satisfaction: what matching reads of the evaluations, kept current in its index,
and the public aggregate on an organisation's profile (hidden below 3 evaluations)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet.missions.models import Evaluation, Mission, MissionStatus
from guichet.missions.satisfaction import connect, missions_ratings
from guichet.missions.services.evaluations import evaluation_submit
from guichet.missions.services.missions import mission_from_consortium, mission_move
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.domain.matching import rank, ranking_to_dict
from guichet.needs.index_triggers import install
from guichet.needs.models import Consortium, Lot, MatchingIndexState
from guichet.needs.satisfaction import Satisfaction, satisfaction_of
from guichet.needs.selectors_matching import lot_need, matching_candidates, rules_current
from guichet.needs.services.matching import EXPLAINED, lot_rank, run_result
from guichet.network.models import Organisation, Software

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connected(db: None) -> None:
    """What MissionsConfig.ready() does (idempotent), and the triggers it makes migrations
    install (inside the test's transaction, rolled back with it)."""
    connect()
    install()


@pytest.fixture
def mission(demo: Any) -> Mission:
    consortium = Consortium.objects.filter(mission__isnull=True).first()
    assert consortium is not None, "the demo has a consortium ready to start"
    mission = mission_from_consortium(consortium=consortium, by=demo["coordinator"])
    for status in (MissionStatus.RUNNING, MissionStatus.DELIVERED):
        mission = mission_move(mission=mission, target=status, by=demo["coordinator"])
    return mission


@pytest.fixture
def lead(mission: Mission) -> Organisation:
    return mission.members.get(role="lead").organisation


def another_contact(mission: Mission, number: int) -> Evaluation:
    """A second (third…) client contact asked to evaluate the same mission."""
    return Evaluation.objects.create(
        mission=mission,
        contact_email=f"contact{number}@client.example",
        nonce=secrets.token_hex(16),
        expires_at=timezone.now() + timedelta(days=30),
    )


def answer(evaluation: Evaluation, rating: int) -> Evaluation:
    return evaluation_submit(
        evaluation=evaluation,
        ratings=dict.fromkeys(("quality", "deadlines", "communication", "openness"), rating),
        would_recommend=rating >= 3,
        comment="Un commentaire que le public ne doit jamais lire.",
    )


def profile(client: Client, organisation: Organisation) -> str:
    with translation.override("en"):
        url = reverse("network:organisation", args=[organisation.slug])
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def test_the_public_profile_hides_the_mean_below_3_evaluations_and_shows_it_from_3(
    client: Client, mission: Mission, lead: Organisation
) -> None:
    assert "Not enough client evaluations to publish a figure yet (0 so far" in profile(
        client, lead
    )
    answer(mission.evaluations.get(), 4)
    answer(another_contact(mission, 2), 4)
    html = profile(client, lead)
    assert "Client satisfaction" in html
    assert "(2 so far" in html
    assert "out of 5" not in html
    answer(another_contact(mission, 3), 5)
    html = profile(client, lead)
    assert "4.3 out of 5" in html
    assert "Not enough" not in html
    # Never a client's answers, nor any comment.
    assert "jamais lire" not in html
    assert "client.example" not in html


def test_matching_reads_the_ratings_of_the_lots_software_first(
    mission: Mission, lead: Organisation
) -> None:
    assert lead.pk not in satisfaction_of([lead.pk], [])
    answer(mission.evaluations.get(), 5)
    answer(another_contact(mission, 2), 2)
    on_mission = set(mission.lots.values_list("software__pk", flat=True))
    elsewhere = Software.objects.exclude(pk__in=on_mission).values_list("pk", flat=True)[0]
    # Every rating of the lead, on a lot naming no software or software it never worked on.
    assert satisfaction_of([lead.pk], [])[lead.pk] == Satisfaction(mean=3.5, count=2)
    assert satisfaction_of([lead.pk], [elsewhere])[lead.pk] == Satisfaction(mean=3.5, count=2)
    # The same ratings, marked as the mission's software's, on a lot of that software.
    on_software = satisfaction_of([lead.pk], [min(on_mission)])[lead.pk]
    assert on_software == Satisfaction(mean=3.5, count=2, on_software=True)
    # Every member of the mission gets the client's evaluation, subcontractors included,
    # and only the organisations asked for.
    members = list(mission.members.values_list("organisation_id", flat=True))
    assert {rating.organisation for rating in missions_ratings(members)} == set(members)
    assert missions_ratings([]) == []


def _satisfaction_in(run: Any, organisation: Organisation) -> dict[str, Any]:
    (entry,) = [e for e in run_result(run)["ranked"] if e["organisation"] == organisation.pk]
    (component,) = [c for c in entry["components"] if c["name"] == "satisfaction"]
    return dict(component)


def test_a_new_evaluation_changes_the_members_satisfaction_in_matching(
    demo: Any, mission: Mission, lead: Organisation
) -> None:
    lot = Lot.objects.get(request__title=QUALIFIED_TITLE, position=1)
    before = _satisfaction_in(lot_rank(lot=lot, by=demo["coordinator"]), lead)
    assert before["reason"]["code"] == "not_rated"
    answer(mission.evaluations.get(), 5)
    # The index was built before the evaluation: its triggers make the next ranking see it.
    after = _satisfaction_in(lot_rank(lot=lot, by=demo["coordinator"]), lead)
    # The lot is on GLPI, as the mission was: the rating counts as one on this software.
    assert after["reason"] == {
        "code": "rated",
        "params": {"mean": 5.0, "count": 1, "on_software": True},
    }
    assert after["value"] > before["value"]
    # The plain-query path reads the same satisfaction.
    run = lot_rank(lot=lot, by=demo["coordinator"])
    rules = rules_current()[1]
    need = lot_need(lot)
    reference = rank(need, matching_candidates(lot, need, rules), rules, explain=EXPLAINED)
    assert run_result(run) == ranking_to_dict(reference)


def _token() -> str:
    return str(MatchingIndexState.objects.get().token)


def test_only_a_score_change_invalidates_the_matching_index(mission: Mission) -> None:
    evaluation = mission.evaluations.get()
    token = _token()
    Evaluation.objects.filter(pk=evaluation.pk).update(reminders_sent=1)
    assert _token() == token  # a reminder changes nothing matching reads
    answer(evaluation, 4)
    assert _token() != token
    token = _token()
    answer(evaluation, 4)  # the same score again
    assert _token() == token
    answer(evaluation, 2)
    assert _token() != token


def test_a_change_of_the_missions_members_invalidates_the_matching_index(
    mission: Mission,
) -> None:
    token = _token()
    member = mission.members.order_by("pk").first()
    assert member is not None
    member.person_days = member.person_days + Decimal(1)
    member.save(update_fields=["person_days"])
    assert _token() != token
