"""Election counts: approval for one seat, STV for several, on known and generated ballots."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.governance.domain.elections import approval_count, droop_quota, stv_count

CANDIDATES = ("Ada", "Bao", "Cyd", "Dia", "Eli")
rankings = st.lists(
    st.lists(st.sampled_from(CANDIDATES), unique=True, max_size=5), min_size=1, max_size=60
)


def test_the_most_approved_wins_and_a_tie_is_reported_not_drawn() -> None:
    ballots = [frozenset({"Ada", "Bao"}), frozenset({"Bao"}), frozenset({"Cyd", "Zed"})]
    result = approval_count(CANDIDATES[:3], ballots)
    assert result.approvals == {"Ada": 1, "Bao": 2, "Cyd": 1}
    assert result.winners == ("Bao",)
    tie = approval_count(("Ada", "Bao"), [frozenset({"Ada"}), frozenset({"Bao"})])
    assert tie.tied
    assert tie.winners == ("Ada", "Bao")


def test_stv_elects_by_quota_and_transfers_the_surplus() -> None:
    # 10 ballots, 2 seats: quota 4. Ada has 6: her surplus of 2 goes on, at 2/6 each, to Cyd.
    ballots = [["Ada", "Cyd"]] * 6 + [["Bao"]] * 3 + [["Cyd"]] * 1
    result = stv_count(CANDIDATES[:3], ballots, seats=2)
    assert result.quota == droop_quota(10, 2) == 4
    assert result.elected[0] == "Ada"
    second = result.rounds[1].votes
    assert second["Cyd"] == Fraction(1) + 6 * Fraction(2, 6)  # 3
    assert second["Bao"] == 3
    # Bao and Cyd tie at 3: the one with fewer votes at the round before (Cyd, 1) is out.
    assert result.rounds[1].excluded == "Cyd"
    assert result.elected == ("Ada", "Bao")


@settings(max_examples=300, deadline=None)
@given(rankings)
def test_a_candidate_with_a_majority_of_first_choices_takes_a_single_seat(
    ballots: list[list[str]],
) -> None:
    firsts = [ballot[0] for ballot in ballots if ballot]
    result = stv_count(CANDIDATES, ballots, seats=1)
    for candidate in CANDIDATES:
        if firsts and firsts.count(candidate) * 2 > len(firsts):
            assert result.elected == (candidate,)


@settings(max_examples=300, deadline=None)
@given(rankings, st.integers(1, 4))
def test_stv_fills_the_seats_once_each_and_no_vote_counts_twice(
    ballots: list[list[str]], seats: int
) -> None:
    result = stv_count(CANDIDATES, ballots, seats=seats)
    valid = sum(1 for ballot in ballots if ballot)
    assert len(set(result.elected)) == len(result.elected) == min(seats, len(CANDIDATES))
    for round_ in result.rounds:
        # Votes of the continuing candidates and the exhausted ballots never exceed the
        # ballots cast (surpluses move on, they are not copied).
        assert sum(round_.votes.values(), Fraction(0)) + round_.exhausted <= valid
