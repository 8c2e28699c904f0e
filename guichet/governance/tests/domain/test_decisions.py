"""The rules of a decision round, checked on generated electorates and positions."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.governance.domain.decisions import (
    ABSTAIN,
    CONCERN,
    CONSENT,
    EXAMINED,
    INTEGRATED,
    NO,
    NOT_VALID,
    OBJECTION,
    RAISED,
    WITHDRAWN,
    YES,
    Electorate,
    Position,
    Proxy,
    consent_outcome,
    effective_positions,
    objection_move_allowed,
    positions_of,
    proxies_accepted,
    vote_outcome,
)

COLLEGES = ("workers", "users", "supporters")
people = st.lists(st.integers(1, 40), min_size=1, max_size=30, unique=True)


@st.composite
def electorates(draw: st.DrawFn, weighted: bool | None = None) -> Electorate:
    persons = draw(people)
    colleges = {p: draw(st.sampled_from(COLLEGES)) for p in persons}
    weigh = draw(st.booleans()) if weighted is None else weighted
    weights = {c: Fraction(draw(st.integers(1, 5))) for c in COLLEGES} if weigh else None
    return Electorate(
        colleges=colleges,
        weights=weights,
        quorum=Fraction(draw(st.integers(0, 4)), 4),
        max_proxies=draw(st.integers(0, 3)),
    )


@st.composite
def consent_rounds(draw: st.DrawFn) -> tuple[Electorate, list[Position], list[Proxy]]:
    electorate = draw(electorates())
    persons = list(electorate.colleges)
    voters = draw(st.lists(st.sampled_from(persons), unique=True))
    positions = [
        Position(
            voter,
            draw(st.sampled_from([CONSENT, CONCERN, OBJECTION, ABSTAIN])),
            objection_state=draw(st.sampled_from([RAISED, EXAMINED, WITHDRAWN, NOT_VALID])),
        )
        for voter in voters
    ]
    proxies = [
        Proxy(draw(st.sampled_from(persons)), draw(st.sampled_from(persons)))
        for _ in range(draw(st.integers(0, 6)))
    ]
    for proxy in proxies:
        if draw(st.booleans()):
            positions.append(
                Position(proxy.holder, draw(st.sampled_from([CONSENT, OBJECTION])), proxy.giver)
            )
    return electorate, positions, proxies


@settings(max_examples=300, deadline=None)
@given(consent_rounds(), st.data())
def test_adding_a_consent_never_turns_adopted_into_rejected(
    round_: tuple, data: st.DataObject
) -> None:
    electorate, positions, proxies = round_
    before = consent_outcome(positions, electorate, proxies)
    silent = [p for p in electorate.colleges if p not in {q.voter for q in positions}]
    if not silent:
        return
    newcomer = data.draw(st.sampled_from(silent))
    after = consent_outcome([*positions, Position(newcomer, CONSENT)], electorate, proxies)
    assert not (before.adopted and not after.adopted)


@settings(max_examples=300, deadline=None)
@given(consent_rounds())
def test_a_standing_objection_always_prevents_adoption(round_: tuple) -> None:
    electorate, positions, proxies = round_
    taken, _ = effective_positions(positions, proxies, electorate)
    standing = any(
        p.value == OBJECTION and p.objection_state in (RAISED, EXAMINED) for p in taken.values()
    )
    outcome = consent_outcome(positions, electorate, proxies)
    if standing:
        assert not outcome.adopted
    # And the counts add up to the positions that count, overall and per college.
    assert sum(outcome.counts.values()) == outcome.participation == len(taken)
    assert sum(sum(c.values()) for c in outcome.counts_by_college.values()) == len(taken)


@settings(max_examples=300, deadline=None)
@given(consent_rounds())
def test_a_proxy_counts_once_and_never_beyond_the_cap(round_: tuple) -> None:
    electorate, positions, proxies = round_
    taken, refused = effective_positions(positions, proxies, electorate)
    # Nobody counts twice: one position per person of the electorate.
    assert set(taken) <= set(electorate.colleges)
    # A holder carries at most max_proxies others.
    carried: dict[int, int] = {}
    for person, position in taken.items():
        if position.on_behalf is not None:
            assert position.on_behalf == person
            carried[position.voter] = carried.get(position.voter, 0) + 1
    assert all(count <= electorate.max_proxies for count in carried.values())
    # A person's own position always wins over its proxy's.
    own = {p.voter for p in positions if p.on_behalf is None and p.voter in electorate.colleges}
    assert all(taken[person].on_behalf is None for person in own)
    # Every proxy is either accepted or refused, and the refused ones never count.
    accepted, refused_again = proxies_accepted(proxies, electorate)
    assert len(accepted) + len(refused_again) == len(proxies)
    assert refused == refused_again
    for person, position in taken.items():
        if position.on_behalf is not None:
            assert accepted[person] == position.voter


@settings(max_examples=300, deadline=None)
@given(
    electorates(weighted=False),
    st.data(),
    st.sampled_from(["simple", "two_thirds"]),
)
def test_weighting_a_single_college_equals_the_plain_majority(
    electorate: Electorate, data: st.DataObject, threshold: str
) -> None:
    single = Electorate(
        colleges=dict.fromkeys(electorate.colleges, "workers"), quorum=electorate.quorum
    )
    weighted = Electorate(
        colleges=single.colleges, weights={"workers": Fraction(3)}, quorum=electorate.quorum
    )
    voters = data.draw(st.lists(st.sampled_from(list(single.colleges)), unique=True))
    positions = [Position(v, data.draw(st.sampled_from([YES, NO, ABSTAIN]))) for v in voters]
    plain = vote_outcome(positions, single, threshold=threshold)
    by_college = vote_outcome(positions, weighted, threshold=threshold)
    assert plain.adopted == by_college.adopted
    assert plain.counts == by_college.counts


def test_an_objection_declared_not_valid_no_longer_blocks() -> None:
    electorate = Electorate(colleges={1: "workers", 2: "workers", 3: "users"})
    objection = Position(3, OBJECTION)
    assert consent_outcome([Position(1, CONSENT), objection], electorate).reason == (
        "objection_standing"
    )
    settled = Position(3, OBJECTION, objection_state=NOT_VALID)
    assert consent_outcome([Position(1, CONSENT), settled], electorate).adopted
    # Abstaining and concerns never block.
    assert consent_outcome([Position(1, ABSTAIN), Position(2, CONCERN)], electorate).adopted


def test_objections_move_only_along_their_path() -> None:
    assert objection_move_allowed(RAISED, EXAMINED)
    assert objection_move_allowed(EXAMINED, INTEGRATED)
    assert objection_move_allowed(EXAMINED, NOT_VALID)
    assert not objection_move_allowed(RAISED, NOT_VALID)  # examined first, by a facilitator
    assert not objection_move_allowed(WITHDRAWN, RAISED)


def test_colleges_count_within_themselves_first_then_weigh() -> None:
    # Workers (weight 1) all say yes; users (weight 1): 1 yes for 3 no. 1/2 + 1/8 = 5/8 yes.
    colleges = {1: "workers", 2: "users", 3: "users", 4: "users", 5: "users"}
    electorate = Electorate(
        colleges=colleges, weights={"workers": Fraction(1), "users": Fraction(1)}
    )
    positions = [
        Position(1, YES),
        Position(2, YES),
        Position(3, NO),
        Position(4, NO),
        Position(5, NO),
    ]
    weighted = vote_outcome(positions, electorate)
    assert weighted.adopted  # 5/8 of the weighted votes
    plain = vote_outcome(positions, Electorate(colleges=colleges))
    assert not plain.adopted  # 2 yes for 3 no


def test_the_quorum_per_college_must_be_met() -> None:
    colleges = {1: "workers", 2: "users", 3: "users"}
    electorate = Electorate(colleges=colleges, college_quorum={"users": Fraction(1, 2)})
    assert vote_outcome([Position(1, YES)], electorate).reason == "quorum_not_met"
    assert vote_outcome([Position(1, YES), Position(2, NO)], electorate).reason == (
        "majority_not_reached"
    )


def test_two_thirds_is_reached_at_exactly_two_thirds() -> None:
    electorate = Electorate(colleges={1: "a", 2: "a", 3: "a"})
    positions = [Position(1, YES), Position(2, YES), Position(3, NO)]
    assert vote_outcome(positions, electorate, threshold="two_thirds").adopted
    assert vote_outcome(positions, electorate, threshold="simple").adopted


@st.composite
def vote_rounds(draw: st.DrawFn) -> tuple[Electorate, list[Position], list[Proxy]]:
    """A majority vote: own positions, proxies (some beyond the cap or invalid), and
    positions taken on behalf of givers, whether or not the proxy is accepted."""
    electorate = draw(electorates())
    persons = list(electorate.colleges)
    outsiders = [100, 101]  # not in the electorate
    voters = draw(st.lists(st.sampled_from(persons + outsiders), unique=True))
    positions = [Position(voter, draw(st.sampled_from([YES, NO, ABSTAIN]))) for voter in voters]
    proxies = [
        Proxy(draw(st.sampled_from(persons + outsiders)), draw(st.sampled_from(persons)))
        for _ in range(draw(st.integers(0, 8)))
    ]
    for proxy in proxies:
        if draw(st.booleans()):
            value = draw(st.sampled_from([YES, NO, ABSTAIN]))
            positions.append(Position(proxy.holder, value, proxy.giver))
    return electorate, draw(st.permutations(positions)), proxies


def expected_counts(
    electorate: Electorate, positions: list[Position], proxies: list[Proxy]
) -> Counter[str]:
    """The counts written out the long way: for each person of the electorate, their own
    last position, else the last one taken for them by the holder of their accepted proxy."""
    accepted, _refused = proxies_accepted(proxies, electorate)
    counts: Counter[str] = Counter()
    for person in electorate.colleges:
        own = [p for p in positions if p.voter == person and p.on_behalf is None]
        delegated = [
            p for p in positions if p.on_behalf == person and accepted.get(person) == p.voter
        ]
        if own:
            counts[own[-1].value] += 1
        elif delegated:
            counts[delegated[-1].value] += 1
    return counts


@settings(max_examples=300, deadline=None)
@given(vote_rounds(), st.sampled_from(["simple", "two_thirds"]))
def test_each_person_counts_exactly_once_whether_in_person_or_by_proxy(
    round_: tuple, threshold: str
) -> None:
    electorate, positions, proxies = round_

    outcome = vote_outcome(positions, electorate, proxies, threshold=threshold)

    assert {k: v for k, v in outcome.counts.items() if v} == dict(
        expected_counts(electorate, positions, proxies)
    )
    # Counts add up to the positions taken, overall and per college.
    assert sum(outcome.counts.values()) == outcome.participation
    assert sum(sum(c.values()) for c in outcome.counts_by_college.values()) == (
        outcome.participation
    )
    for college, counts in outcome.counts_by_college.items():
        members = [p for p, c in electorate.colleges.items() if c == college]
        assert sum(counts.values()) <= len(members)


@settings(max_examples=300, deadline=None)
@given(vote_rounds())
def test_no_holder_carries_more_proxies_than_the_cap(round_: tuple) -> None:
    electorate, _positions, proxies = round_

    accepted, refused = proxies_accepted(proxies, electorate)

    held = Counter(accepted.values())
    assert all(count <= electorate.max_proxies for count in held.values())
    assert all(giver in electorate.colleges for giver in accepted)
    assert not set(accepted.values()) & {p.giver for p in proxies}  # no chain of proxies
    assert len(accepted) + len(refused) == len(proxies)


@settings(max_examples=300, deadline=None)
@given(consent_rounds(), st.data())
def test_turning_any_position_into_a_consent_never_turns_adopted_into_rejected(
    round_: tuple, data: st.DataObject
) -> None:
    electorate, positions, proxies = round_
    if not positions:
        return
    before = consent_outcome(positions, electorate, proxies)
    at = data.draw(st.integers(0, len(positions) - 1))
    changed = list(positions)
    changed[at] = Position(positions[at].voter, CONSENT, positions[at].on_behalf)

    after = consent_outcome(changed, electorate, proxies)

    assert not (before.adopted and not after.adopted)
    assert after.participation == before.participation


def test_a_consent_round_takes_four_positions_and_a_vote_three() -> None:
    assert positions_of("consent") == ("consent", "concern", "objection", "abstain")
    assert positions_of("majority") == ("yes", "no", "abstain")
