"""Elections as services: candidates, one secret ballot per associate (who voted is kept
apart from what they voted), approval for one seat, single transferable vote for several."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from guichet.governance.models import Ballot, Candidate, Participation, ProposalStatus, Round
from guichet.governance.services.common import GovernanceError
from guichet.governance.services.positions import ballot_cast, position_take
from guichet.governance.services.proposals import candidate_add, proposal_amend
from guichet.governance.services.proxies import proxy_give
from guichet.governance.services.rounds import positioned_count, rounds_remind
from guichet.governance.tests.factories import (
    associate,
    associates,
    closed,
    discussed,
    election,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def refused(code: str) -> Any:
    return pytest.raises(GovernanceError, match=f"^{code}$")


def candidates_of(item: Any) -> dict[Any, int]:
    return {c.person: c.pk for c in Candidate.objects.filter(proposal=item)}


def test_associates_stand_before_the_election_opens(coordinator: Any) -> None:
    author, standing, put_forward, other = associates(4)
    item = election(author, [standing])

    candidate_add(proposal=item, by=coordinator, person=put_forward, statement="Proposée")
    with refused("not_allowed"):
        candidate_add(proposal=item, by=other, person=author)
    with refused("already_candidate"):
        candidate_add(proposal=item, by=standing, person=standing)
    with refused("candidate_not_associate"):
        candidate_add(proposal=item, by=coordinator, person=coordinator)
    opened(discussed(item))
    with refused("election_started"):
        candidate_add(proposal=item, by=other, person=other)

    assert set(candidates_of(item)) == {standing, put_forward}


def test_an_election_without_candidates_does_not_open(cleared: dict[str, Any]) -> None:
    author = associate()
    item = election(author, [])

    with refused("no_candidates"):
        opened(item)


def test_only_elections_have_candidates_and_ballots(cleared: dict[str, Any]) -> None:
    author, _silent = associates(2)
    item = discussed(proposal(author))
    running = opened(item)

    with refused("not_an_election"):
        candidate_add(proposal=item, by=author, person=author)
    with refused("not_an_election"):
        ballot_cast(round=running, by=author, choices=[1])


def test_an_election_once_open_keeps_its_text(cleared: dict[str, Any]) -> None:
    author = associate()
    item = election(author, [author])
    opened(discussed(item))

    with refused("election_started"):
        proposal_amend(proposal=item, by=author, title="Autre", text="Autre", note="N")


def test_the_ballot_is_secret_who_voted_is_kept_apart(cleared: dict[str, Any]) -> None:
    alice, bruno, voter, _silent = associates(4)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)

    ballot_cast(round=running, by=voter, choices=[ids[bruno]])

    participation = Participation.objects.get(round=running)
    ballot = Ballot.objects.get(round=running)
    assert (participation.person, participation.cast_by) == (voter, voter)
    assert ballot.choices == [ids[bruno]]
    # Nothing links the two: no person on the ballot, no choice and no time on the record.
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    participation_fields = {f.name for f in Participation._meta.get_fields()}
    assert ballot_fields == {"id", "round", "choices"}
    assert participation_fields == {"id", "round", "person", "cast_by"}
    assert not running.positions.exists()


def test_each_vote_shakes_the_ballot_box_so_no_ballot_keeps_a_trace_of_when_it_came(
    cleared: dict[str, Any],
) -> None:
    alice, bruno, first, second, _silent = associates(5)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)

    ballot_cast(round=running, by=first, choices=[ids[alice]])
    key_after_first = Ballot.objects.get(round=running).pk
    ballot_cast(round=running, by=second, choices=[ids[bruno]])

    # Every ballot was written anew with the second vote: the first one's key is gone, so a
    # key (or a row's place, or its transaction) cannot tell the first voter's ballot apart.
    keys = set(Ballot.objects.filter(round=running).values_list("pk", flat=True))
    assert key_after_first not in keys
    assert len(keys) == 2
    assert sorted(Ballot.objects.filter(round=running).values_list("choices", flat=True)) == sorted(
        [[ids[alice]], [ids[bruno]]]
    )


def test_nobody_votes_twice_in_an_election(cleared: dict[str, Any]) -> None:
    alice, bruno, voter, _silent = associates(4)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)
    ballot_cast(round=running, by=voter, choices=[ids[alice]])

    with refused("already_voted"):
        ballot_cast(round=running, by=voter, choices=[ids[bruno]])

    assert Ballot.objects.filter(round=running).count() == 1
    assert Participation.objects.filter(round=running).count() == 1


def test_a_ballot_names_candidates_only_once_each(cleared: dict[str, Any]) -> None:
    alice, voter, outsider = associates(3)
    item = discussed(election(alice, [alice]))
    running = opened(item)
    ids = candidates_of(item)

    with refused("ballot_empty"):
        ballot_cast(round=running, by=voter, choices=[])
    with refused("ballot_invalid"):
        ballot_cast(round=running, by=voter, choices=[ids[alice], ids[alice]])
    with refused("ballot_invalid"):
        ballot_cast(round=running, by=voter, choices=[ids[alice] + 1000])
    with refused("election_needs_ballot"):
        position_take(round=running, by=outsider, value="yes")
    assert not Ballot.objects.exists()


def test_approval_for_one_seat_elects_the_most_approved(cleared: dict[str, Any]) -> None:
    alice, bruno, *voters = associates(6)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)
    ballot_cast(round=running, by=voters[0], choices=[ids[alice], ids[bruno]])
    ballot_cast(round=running, by=voters[1], choices=[ids[bruno]])
    ballot_cast(round=running, by=voters[2], choices=[ids[bruno]])
    ballot_cast(round=running, by=voters[3], choices=[ids[alice]])

    result = closed(running)

    assert (result.adopted, result.reason) == (True, "elected")
    assert result.result["method"] == "approval"
    assert result.result["approvals"] == {str(ids[alice]): 2, str(ids[bruno]): 3}
    assert result.result["elected"] == [str(ids[bruno])]
    assert result.counts == {"ballots": 4}
    assert result.participation == 4
    assert result.proposal.status == ProposalStatus.ADOPTED


def test_a_tie_is_reported_never_settled_by_chance(cleared: dict[str, Any]) -> None:
    alice, bruno, first, second, _silent = associates(5)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)
    ballot_cast(round=running, by=first, choices=[ids[alice]])
    ballot_cast(round=running, by=second, choices=[ids[bruno]])

    result = closed(running)

    assert (result.adopted, result.reason) == (False, "tie")
    assert result.result["elected"] == []
    assert sorted(result.result["tied"]) == sorted([str(ids[alice]), str(ids[bruno])])


def test_stv_fills_several_seats_from_ranked_ballots(cleared: dict[str, Any]) -> None:
    alice, bruno, chloe, *voters = associates(8)
    item = discussed(election(alice, [alice, bruno, chloe], seats=2))
    running = opened(item)
    ids = candidates_of(item)
    a, b, c = ids[alice], ids[bruno], ids[chloe]
    # Droop quota for 5 ballots and 2 seats: 2. Alice is elected at once; her surplus goes to
    # Chloé, who then has 1 + 2/3 against Bruno's 1: Bruno is excluded, Chloé elected.
    for voter, ranking in zip(voters, [[a, c], [a, c], [a, c], [b], [c]], strict=True):
        ballot_cast(round=running, by=voter, choices=ranking)

    result = closed(running)

    assert (result.adopted, result.reason) == (True, "elected")
    assert result.result["method"] == "stv"
    assert result.result["quota"] == 2
    assert result.result["elected"] == [str(a), str(c)]
    assert Ballot.objects.filter(round=running, choices=[a, c]).count() == 3  # ranks kept


def test_an_election_closes_early_once_everyone_has_voted(cleared: dict[str, Any]) -> None:
    alice, bruno = associates(2)
    item = discussed(election(alice, [alice, bruno]))
    running = opened(item)
    ids = candidates_of(item)
    ballot_cast(round=running, by=alice, choices=[ids[alice]])
    assert positioned_count(running) == 1

    ballot_cast(round=running, by=bruno, choices=[ids[alice]])

    running.refresh_from_db()
    assert running.closed_at is not None
    assert running.result["elected"] == [str(ids[alice])]


def test_a_proxy_holder_casts_a_separate_ballot_for_its_giver(cleared: dict[str, Any]) -> None:
    alice, giver, holder, _silent = associates(4)
    item = discussed(election(alice, [alice]))
    proxy_give(giver=giver, holder=holder, proposal=item)
    running = opened(item)
    ids = candidates_of(item)

    ballot_cast(round=running, by=holder, choices=[ids[alice]], on_behalf=giver)
    ballot_cast(round=running, by=holder, choices=[ids[alice]])

    assert set(Participation.objects.filter(round=running).values_list("person", "cast_by")) == {
        (giver.pk, holder.pk),
        (holder.pk, holder.pk),
    }
    with refused("already_voted"):
        ballot_cast(round=running, by=giver, choices=[ids[alice]])
    assert Ballot.objects.filter(round=running).count() == 2


def test_reminders_of_an_election_go_to_those_who_have_not_voted(
    cleared: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    alice, voted, waiting = associates(3)
    item = discussed(election(alice, [alice]))
    running = opened(item)
    ballot_cast(round=running, by=voted, choices=[candidates_of(item)[alice]])
    mail.outbox.clear()

    closes_at = Round.objects.get(pk=running.pk).closes_at
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds_remind(now=closes_at - timedelta(hours=47)) == 1

    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, waiting.email])
