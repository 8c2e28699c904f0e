"""The matching rules, without a database: what members rely on to trust their ranking."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.needs.domain.matching import (
    Candidate,
    Link,
    LotNeed,
    Rules,
    SoftwareRef,
    candidate_to_dict,
    candidates_from_record,
    candidates_to_columns,
    lot_from_dict,
    lot_to_dict,
    rank,
    ranking_refusal,
    ranking_to_dict,
    replay,
    score,
    shrunk_satisfaction,
)

RULES = Rules()
NEXTCLOUD = SoftwareRef(1, "Nextcloud")
COLLABORA = SoftwareRef(2, "Collabora Online")
LOT = LotNeed(software=(NEXTCLOUD,), person_days=20, months=2)


def member(organisation: int, name: str, *links: Link, **fields: object) -> Candidate:
    defaults: dict[str, object] = {"distance_km": 50.0, "capacity_days": 20}
    defaults.update(fields)
    return Candidate(organisation, name, tuple(links), **defaults)  # type: ignore[arg-type]


def names(lot: LotNeed, *candidates: Candidate, rules: Rules = RULES) -> list[str]:
    return [scored.name for scored in rank(lot, candidates, rules).ranked]


def test_an_editor_outranks_an_integrator_at_equal_distance() -> None:
    editor = member(1, "Éditeur", Link(1, "editor"))
    integrator = member(2, "Intégrateur", Link(1, "integrator"))
    assert names(LOT, integrator, editor) == ["Éditeur", "Intégrateur"]


def test_roles_rank_from_the_code_outward() -> None:
    roles = ["host", "trainer", "integrator", "contributor", "core_contributor", "maintainer"]
    roles.append("editor")
    candidates = [member(i, role, Link(1, role)) for i, role in enumerate(roles)]
    assert names(LOT, *candidates) == list(reversed(roles))


def test_a_verified_link_counts_more_than_an_unproven_one() -> None:
    verified = member(1, "B vérifié", Link(1, "contributor", verified=True))
    evidenced = member(2, "C preuves", Link(1, "contributor", evidence=2))
    unproven = member(3, "A déclaré", Link(1, "contributor"))
    assert names(LOT, unproven, evidenced, verified) == ["B vérifié", "C preuves", "A déclaré"]


def test_fit_is_the_mean_over_the_lots_software() -> None:
    lot = replace(LOT, software=(NEXTCLOUD, COLLABORA))
    both = member(1, "Both", Link(1, "editor", verified=True), Link(2, "editor", verified=True))
    one = member(2, "One", Link(1, "editor", verified=True))
    both, one = score(lot, both, RULES), score(lot, one, RULES)
    assert both.component("fit").value == pytest.approx(1.0)
    assert one.component("fit").value == pytest.approx(0.5)
    assert one.component("fit").reason.params["links"] == [
        {"software": "Nextcloud", "role": "editor", "verified": True, "evidence": 0}
    ]


def test_an_on_site_lot_excludes_members_beyond_the_radius_and_says_why() -> None:
    lot = replace(LOT, on_site=True)
    near = member(1, "Proche", Link(1, "integrator"), distance_km=40.0)
    far = member(2, "Loin", Link(1, "editor"), distance_km=420.0)
    ranking = rank(lot, [near, far], RULES)
    assert [scored.name for scored in ranking.ranked] == ["Proche"]
    (excluded,) = ranking.excluded
    assert excluded.name == "Loin"
    assert excluded.reason.code == "beyond_radius"
    assert excluded.reason.params == {"km": 420, "radius": 150}


def test_a_remote_lot_keeps_far_members_and_distance_does_not_count() -> None:
    near = member(1, "Proche", Link(1, "editor"), distance_km=10.0)
    far = member(2, "Loin", Link(1, "editor"), distance_km=600.0)
    ranking = rank(LOT, [far, near], RULES)
    # Equal on everything but distance: equal totals, so the order falls to the name.
    assert [scored.name for scored in ranking.ranked] == ["Loin", "Proche"]
    assert ranking.ranked[0].total == ranking.ranked[1].total
    assert ranking.excluded == ()
    for scored in ranking.ranked:
        proximity = scored.component("proximity")
        assert proximity.value == 0.5
        # Never "397 km away" for remote work: the explanation says why it does not count.
        assert proximity.reason.code == "remote"
        assert proximity.reason.params == {}


def test_a_remote_lot_ranked_by_the_first_engine_replays_with_distance() -> None:
    """Rankings recorded before remote lots were neutral replay as they were made."""
    data = lot_to_dict(LOT)
    del data["engine"]
    old = lot_from_dict(data)
    assert old.engine == 1
    near = member(1, "Proche", Link(1, "editor"), distance_km=10.0)
    far = member(2, "Loin", Link(1, "editor"), distance_km=600.0)
    ranking = rank(old, [far, near], RULES)
    assert [scored.name for scored in ranking.ranked] == ["Proche", "Loin"]
    assert ranking.ranked[1].component("proximity").reason.params == {"km": 600}


def test_an_on_site_lot_still_prefers_near_members() -> None:
    lot = replace(LOT, on_site=True)
    near = member(1, "Proche", Link(1, "editor"), distance_km=10.0)
    farther = member(2, "A plus loin", Link(1, "editor"), distance_km=120.0)
    assert names(lot, farther, near) == ["Proche", "A plus loin"]
    assert score(lot, farther, RULES).component("proximity").reason.params == {"km": 120}


def test_an_on_site_lot_excludes_a_member_whose_place_is_unknown() -> None:
    lot = replace(LOT, on_site=True)
    ranking = rank(lot, [member(1, "Sans lieu", Link(1, "editor"), distance_km=None)], RULES)
    assert ranking.ranked == ()
    assert [item.reason.code for item in ranking.excluded] == ["place_unknown"]


def test_an_on_site_lot_without_a_place_is_refused_not_ranked_without_radius() -> None:
    lot = replace(LOT, on_site=True, has_place=False)
    refusal = ranking_refusal(lot)
    assert refusal is not None
    assert refusal.code == "onsite_place_unknown"
    assert ranking_refusal(replace(LOT, on_site=True)) is None
    # A remote lot needs no place: its ranking does not depend on one.
    assert ranking_refusal(replace(LOT, has_place=False)) is None


def test_satisfaction_shrinks_toward_neutral_with_few_reviews() -> None:
    one_perfect = shrunk_satisfaction(5.0, 1, RULES)
    many_good = shrunk_satisfaction(4.6, 30, RULES)
    assert 3.0 < one_perfect < many_good < 4.6
    assert shrunk_satisfaction(None, 0, RULES) == RULES.satisfaction_prior_mean
    # More reviews of the same mean move it closer to that mean.
    assert shrunk_satisfaction(5.0, 2, RULES) < shrunk_satisfaction(5.0, 20, RULES)
    assert shrunk_satisfaction(1.0, 1, RULES) > shrunk_satisfaction(1.0, 20, RULES)


def test_no_review_is_neutral_and_said_so() -> None:
    scored = score(LOT, member(1, "Nouveau", Link(1, "editor")), RULES)
    satisfaction = scored.component("satisfaction")
    assert satisfaction.value == pytest.approx(0.5)
    assert satisfaction.reason.code == "not_rated"
    rated = score(LOT, member(1, "Noté", ratings_mean=4.64, ratings_count=7), RULES)
    assert rated.component("satisfaction").reason.params == {"mean": 4.6, "count": 7}


def test_fair_spread_moves_a_member_up_when_its_recent_work_is_low() -> None:
    busy = member(1, "A occupé", Link(1, "maintainer"), recent_days=120)
    idle = member(2, "B disponible", Link(1, "maintainer"), recent_days=0)
    assert names(LOT, busy, idle) == ["B disponible", "A occupé"]
    # Without the spread weight, the order falls back to the name.
    weights = {**RULES.weights, "spread": 0.0}
    assert names(LOT, busy, idle, rules=replace(RULES, weights=weights)) == [
        "A occupé",
        "B disponible",
    ]


def test_capacity_compares_free_days_with_the_days_needed_each_month() -> None:
    roomy = score(LOT, member(1, "Large", capacity_days=30), RULES)
    tight = score(LOT, member(2, "Juste", capacity_days=10, committed_days=5), RULES)
    assert roomy.component("capacity").value == 1.0
    assert roomy.component("capacity").reason.params == {"available": 30.0, "needed": 10.0}
    assert tight.component("capacity").value == pytest.approx(0.5)
    assert tight.component("capacity").reason.params == {
        "available": 5.0,
        "needed": 10.0,
        "capacity": 10.0,
        "committed": 5.0,
    }


def test_a_member_fully_booked_by_missions_has_no_capacity_left() -> None:
    free = member(1, "Libre", Link(1, "editor"), capacity_days=20)
    booked = member(2, "Aa occupé", Link(1, "editor"), capacity_days=20, committed_days=20)
    assert names(LOT, booked, free) == ["Libre", "Aa occupé"]
    assert score(LOT, booked, RULES).component("capacity").value == 0.0
    # Committed beyond capacity never makes free days negative.
    over = score(LOT, replace(booked, committed_days=35), RULES).component("capacity")
    assert over.value == 0.0
    assert over.reason.params["available"] == 0.0


def test_the_ranking_is_deterministic_for_equal_scores() -> None:
    twins = [member(i, f"Jumeau {i % 3}", Link(1, "editor")) for i in (5, 3, 4, 1, 2)]
    first = rank(LOT, twins, RULES)
    again = rank(LOT, list(reversed(twins)), RULES)
    assert first == again
    # Equal totals: by name ("Jumeau 0" < "Jumeau 1" < "Jumeau 2"), then by id.
    assert [scored.organisation for scored in first.ranked] == [3, 1, 4, 2, 5]


def test_the_clients_own_organisation_and_those_who_declined_are_excluded() -> None:
    lot = replace(LOT, client_organisation=1, declined=frozenset({2}))
    ranking = rank(
        lot, [member(1, "Client", Link(1, "editor")), member(2, "Non", Link(1, "editor"))], RULES
    )
    assert ranking.ranked == ()
    assert {item.name: item.reason.code for item in ranking.excluded} == {
        "Client": "client_organisation",
        "Non": "declined",
    }


def test_only_admitted_members_who_signed_the_current_charter_are_eligible() -> None:
    outsider = member(1, "Candidat", Link(1, "editor"), is_member=False)
    unsigned = member(2, "Pas signé", Link(1, "editor"), signed_current_charter=False)
    ranking = rank(LOT, [outsider, unsigned], RULES)
    assert {item.name: item.reason.code for item in ranking.excluded} == {
        "Candidat": "not_a_member",
        "Pas signé": "charter_not_signed",
    }


def test_a_provider_the_client_brings_is_scored_by_the_same_rules() -> None:
    as_member = member(1, "Prestataire", Link(1, "contributor"), distance_km=30.0)
    brought = replace(
        as_member, is_member=False, signed_current_charter=False, brought_by_client=True
    )
    (scored,) = rank(LOT, [brought], RULES).ranked
    assert scored.brought_by_client
    assert scored.components == score(LOT, as_member, RULES).components
    assert scored.total == score(LOT, as_member, RULES).total


def test_every_component_is_normalised_and_explained() -> None:
    scored = score(LOT, member(1, "X", Link(1, "editor"), ratings_mean=4.0, ratings_count=3), RULES)
    assert [component.name for component in scored.components] == [
        "fit",
        "proximity",
        "capacity",
        "satisfaction",
        "spread",
    ]
    for component in scored.components:
        assert 0.0 <= component.value <= 1.0
        assert component.reason.code
    total = sum(c.contribution for c in scored.components) / sum(RULES.weights.values())
    assert scored.total == pytest.approx(total)


def test_a_recorded_ranking_replays_to_the_same_result() -> None:
    lot = replace(LOT, on_site=True, declined=frozenset({3}), client_organisation=9)
    candidates = [
        member(1, "Un", Link(1, "editor", verified=True), ratings_mean=4.2, ratings_count=4),
        member(2, "Deux", Link(1, "host"), distance_km=300.0),
        member(3, "Trois", Link(1, "editor")),
    ]
    original = rank(lot, candidates, RULES)
    replayed = replay(lot_to_dict(lot), [candidate_to_dict(c) for c in candidates], RULES.to_dict())
    assert ranking_to_dict(replayed) == ranking_to_dict(original)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": {"fit": 1.0}}, "weights must name"),
        (
            {"weights": {"fit": -1, "proximity": 1, "capacity": 1, "satisfaction": 1, "spread": 1}},
            "negative",
        ),
        (
            {"weights": {"fit": 0, "proximity": 0, "capacity": 0, "satisfaction": 0, "spread": 0}},
            "positive",
        ),
        ({"onsite_radius_km": 0}, "must be positive"),
        ({"satisfaction_prior_mean": 6}, "neutral satisfaction"),
        ({"verified_factor": 1.5}, "evidence factors"),
    ],
)
def test_rules_that_make_no_sense_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rules(**change)  # type: ignore[arg-type]


@given(
    distance=st.floats(min_value=0, max_value=2000),
    capacity=st.integers(min_value=0, max_value=2000),
    recent=st.floats(min_value=0, max_value=10000),
    mean=st.one_of(st.none(), st.floats(min_value=1, max_value=5)),
    count=st.integers(min_value=0, max_value=500),
)
def test_a_total_always_lies_between_zero_and_one(
    distance: float, capacity: int, recent: float, mean: float | None, count: int
) -> None:
    candidate = member(
        1,
        "X",
        Link(1, "trainer"),
        distance_km=distance,
        capacity_days=capacity,
        recent_days=recent,
        ratings_mean=mean,
        ratings_count=count,
    )
    assert 0.0 <= score(LOT, candidate, RULES).total <= 1.0


def test_only_the_best_are_explained_and_the_others_keep_their_rank_and_total() -> None:
    roles = ["editor", "maintainer", "contributor", "integrator", "host"]
    candidates = [
        member(i, f"Membre {i}", Link(1, roles[i % 5]), distance_km=float(7 * i)) for i in range(40)
    ]
    full = rank(LOT, candidates, RULES)
    short = rank(LOT, candidates, RULES, explain=10)
    assert [(s.organisation, s.total) for s in short.ranked] == [
        (s.organisation, s.total) for s in full.ranked
    ]
    assert short.ranked[:10] == full.ranked[:10]
    assert all(scored.components == () for scored in short.ranked[10:])


def test_candidates_recorded_as_a_table_come_back_the_same() -> None:
    candidates = [
        member(1, "Un", Link(1, "editor", verified=True, evidence=3), Link(2, "host")),
        member(2, "Deux", ratings_mean=4.5, ratings_count=3, brought_by_client=True),
    ]
    table = candidates_to_columns(candidates)
    assert candidates_from_record(table) == candidates
    # Older records listed one dict per candidate: they still replay.
    assert candidates_from_record([candidate_to_dict(c) for c in candidates]) == candidates
