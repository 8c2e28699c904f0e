"""Rounds as services: opened on the latest version for the associates of the moment, closed
by the software at their deadline (or early, once everyone has spoken), once and only once,
with the outcome the rules give: consent, majority, colleges and quorums."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from guichet.accounts.models import Role, RoleGrant
from guichet.core.models import AuditEntry
from guichet.governance import effects
from guichet.governance.models import (
    CollegeRule,
    DecisionMode,
    ProposalStatus,
    Round,
    Threshold,
)
from guichet.governance.services.common import GovernanceError, statutes_current
from guichet.governance.services.positions import (
    objection_examine,
    objection_withdraw,
    position_take,
)
from guichet.governance.services.proposals import proposal_amend
from guichet.governance.services.proxies import proxy_give, proxy_revoke
from guichet.governance.services.rounds import round_close, rounds_close_due
from guichet.governance.tests.factories import (
    after_deadline,
    associate,
    associates,
    closed,
    college,
    discussed,
    make_associate,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def refused(code: str) -> Any:
    return pytest.raises(GovernanceError, match=f"^{code}$")


def objection(round_: Round, by: Any) -> Any:
    return position_take(
        round=round_,
        by=by,
        value="objection",
        comment="Cela nuirait aux projets amont.",
        change_requested="Plafonner le montant.",
    )


def close_entries(item: Any) -> int:
    return AuditEntry.objects.filter(action="round.close", object_id=str(item.pk)).count()


# --- Opening ---------------------------------------------------------------------------------


def test_a_round_opens_on_the_latest_version_for_every_associate_of_the_moment(
    cleared: dict[str, Any],
) -> None:
    author = associate("fondateurs")
    others = associates(2, "partenaires")
    cleared["client"].is_active = False
    make_associate(cleared["client"], "partenaires")
    cleared["client"].save()
    item = discussed(proposal(author))

    running = opened(item)

    assert running.number == 1
    assert running.version == item.versions.get()
    assert running.electorate == {
        str(author.pk): "fondateurs",
        **{str(other.pk): "partenaires" for other in others},
    }  # the inactive account is left out
    item.refresh_from_db()
    assert item.status == ProposalStatus.VOTING
    assert AuditEntry.objects.filter(action="round.open", object_id=str(item.pk)).exists()


def test_only_the_author_or_a_coordinator_opens_a_round(coordinator: Any) -> None:
    author, other = associates(2)
    item = proposal(author)

    with refused("not_the_author"):
        opened(item, by=other)
    assert opened(item, by=coordinator).number == 1
    with refused("round_already_open"):
        opened(item)


def test_a_round_lasts_between_one_and_sixty_days(cleared: dict[str, Any]) -> None:
    item = proposal(associate())

    with refused("round_days_out_of_range"):
        opened(item, days=0)
    with refused("round_days_out_of_range"):
        opened(item, days=61)


def test_a_round_never_closes_before_the_discussion_period_has_run(
    cleared: dict[str, Any],
) -> None:
    author, voter = associates(2)
    item = proposal(author)  # seven days of discussion

    running = opened(item, days=1)

    assert running.closes_at == item.discussion_ends_at
    position_take(round=running, by=author, value="consent")
    position_take(round=running, by=voter, value="consent")
    running.refresh_from_db()
    assert running.closed_at is None  # everyone has spoken, but the discussion runs on
    with refused("discussion_not_over"):
        round_close(round=running, now=timezone.now() + timedelta(days=2), early=True)
    assert rounds_close_due(now=timezone.now() + timedelta(days=2)) == 0
    # Once the discussion has run, the complete round closes at the next pass.
    assert rounds_close_due(now=item.discussion_ends_at + timedelta(seconds=1)) == 1
    running.refresh_from_db()
    assert running.adopted is True


def test_after_the_discussion_a_round_lasts_the_days_asked(cleared: dict[str, Any]) -> None:
    item = discussed(proposal(associate()))

    running = opened(item, days=3)

    assert running.closes_at - running.opened_at == pytest.approx(
        timedelta(days=3), abs=timedelta(seconds=5)
    )


def test_a_round_does_not_close_before_its_deadline(cleared: dict[str, Any]) -> None:
    author, _silent = associates(2)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")

    with refused("round_not_due"):
        round_close(round=running, now=running.closes_at - timedelta(minutes=1))
    with refused("round_not_due"):
        round_close(round=running, early=True)  # not everyone has spoken
    assert rounds_close_due(now=running.closes_at - timedelta(minutes=1)) == 0
    running.refresh_from_db()
    assert running.closed_at is None


# --- The electorate --------------------------------------------------------------------------


def test_who_becomes_an_associate_after_the_opening_takes_no_position_in_it(
    cleared: dict[str, Any],
) -> None:
    author = associate()
    running = opened(discussed(proposal(author)))
    newcomer = make_associate(cleared["member"])

    with refused("not_in_electorate"):
        position_take(round=running, by=newcomer, value="consent")
    with refused("not_in_electorate"):
        position_take(round=running, by=cleared["client"], value="consent")
    assert not running.positions.exists()


def test_the_electorate_stays_as_it_was_at_the_opening(cleared: dict[str, Any]) -> None:
    author, leaving = associates(2)
    running = opened(discussed(proposal(author)))
    RoleGrant.objects.filter(user=leaving, role=Role.ASSOCIATE).delete()
    make_associate(cleared["member"])

    position_take(round=running, by=leaving, value="objection", comment="Non", change_requested="X")
    result = closed(running)

    assert result.electorate_size == 2
    assert (result.adopted, result.reason) == (False, "objection_standing")


# --- Closing early, once, late ---------------------------------------------------------------


def test_a_round_closes_early_once_every_associate_has_positioned(
    cleared: dict[str, Any],
) -> None:
    author, first, last = associates(3)
    item = discussed(proposal(author))
    running = opened(item)
    position_take(round=running, by=author, value="consent")
    position_take(round=running, by=first, value="abstain")
    running.refresh_from_db()
    assert running.closed_at is None

    position_take(round=running, by=last, value="concern", comment="Le calendrier est serré.")

    running.refresh_from_db()
    item.refresh_from_db()
    assert running.closed_at is not None
    assert running.closed_at < running.closes_at
    assert (running.adopted, running.reason) == (True, "consent")
    assert running.counts == {"consent": 1, "concern": 1, "objection": 0, "abstain": 1}
    assert running.participation == 3
    assert item.status == ProposalStatus.ADOPTED
    assert item.decided_at == running.closed_at
    with refused("round_closed"):
        position_take(round=running, by=author, value="abstain")


def test_closing_twice_decides_once(cleared: dict[str, Any], django_capture_on_commit_callbacks):
    author, voter = associates(2)
    item = discussed(proposal(author))
    running = opened(item)
    position_take(round=running, by=voter, value="consent")
    mail.outbox.clear()
    when = after_deadline(running)

    with django_capture_on_commit_callbacks(execute=True):
        first = round_close(round=running, now=when)
        again = round_close(round=running, now=when + timedelta(hours=1))

    assert again.closed_at == first.closed_at == when
    assert again.adopted is True
    assert close_entries(item) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.email, voter.email])


def test_the_periodic_close_run_twice_decides_once(
    cleared: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    author, voter = associates(2)
    item = discussed(proposal(author))
    running = opened(item)
    position_take(round=running, by=voter, value="consent")
    mail.outbox.clear()
    when = after_deadline(running)

    with django_capture_on_commit_callbacks(execute=True):
        first = rounds_close_due(now=when)
        second = rounds_close_due(now=when)
        third = rounds_close_due(now=when + timedelta(days=1))

    assert (first, second, third) == (1, 0, 0)
    assert close_entries(item) == 1
    outcome_mails = [m for m in mail.outbox if item.reference in m.subject]
    assert sorted(m.to[0] for m in outcome_mails) == sorted([author.email, voter.email])


def test_a_round_closed_days_late_is_decided_on_the_positions_taken_in_time(
    cleared: dict[str, Any],
) -> None:
    author, voter, late = associates(3)
    item = discussed(proposal(author))
    running = opened(item, days=2)
    position_take(round=running, by=voter, value="consent")
    Round.objects.filter(pk=running.pk).update(closes_at=timezone.now() - timedelta(days=3))

    with refused("round_past_deadline"):
        position_take(round=running, by=late, value="objection", comment="N", change_requested="C")
    assert rounds_close_due() == 1

    running.refresh_from_db()
    item.refresh_from_db()
    assert (running.adopted, running.reason, running.participation) == (True, "consent", 1)
    assert running.closed_at > running.closes_at + timedelta(days=2)
    assert item.status == ProposalStatus.ADOPTED


def test_a_round_closed_late_counts_the_proxies_in_force_at_its_deadline(
    cleared: dict[str, Any],
) -> None:
    author, giver, holder, _silent = associates(4)
    item = discussed(proposal(author))
    proxy = proxy_give(giver=giver, holder=holder, proposal=item)
    running = opened(item, days=2)
    position_take(round=running, by=holder, value="consent")
    position_take(round=running, by=holder, value="consent", on_behalf=giver)
    Round.objects.filter(pk=running.pk).update(closes_at=timezone.now() - timedelta(days=1))

    # Revoked after the deadline, before the late close: it was in force when it mattered.
    proxy_revoke(proxy=proxy, by=giver)
    assert rounds_close_due() == 1

    running.refresh_from_db()
    assert running.participation == 2
    assert running.counts["consent"] == 2
    assert [entry["accepted"] for entry in running.proxy_register] == [True]


def test_one_round_that_cannot_close_does_not_hold_the_others_back(
    cleared: dict[str, Any],
) -> None:
    author = associate()
    stuck = opened(discussed(proposal(author, title="Bloquée")))
    due = opened(discussed(proposal(author, title="Due")))
    # An inconsistent row (edited by hand): due, yet its discussion runs on.
    stuck.proposal.__class__.objects.filter(pk=stuck.proposal_id).update(
        discussion_ends_at=timezone.now() + timedelta(days=30)
    )

    assert rounds_close_due(now=after_deadline(due)) == 1

    due.refresh_from_db()
    stuck.refresh_from_db()
    assert due.closed_at is not None
    assert stuck.closed_at is None


# --- Consent ---------------------------------------------------------------------------------


def test_one_standing_objection_blocks_consent(cleared: dict[str, Any]) -> None:
    author, *others, objector = associates(5)
    running = opened(discussed(proposal(author)))
    for person in others:
        position_take(round=running, by=person, value="consent")
    objection(running, objector)

    result = closed(running)

    assert (result.adopted, result.reason) == (False, "objection_standing")
    assert result.counts == {"consent": 3, "concern": 0, "objection": 1, "abstain": 0}
    assert result.proposal.status == ProposalStatus.REJECTED


def test_with_everyone_positioned_a_standing_objection_keeps_the_round_open_to_be_answered(
    cleared: dict[str, Any],
) -> None:
    author, objector = associates(2)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")
    raised = objection(running, objector)  # the last position: everyone has spoken

    running.refresh_from_db()
    assert running.closed_at is None  # not rejected on the spot: it can still be answered
    objection_withdraw(position=raised, by=objector)

    running.refresh_from_db()
    assert running.closed_at is not None  # answered, and everyone positioned: it closes
    assert (running.adopted, running.reason) == (True, "consent")


def test_an_objection_examined_and_found_valid_still_blocks(coordinator: Any) -> None:
    author, objector, _silent = associates(3)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")
    objection_examine(position=objection(running, objector), by=coordinator, valid=True)

    assert closed(running).reason == "objection_standing"


def test_an_objection_declared_not_valid_with_its_reason_stops_blocking(
    coordinator: Any,
) -> None:
    author, objector, _silent = associates(3)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")
    raised = objection(running, objector)

    with refused("not_valid_reason_required"):
        objection_examine(position=raised, by=coordinator, valid=False, reason=" ")
    examined = objection_examine(
        position=raised, by=coordinator, valid=False, reason="Une préférence, pas un tort."
    )

    assert (examined.objection_state, examined.examination) == (
        "not_valid",
        "Une préférence, pas un tort.",
    )
    result = closed(running)
    assert (result.adopted, result.reason) == (True, "consent")
    assert result.counts["objection"] == 1  # still counted, no longer blocking


def test_a_withdrawn_objection_stops_blocking(cleared: dict[str, Any]) -> None:
    author, objector, _silent = associates(3)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")
    raised = objection(running, objector)

    with refused("not_your_objection"):
        objection_withdraw(position=raised, by=author)
    objection_withdraw(position=raised, by=objector)

    assert closed(running).adopted is True


def test_an_objection_integrated_by_an_amendment_lets_the_next_round_pass(
    cleared: dict[str, Any],
) -> None:
    author, objector = associates(2)
    item = discussed(proposal(author))
    first = opened(item)
    objection(first, objector)

    proposal_amend(proposal=item, by=author, title=item.title, text="Plafonné.", note="Plafond")
    second = item.rounds.get(number=2)
    position_take(round=second, by=objector, value="consent")

    assert first.positions.get().objection_state == "integrated"
    assert closed(second).adopted is True


def test_concerns_and_abstentions_never_block(cleared: dict[str, Any]) -> None:
    author, worried, silent = associates(3)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=worried, value="concern", comment="Le coût.")
    position_take(round=running, by=silent, value="abstain")

    result = closed(running)

    assert (result.adopted, result.reason) == (True, "consent")


def test_an_objection_needs_its_reason_and_the_change_asked(cleared: dict[str, Any]) -> None:
    author = associate()
    running = opened(discussed(proposal(author)))

    with refused("objection_reason_required"):
        position_take(round=running, by=author, value="objection", change_requested="X")
    with refused("objection_change_required"):
        position_take(round=running, by=author, value="objection", comment="Tort")
    with refused("concern_comment_required"):
        position_take(round=running, by=author, value="concern")
    with refused("unknown_position"):
        position_take(round=running, by=author, value="yes")
    assert not running.positions.exists()


def test_a_position_can_be_changed_until_the_close(cleared: dict[str, Any]) -> None:
    author, voter = associates(2)
    running = opened(discussed(proposal(author)))
    objection(running, voter)

    position_take(round=running, by=voter, value="consent")

    position = running.positions.get(person=voter)
    assert (position.value, position.objection_state, position.change_requested) == (
        "consent",
        "",
        "",
    )
    assert closed(running).adopted is True


def test_without_the_quorum_nothing_is_adopted(cleared: dict[str, Any]) -> None:
    statutes = statutes_current()
    statutes.quorum_percent = Decimal(50)
    statutes.save()
    author, *_silent = associates(4)
    running = opened(discussed(proposal(author)))
    position_take(round=running, by=author, value="consent")
    statutes.quorum_percent = Decimal(0)  # a change of statutes never alters a running round
    statutes.save()

    result = closed(running)

    assert (result.adopted, result.reason) == (False, "quorum_not_met")
    assert result.proposal.status == ProposalStatus.REJECTED


# --- Majority --------------------------------------------------------------------------------


def vote(threshold: str, yes: int, no: int, abstain: int = 0) -> Round:
    author = associate()
    people = associates(yes + no + abstain)
    running = opened(discussed(proposal(author, mode=DecisionMode.MAJORITY, threshold=threshold)))
    values = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    for person, value in zip(people, values, strict=True):
        position_take(round=running, by=person, value=value)
    return closed(running)


def test_a_simple_majority_is_more_than_half_of_the_votes_cast(cleared: dict[str, Any]) -> None:
    assert vote(Threshold.SIMPLE, yes=2, no=1, abstain=5).adopted is True
    tied = vote(Threshold.SIMPLE, yes=2, no=2)
    assert (tied.adopted, tied.reason) == (False, "majority_not_reached")
    assert tied.counts == {"yes": 2, "no": 2, "abstain": 0}


def test_two_thirds_are_needed_when_the_proposal_says_so(cleared: dict[str, Any]) -> None:
    assert vote(Threshold.TWO_THIRDS, yes=2, no=1).adopted is True
    short = vote(Threshold.TWO_THIRDS, yes=3, no=2)
    assert (short.adopted, short.reason) == (False, "majority_not_reached")


def test_a_vote_where_everyone_abstains_is_not_adopted(cleared: dict[str, Any]) -> None:
    result = vote(Threshold.SIMPLE, yes=0, no=0, abstain=3)

    assert (result.adopted, result.reason) == (False, "no_vote_cast")


def test_a_majority_vote_takes_no_consent_positions(cleared: dict[str, Any]) -> None:
    author = associate()
    running = opened(discussed(proposal(author, mode=DecisionMode.MAJORITY)))

    with refused("unknown_position"):
        position_take(round=running, by=author, value="consent")


# --- Colleges --------------------------------------------------------------------------------


def weighted_statutes(weights: dict[str, int], quorums: dict[str, int] | None = None) -> None:
    statutes = statutes_current()
    statutes.weighted_colleges = True
    statutes.save()
    for slug, weight in weights.items():
        CollegeRule.objects.create(
            statutes=statutes,
            college=college(slug),
            weight_percent=Decimal(weight),
            quorum_percent=Decimal((quorums or {}).get(slug, 0)),
        )


def college_vote() -> Round:
    """Founders (1) vote yes; contributors (3) and partners (2) vote no."""
    founder = associate("fondateurs")
    contributors = associates(3, "contributeurs")
    partners = associates(2, "partenaires")
    running = opened(discussed(proposal(founder, mode=DecisionMode.MAJORITY)))
    position_take(round=running, by=founder, value="yes")
    for person in contributors + partners:
        position_take(round=running, by=person, value="no")
    return closed(running)


def test_without_weighting_each_person_counts_the_same(cleared: dict[str, Any]) -> None:
    result = college_vote()

    assert (result.adopted, result.counts["yes"], result.counts["no"]) == (False, 1, 5)


def test_weighted_colleges_count_within_each_college_then_weigh(cleared: dict[str, Any]) -> None:
    weighted_statutes({"fondateurs": 60, "contributeurs": 25, "partenaires": 15})

    result = college_vote()

    # 60 % of 1 + 25 % of 0 + 15 % of 0: the founders' college carries the vote.
    assert (result.adopted, result.reason) == (True, "majority")
    assert result.counts == {"yes": 1, "no": 5, "abstain": 0}
    assert result.counts_by_college == {
        "fondateurs": {"yes": 1, "no": 0, "abstain": 0},
        "contributeurs": {"yes": 0, "no": 3, "abstain": 0},
        "partenaires": {"yes": 0, "no": 2, "abstain": 0},
    }
    assert result.rules["weighted"] is True


def test_weighted_colleges_can_also_outvote_a_majority_of_people(
    cleared: dict[str, Any],
) -> None:
    weighted_statutes({"fondateurs": 40, "contributeurs": 30, "partenaires": 30})

    assert college_vote().adopted is False  # 40 % is not more than half


def test_a_college_below_its_own_quorum_stops_the_decision(cleared: dict[str, Any]) -> None:
    weighted_statutes({"fondateurs": 50, "contributeurs": 50}, quorums={"contributeurs": 50})
    founder = associate("fondateurs")
    contributor, *_away = associates(3, "contributeurs")
    running = opened(discussed(proposal(founder, mode=DecisionMode.MAJORITY)))
    position_take(round=running, by=founder, value="yes")
    position_take(round=running, by=contributor, value="yes")

    result = closed(running)

    assert (result.adopted, result.reason) == (False, "quorum_not_met")


def test_consent_is_never_weighted_by_college(cleared: dict[str, Any]) -> None:
    weighted_statutes({"fondateurs": 90, "contributeurs": 10})
    founder = associate("fondateurs")
    objector = associate("contributeurs")
    running = opened(discussed(proposal(founder)))
    position_take(round=running, by=founder, value="consent")
    objection(running, objector)

    result = closed(running)

    assert result.rules["weighted"] is False
    assert result.reason == "objection_standing"


# --- Effects ---------------------------------------------------------------------------------


def test_a_decision_and_its_effect_land_together(
    cleared: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[tuple[str, bool]] = []

    def apply(proposal: Any, adopted: bool) -> str:
        applied.append((proposal.reference, adopted))
        return "La règle est publiée."

    monkeypatch.setitem(effects._effects, "rule_change", effects.Effect("rule_change", apply))
    author = associate()
    item = discussed(proposal(author, kind="rule_change"))
    running = opened(item)
    position_take(round=running, by=author, value="consent")

    result = closed(running)

    assert applied == [(item.reference, True)]
    assert result.proposal.effect_applied == "La règle est publiée."


def test_an_effect_that_fails_leaves_the_round_open(
    cleared: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def apply(proposal: Any, adopted: bool) -> str:
        raise RuntimeError("the rules could not be published")

    monkeypatch.setitem(effects._effects, "rule_change", effects.Effect("rule_change", apply))
    author = associate()
    item = discussed(proposal(author, kind="rule_change"))
    running = opened(item)

    with pytest.raises(RuntimeError):
        closed(running)

    running.refresh_from_db()
    item.refresh_from_db()
    assert running.closed_at is None
    assert item.status == ProposalStatus.VOTING
    assert close_entries(item) == 0
