"""Proposing a consortium: fewest members first, then the best total, within a tender's cap."""

import pytest

from guichet.needs.domain.consortium import (
    LOWER_TOTAL,
    MORE_MEMBERS,
    LotOption,
    NoConsortiumError,
    propose,
    suggest_lead,
)


def test_one_member_covering_every_lot_beats_two_better_scored_ones() -> None:
    lots = [
        LotOption(1, 20, {10: 0.9, 30: 0.6}),
        LotOption(2, 10, {20: 0.9, 30: 0.6}),
    ]
    proposal = propose(lots)
    assert proposal.members == (30,)
    assert proposal.assignment == {1: 30, 2: 30}
    assert proposal.lead == 30


def test_among_teams_of_the_same_size_the_best_total_wins() -> None:
    lots = [
        LotOption(1, 20, {10: 0.9, 20: 0.5}),
        LotOption(2, 10, {20: 0.8, 30: 0.9}),
        LotOption(3, 5, {10: 0.7, 30: 0.7}),
    ]
    proposal = propose(lots)
    assert proposal.members == (10, 30)
    # Lot 3 scores the same with either: the smaller id takes it, every time.
    assert proposal.assignment == {1: 10, 2: 30, 3: 10}
    assert proposal.total_score == pytest.approx(2.5)


def test_a_tenders_cap_on_lots_per_bidder_is_respected() -> None:
    lots = [LotOption(lot, 10, {10: 0.9, 20: 0.5}) for lot in (1, 2, 3)]
    assert propose(lots).members == (10,)
    capped = propose(lots, max_lots_per_member=2)
    assert capped.members == (10, 20)
    assert sorted(capped.assignment.values()).count(10) == 2


def test_the_lead_has_the_largest_share_of_person_days() -> None:
    lots = [LotOption(1, 50, {10: 0.5}), LotOption(2, 10, {20: 0.9}), LotOption(3, 10, {20: 0.9})]
    assert propose(lots).lead == 10
    assert suggest_lead({1: 10, 2: 20}, {1: 5, 2: 5}, {(1, 10): 0.4, (2, 20): 0.6}) == 20


def test_equal_teams_always_give_the_same_proposal() -> None:
    lots = [LotOption(1, 10, {20: 0.5, 10: 0.5}), LotOption(2, 10, {20: 0.5, 10: 0.5})]
    assert propose(lots) == propose(list(reversed(lots)))
    assert propose(lots).members == (10,)


def test_a_lot_nobody_may_take_is_named() -> None:
    with pytest.raises(NoConsortiumError) as error:
        propose([LotOption(1, 10, {10: 0.5}), LotOption(2, 10, {})])
    assert error.value.lot == 2


def test_a_cap_that_cannot_be_met_means_no_consortium() -> None:
    lots = [LotOption(lot, 10, {10: 0.9}) for lot in (1, 2)]
    with pytest.raises(NoConsortiumError):
        propose(lots, max_lots_per_member=1)


def test_the_proposal_names_the_larger_better_scored_team_it_was_preferred_to() -> None:
    lots = [
        LotOption(1, 20, {10: 0.9, 30: 0.6}),
        LotOption(2, 10, {20: 0.9, 30: 0.6}),
    ]
    proposal = propose(lots)
    assert proposal.members == (30,)
    alternative = proposal.alternative
    assert alternative is not None
    assert alternative.reason == MORE_MEMBERS
    assert alternative.members == (10, 20)
    assert alternative.assignment == {1: 10, 2: 20}
    assert alternative.total_score == pytest.approx(1.8)


def test_else_the_proposal_names_the_runner_up_of_the_same_size() -> None:
    lots = [LotOption(1, 20, {10: 0.9, 20: 0.7}), LotOption(2, 10, {10: 0.8, 20: 0.6})]
    proposal = propose(lots)
    assert proposal.members == (10,)
    alternative = proposal.alternative
    assert alternative is not None
    assert alternative.reason == LOWER_TOTAL
    assert alternative.members == (20,)
    assert alternative.total_score == pytest.approx(1.3)


def test_no_alternative_when_only_one_team_covers_every_lot() -> None:
    lots = [LotOption(1, 20, {10: 0.9}), LotOption(2, 10, {20: 0.6})]
    assert propose(lots).alternative is None


def test_the_alternative_respects_the_tenders_cap_too() -> None:
    lots = [LotOption(lot, 10, {10: 0.9, 20: 0.5}) for lot in (1, 2, 3)]
    capped = propose(lots, max_lots_per_member=2)
    alternative = capped.alternative
    assert alternative is not None
    assert all(
        list(alternative.assignment.values()).count(member) <= 2 for member in alternative.members
    )
