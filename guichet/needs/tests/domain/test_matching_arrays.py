"""The array engine against the readable one, without a database: whatever the network, the
same order, totals, explanations and exclusions (members rely on one set of rules)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.needs.domain.commitments import Commitment, committed_per_month
from guichet.needs.domain.matching import (
    DEFAULT_ROLE_WEIGHTS,
    Candidate,
    Link,
    LotNeed,
    Rules,
    SoftwareRef,
    rank,
    ranking_to_dict,
)
from guichet.needs.domain.matching_arrays import (
    ROLES,
    LotInputs,
    NetworkIndex,
    Place,
    _distances,
    explain,
    ordered_as_record,
    ordered_pack,
    ordered_unpack,
    rank_index,
)
from guichet.needs.domain.satisfaction import Rating, ratings_for_lot
from guichet.network.domain.geo import Point, distance_km

VERIFIED_AT = 1_000.0  # links verified at this instant; verifications after 500 count
SOFTWARE = (SoftwareRef(1, "Nextcloud"), SoftwareRef(2, "Collabora Online"))


def index_of(candidates: Sequence[Candidate], places: Mapping[int, Place | None]) -> NetworkIndex:
    """An index holding exactly these candidates."""
    ordered = sorted(candidates, key=lambda candidate: candidate.organisation)
    links = sorted(
        (link.software, row, ROLES.index(link.role), link.verified, link.evidence)
        for row, candidate in enumerate(ordered)
        for link in candidate.links
    )

    def coordinate(candidate: Candidate, which: str) -> float:
        place = places.get(candidate.organisation)
        return float(getattr(place, which)) if place else math.nan

    def column(values: list[Any], dtype: Any = np.float64) -> np.ndarray:
        return np.array(values, dtype=dtype)

    return NetworkIndex(
        organisation=column([c.organisation for c in ordered], np.int64),
        names=[c.name for c in ordered],
        is_member=column([c.is_member for c in ordered], bool),
        signed=column([c.signed_current_charter for c in ordered], bool),
        capacity=column([c.capacity_days for c in ordered]),
        latitude=column([coordinate(c, "latitude") for c in ordered]),
        longitude=column([coordinate(c, "longitude") for c in ordered]),
        recent=column([c.recent_days for c in ordered]),
        ratings_count=column([c.ratings_count for c in ordered]),
        ratings_mean=column(
            [math.nan if c.ratings_mean is None else c.ratings_mean for c in ordered]
        ),
        link_software=column([link[0] for link in links], np.int64),
        link_row=column([link[1] for link in links], np.int64),
        link_role=column([link[2] for link in links], np.int8),
        link_verified_at=column([VERIFIED_AT if link[3] else math.nan for link in links]),
        link_evidence=column([link[4] for link in links], np.int64),
    )


places = st.one_of(
    st.none(),
    st.builds(Place, st.floats(41.0, 51.0), st.floats(-5.0, 9.0)),
)
links = st.lists(
    st.builds(
        Link,
        st.sampled_from([software.id for software in SOFTWARE]),
        st.sampled_from(list(DEFAULT_ROLE_WEIGHTS)),
        st.booleans(),
        st.integers(0, 3),
    ),
    max_size=3,
    unique_by=lambda link: (link.software, link.role),
)
candidates = st.lists(
    st.tuples(
        st.builds(
            Candidate,
            organisation=st.integers(1, 60),
            name=st.sampled_from(["Alpha", "alpha", "Bêta", "Gamma", "Delta"]),
            links=links.map(tuple),
            capacity_days=st.sampled_from([0.0, 2.5, 10.0, 40.0]),
            ratings_count=st.integers(0, 8),
            ratings_mean=st.one_of(st.none(), st.floats(1.0, 5.0)),
            recent_days=st.sampled_from([0.0, 12.5, 40.0, 300.0]),
            is_member=st.booleans(),
            signed_current_charter=st.booleans(),
        ),
        places,
    ),
    max_size=25,
    unique_by=lambda pair: pair[0].organisation,
)
lots = st.builds(
    LotNeed,
    software=st.sampled_from([(), SOFTWARE[:1], SOFTWARE]),
    person_days=st.sampled_from([0.0, 5.0, 30.0, 120.0]),
    on_site=st.booleans(),
    has_place=st.booleans(),
    months=st.one_of(st.none(), st.sampled_from([0.5, 2.0, 6.0])),
    client_organisation=st.one_of(st.none(), st.integers(1, 60)),
    declined=st.frozensets(st.integers(1, 60), max_size=5),
)


@settings(max_examples=200, deadline=None)
@given(lots, candidates, places, st.frozensets(st.integers(1, 60), max_size=3))
def test_both_engines_rank_alike(
    need: LotNeed,
    pairs: list[tuple[Candidate, Place | None]],
    place: Place | None,
    brought: frozenset[int],
) -> None:
    place = place if need.has_place else None
    by_id = {candidate.organisation: location for candidate, location in pairs}
    index = index_of([candidate for candidate, _ in pairs], by_id)
    inputs = LotInputs(need, place, brought, verified_after=500.0)
    # The readable engine's candidates, as the selector reads them: linked members, or
    # every member when the lot names no software, and those brought.
    software = {item.id for item in need.software}
    considered = []
    for candidate, location in pairs:
        linked = not software or any(link.software in software for link in candidate.links)
        is_brought = candidate.organisation in brought
        if not ((candidate.is_member and linked) or is_brought):
            continue
        distance = None
        if place is not None and location is not None:
            row = index.row_of[candidate.organisation]
            distance = float(_distances(index, np.array([row]), place)[0])
        considered.append(
            replace(
                candidate,
                links=tuple(link for link in candidate.links if link.software in software),
                distance_km=distance,
                brought_by_client=is_brought,
            )
        )
    rules = Rules(onsite_radius_km=300.0)
    expected = rank(need, considered, rules, explain=4)
    ordered = rank_index(index, inputs, rules)
    assert ranking_to_dict(explain(index, inputs, rules, ordered, 4)) == ranking_to_dict(expected)


@given(st.floats(41.0, 51.0), st.floats(-5.0, 9.0), st.floats(41.0, 51.0), st.floats(-5.0, 9.0))
def test_distances_are_the_networks_own(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    index = index_of([Candidate(1, "A")], {1: Place(lat2, lon2)})
    found = _distances(index, np.array([0]), Place(lat1, lon1))[0]
    assert found == pytest.approx(distance_km(Point(lat1, lon1), Point(lat2, lon2)), abs=1e-3)


def test_an_index_and_a_ranking_record_survive_packing() -> None:
    pairs = [
        Candidate(
            3,
            "Trois",
            (Link(1, "editor", True, 2),),
            capacity_days=10,
            ratings_count=4,
            ratings_mean=4.5,
        ),
        Candidate(7, "Sept", (Link(1, "host"),), recent_days=30, signed_current_charter=False),
    ]
    index = index_of(pairs, {3: Place(45.76, 4.84), 7: None})
    again = NetworkIndex.unpack(index.pack())
    for name in NetworkIndex.ARRAYS:
        np.testing.assert_array_equal(getattr(again, name), getattr(index, name))
    assert again.names == index.names
    assert again.software_slices == index.software_slices == {1: (0, 2)}
    inputs = LotInputs(LotNeed(SOFTWARE[:1], 10), Place(45.0, 5.0), frozenset(), 500.0)
    assert LotInputs.from_dict(inputs.to_dict()) == inputs
    ordered = rank_index(again, inputs, Rules())
    assert ordered_unpack(ordered_pack(ordered, again)) == ordered_as_record(ordered, again)
    assert ordered_as_record(ordered, again) == {
        "ranked": [3],
        "totals": [ordered.totals[0]],
        "excluded": [7],  # has not signed the current charter
    }


# Ratings per software: a member's evaluations on the lot's software count first.
def with_ratings(index: NetworkIndex, ratings: Sequence[Rating]) -> NetworkIndex:
    """The index with these ratings, built as the network index builds them."""
    kept = sorted(
        (rating for rating in ratings if rating.organisation in index.row_of),
        key=lambda rating: rating.organisation,
    )
    count, mean = np.zeros(len(index.organisation)), np.full(len(index.organisation), math.nan)
    for pk, rated in ratings_for_lot(kept, []).items():
        count[index.row_of[pk]], mean[index.row_of[pk]] = rated.count, rated.mean
    pairs = [(at, software) for at, rating in enumerate(kept) for software in rating.software]
    return replace(
        index,
        ratings_count=count,
        ratings_mean=mean,
        rating_row=np.array([index.row_of[r.organisation] for r in kept], dtype=np.int64),
        rating_score=np.array([r.score for r in kept], dtype=np.float64),
        rating_pair=np.array([at for at, _ in pairs], dtype=np.int64),
        rating_software=np.array([software for _, software in pairs], dtype=np.int64),
    )


ratings = st.lists(
    st.builds(
        Rating,
        organisation=st.integers(1, 60),
        score=st.sampled_from([1.0, 2.25, 3.5, 4.75, 5.0]),
        software=st.frozensets(st.sampled_from([1, 2, 3]), max_size=2),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(lots, candidates, ratings)
def test_both_engines_read_the_ratings_of_the_lots_software_alike(
    need: LotNeed, pairs: list[tuple[Candidate, Place | None]], given_ratings: list[Rating]
) -> None:
    members = [replace(candidate, is_member=True) for candidate, _ in pairs]
    index = with_ratings(index_of(members, {}), given_ratings)
    inputs = LotInputs(need, None, frozenset(), verified_after=500.0)
    software = {item.id for item in need.software}
    rated = ratings_for_lot(
        [rating for rating in given_ratings if rating.organisation in index.row_of], software
    )
    considered = []
    for candidate in members:
        if software and not any(link.software in software for link in candidate.links):
            continue
        found = rated.get(candidate.organisation)
        considered.append(
            replace(
                candidate,
                links=tuple(link for link in candidate.links if link.software in software),
                ratings_count=found.count if found else 0,
                ratings_mean=found.mean if found else None,
                ratings_on_software=found.on_software if found else False,
            )
        )
    rules = Rules()
    expected = rank(need, considered, rules, explain=None)
    ordered = rank_index(index, inputs, rules)
    assert ranking_to_dict(explain(index, inputs, rules, ordered, None)) == ranking_to_dict(
        expected
    )


# Committed days: what members' missions already take over the lot's period.
def with_commitments(index: NetworkIndex, commitments: Sequence[Commitment]) -> NetworkIndex:
    """The index with these commitments, ordered as the network index orders them."""
    kept = sorted(
        (item for item in commitments if item.organisation in index.row_of),
        key=lambda item: (item.organisation, item.first, item.last, item.days),
    )
    return replace(
        index,
        commitment_row=np.array([index.row_of[c.organisation] for c in kept], dtype=np.int64),
        commitment_days=np.array([c.days for c in kept], dtype=np.float64),
        commitment_first=np.array([c.first for c in kept], dtype=np.int64),
        commitment_last=np.array([c.last for c in kept], dtype=np.int64),
    )


DAY = 740_000  # an ordinal day (in 2027)
commitments = st.lists(
    st.builds(
        lambda organisation, days, first, length: Commitment(
            organisation, days, DAY + first, DAY + first + length
        ),
        organisation=st.integers(1, 60),
        days=st.sampled_from([0.5, 3.0, 12.5, 40.0, 100.0]),
        first=st.integers(-30, 200),
        length=st.integers(1, 150),
    ),
    max_size=30,
)
periods = st.one_of(
    st.none(),
    st.tuples(st.integers(-10, 120), st.integers(1, 200)).map(
        lambda pair: (DAY + pair[0], DAY + pair[0] + pair[1])
    ),
)


@settings(max_examples=150, deadline=None)
@given(lots, candidates, commitments, periods)
def test_both_engines_count_committed_days_alike(
    need: LotNeed,
    pairs: list[tuple[Candidate, Place | None]],
    given_commitments: list[Commitment],
    period: tuple[int, int] | None,
) -> None:
    members = [replace(candidate, is_member=True) for candidate, _ in pairs]
    index = with_commitments(index_of(members, {}), given_commitments)
    inputs = LotInputs(need, None, frozenset(), verified_after=500.0, period=period)
    software = {item.id for item in need.software}
    ordered_commitments = sorted(
        given_commitments, key=lambda item: (item.organisation, item.first, item.last, item.days)
    )
    committed = committed_per_month(ordered_commitments, period) if period else {}
    considered = [
        replace(
            candidate,
            links=tuple(link for link in candidate.links if link.software in software),
            committed_days=committed.get(candidate.organisation, 0.0),
        )
        for candidate in members
        if not software or any(link.software in software for link in candidate.links)
    ]
    rules = Rules()
    expected = rank(need, considered, rules, explain=None)
    ordered = rank_index(index, inputs, rules)
    assert ranking_to_dict(explain(index, inputs, rules, ordered, None)) == ranking_to_dict(
        expected
    )


def test_a_member_booked_by_its_missions_ranks_lower_in_both_engines() -> None:
    free = Candidate(1, "Libre", (Link(1, "editor"),), capacity_days=20.0)
    booked = Candidate(2, "Aa occupé", (Link(1, "editor"),), capacity_days=20.0)
    need = LotNeed(software=SOFTWARE[:1], person_days=40.0, months=2.0)
    period = (DAY, DAY + 38)
    # 25 days over the lot's 38 days: twenty days a month, its whole capacity.
    index = with_commitments(index_of([free, booked], {}), [Commitment(2, 25.0, DAY, DAY + 38)])
    inputs = LotInputs(need, None, frozenset(), verified_after=500.0, period=period)
    ranking = explain(index, inputs, Rules(), rank_index(index, inputs, Rules()), None)
    assert [scored.name for scored in ranking.ranked] == ["Libre", "Aa occupé"]
    capacity = ranking.ranked[1].component("capacity")
    assert capacity.value == 0.0
    assert capacity.reason.params == {
        "available": 0.0,
        "needed": 20.0,
        "capacity": 20.0,
        "committed": 20.0,
    }
    # A ranking recorded before commitments were counted (no period) replays as it was.
    again = LotInputs.from_dict({**inputs.to_dict(), "period": None})
    assert (
        rank_index(index, again, Rules()).totals[0]
        == rank_index(index_of([free, booked], {}), inputs, Rules()).totals[0]
    )
    old = explain(index, again, Rules(), rank_index(index, again, Rules()), None)
    assert [scored.name for scored in old.ranked] == ["Aa occupé", "Libre"]


def test_an_index_with_commitments_survives_packing() -> None:
    index = with_commitments(
        index_of([Candidate(1, "A"), Candidate(2, "B")], {}),
        [Commitment(2, 12.5, DAY, DAY + 30), Commitment(1, 3.0, DAY + 5, DAY + 9)],
    )
    back = NetworkIndex.unpack(index.pack())
    for name in ("commitment_row", "commitment_days", "commitment_first", "commitment_last"):
        assert np.array_equal(getattr(back, name), getattr(index, name))
