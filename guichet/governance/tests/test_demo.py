"""The governance demo: a decision at every stage, made once however often the demo loads."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.core.models import AuditEntry
from guichet.governance import demo as governance_demo
from guichet.governance.demo import (
    ADOPTED_TITLE,
    DISCUSSION_TITLE,
    ELECTION_TITLE,
    OPEN_TITLE,
    REJECTED_TITLE,
)
from guichet.governance.models import (
    Ballot,
    DecisionMode,
    ObjectionState,
    Position,
    Proposal,
    ProposalStatus,
    Proxy,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_decision_at_every_stage(demo: dict[str, Any]) -> None:
    discussion = Proposal.objects.get(title=DISCUSSION_TITLE)
    running = Proposal.objects.get(title=OPEN_TITLE)
    adopted = Proposal.objects.get(title=ADOPTED_TITLE)
    rejected = Proposal.objects.get(title=REJECTED_TITLE)
    election = Proposal.objects.get(title=ELECTION_TITLE)

    assert discussion.status == ProposalStatus.DISCUSSION
    assert discussion.comments.count() >= 2
    assert running.status == ProposalStatus.VOTING
    open_round = running.rounds.get(closed_at__isnull=True)
    values = set(open_round.positions.values_list("value", flat=True))
    assert {"consent", "concern", "objection"} <= values
    assert open_round.positions.filter(objection_state=ObjectionState.RAISED).exists()
    assert Proxy.objects.filter(proposal=running, holder=demo["associate"]).exists()
    # The two demo logins have a position to take.
    assert not open_round.positions.filter(
        person__in=[demo["associate"], demo["coordinator"]]
    ).exists()
    assert adopted.status == ProposalStatus.ADOPTED
    assert adopted.versions.count() == 2
    assert adopted.outcome_statement
    first, second = adopted.rounds.order_by("number")
    assert first.reason == "superseded"
    assert (second.adopted, second.reason) == (True, "consent")
    assert second.positions.count() >= 10
    assert second.positions.filter(objection_state=ObjectionState.NOT_VALID).exists()
    assert (rejected.mode, rejected.status) == (DecisionMode.MAJORITY, ProposalStatus.REJECTED)
    assert rejected.rounds.get().reason == "majority_not_reached"
    assert election.status == ProposalStatus.ADOPTED
    assert election.rounds.get().result["method"] == "approval"
    assert len(election.rounds.get().result["elected"]) == 1
    assert Ballot.objects.filter(round__proposal=election).exists()


def test_decided_rounds_closed_in_the_past_in_order(demo: dict[str, Any]) -> None:
    for title in (ADOPTED_TITLE, REJECTED_TITLE, ELECTION_TITLE):
        proposal = Proposal.objects.get(title=title)
        decided = proposal.rounds.order_by("number").last()
        assert decided is not None
        assert proposal.created_at < proposal.discussion_ends_at <= decided.opened_at
        assert decided.opened_at < decided.closes_at <= decided.closed_at
        assert proposal.decided_at == decided.closed_at
        taken = Position.objects.filter(round=decided).values_list("taken_at", flat=True)
        assert all(decided.opened_at <= when <= decided.closes_at for when in taken)
    references = list(Proposal.objects.order_by("created_at").values_list("reference", flat=True))
    assert references == sorted(references)


def test_loading_the_governance_demo_again_changes_nothing(demo: dict[str, Any]) -> None:
    proposals = Proposal.objects.count()
    positions = Position.objects.count()
    audit = AuditEntry.objects.count()

    assert governance_demo.load() == []

    assert (Proposal.objects.count(), Position.objects.count()) == (proposals, positions)
    assert AuditEntry.objects.count() == audit
