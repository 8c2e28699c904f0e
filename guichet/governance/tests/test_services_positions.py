"""Positions as services: taken by associates or by the holder of their proxy, counted once,
one's own always winning; objections examined by facilitators or withdrawn by their authors."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.core.models import AuditEntry
from guichet.governance.models import ObjectionState, Position, PositionValue, Round
from guichet.governance.services.common import GovernanceError
from guichet.governance.services.positions import (
    MAX_TEXT,
    objection_examine,
    objection_withdraw,
    position_take,
)
from guichet.governance.services.proxies import proxy_give
from guichet.governance.tests.factories import (
    associates,
    closed,
    discussed,
    make_associate,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def refused(code: str) -> Any:
    return pytest.raises(GovernanceError, match=f"^{code}$")


def objection(round_: Round, by: Any, on_behalf: Any | None = None) -> Position:
    return position_take(
        round=round_,
        by=by,
        value="objection",
        comment="Cela nuirait aux projets amont.",
        change_requested="Plafonner le montant.",
        on_behalf=on_behalf,
    )


@pytest.fixture
def trio(cleared: dict[str, Any]) -> tuple[Any, Any, Any, Round]:
    """Three associates (the author, a giver and the holder of its proxy) and a round, plus a
    fourth associate who stays silent so the round never closes early."""
    author, giver, holder, _silent = associates(4)
    item = discussed(proposal(author))
    proxy_give(giver=giver, holder=holder, proposal=item)
    return author, giver, holder, opened(item)


def test_a_position_is_recorded_for_its_author_and_audited(trio: Any) -> None:
    author, _giver, _holder, running = trio

    position = position_take(round=running, by=author, value="concern", comment=" Le coût. ")

    assert (position.person, position.cast_by, position.value, position.comment) == (
        author,
        author,
        PositionValue.CONCERN,
        "Le coût.",
    )
    assert not position.by_proxy
    entry = AuditEntry.objects.filter(action="position.take").latest("sequence")
    assert entry.data == {"round": 1, "by_proxy": False, "changed": False}


def test_a_holder_takes_a_position_on_behalf_of_its_giver(trio: Any) -> None:
    _author, giver, holder, running = trio

    position = position_take(round=running, by=holder, value="consent", on_behalf=giver)

    assert (position.person, position.cast_by) == (giver, holder)
    assert position.by_proxy


def test_nobody_takes_a_position_for_someone_whose_proxy_they_do_not_hold(trio: Any) -> None:
    author, giver, _holder, running = trio

    with refused("no_proxy"):
        position_take(round=running, by=author, value="consent", on_behalf=giver)
    assert not running.positions.exists()


def test_the_givers_own_position_replaces_the_one_its_proxy_took(trio: Any) -> None:
    _author, giver, holder, running = trio
    position_take(round=running, by=holder, value="consent", on_behalf=giver)

    mine = objection(running, giver)

    assert running.positions.get(person=giver) == mine
    assert (mine.cast_by, mine.value, mine.objection_state) == (
        giver,
        "objection",
        ObjectionState.RAISED,
    )
    assert closed(running).reason == "objection_standing"


def test_a_proxy_cannot_overwrite_the_position_its_giver_took(trio: Any) -> None:
    _author, giver, holder, running = trio
    objection(running, giver)

    with refused("already_positioned_themselves"):
        position_take(round=running, by=holder, value="consent", on_behalf=giver)

    assert running.positions.get(person=giver).value == "objection"


def test_a_proxy_vote_counts_once_beside_the_holders_own(trio: Any) -> None:
    author, giver, holder, running = trio
    position_take(round=running, by=holder, value="consent")
    position_take(round=running, by=holder, value="concern", comment="Le coût", on_behalf=giver)
    position_take(round=running, by=holder, value="consent", on_behalf=giver)  # changes it

    result = closed(running)

    assert running.positions.count() == 2
    assert result.participation == 2
    assert result.counts == {"consent": 2, "concern": 0, "objection": 0, "abstain": 0}
    assert author.pk not in {p.person_id for p in running.positions.all()}


def test_positions_are_kept_short(trio: Any) -> None:
    author, _giver, _holder, running = trio

    with refused("text_too_long"):
        position_take(round=running, by=author, value="concern", comment="x" * (MAX_TEXT + 1))


# --- Objections ------------------------------------------------------------------------------


def test_only_a_facilitator_examines_an_objection(trio: Any, coordinator: Any) -> None:
    author, giver, _holder, running = trio
    raised = objection(running, giver)

    with refused("not_a_facilitator"):
        objection_examine(position=raised, by=author, valid=False, reason="Préférence")
    examined = objection_examine(position=raised, by=coordinator, valid=True, reason="Fondée")

    assert examined.objection_state == ObjectionState.EXAMINED
    assert (examined.examined_by, examined.examination) == (coordinator, "Fondée")
    assert AuditEntry.objects.filter(action="objection.examine").latest("sequence").data == {
        "position": raised.pk,
        "valid": True,
    }


def test_an_examined_objection_can_later_be_declared_not_valid(trio: Any, coordinator: Any) -> None:
    _author, giver, _holder, running = trio
    raised = objection(running, giver)
    objection_examine(position=raised, by=coordinator, valid=True)

    settled = objection_examine(position=raised, by=coordinator, valid=False, reason="Réglée")

    assert settled.objection_state == ObjectionState.NOT_VALID
    with refused("objection_move_not_allowed"):
        objection_examine(position=raised, by=coordinator, valid=True)
    with refused("objection_move_not_allowed"):
        objection_withdraw(position=raised, by=giver)


def test_a_facilitator_does_not_examine_their_own_objection(cleared: dict[str, Any]) -> None:
    facilitator = make_associate(cleared["coordinator"])
    author, _silent = associates(2)
    running = opened(discussed(proposal(author)))
    own = objection(running, facilitator)

    with refused("facilitator_own_objection"):
        objection_examine(position=own, by=facilitator, valid=False, reason="Moi")


def test_only_objections_are_examined(trio: Any, coordinator: Any) -> None:
    author, _giver, _holder, running = trio
    consent = position_take(round=running, by=author, value="consent")

    with refused("not_an_objection"):
        objection_examine(position=consent, by=coordinator, valid=True)


def test_the_holder_who_raised_an_objection_for_its_giver_may_withdraw_it(trio: Any) -> None:
    _author, giver, holder, running = trio
    raised = objection(running, holder, on_behalf=giver)

    withdrawn = objection_withdraw(position=raised, by=holder)

    assert withdrawn.objection_state == ObjectionState.WITHDRAWN


def test_objections_cannot_move_once_the_round_is_closed(trio: Any, coordinator: Any) -> None:
    author, giver, _holder, running = trio
    raised = objection(running, giver)
    closed(running)

    with refused("round_closed"):
        objection_examine(position=raised, by=coordinator, valid=False, reason="Trop tard")
    with refused("round_closed"):
        objection_withdraw(position=raised, by=giver)
    with refused("round_closed"):
        position_take(round=running, by=author, value="consent")


def test_the_same_objection_sent_again_keeps_its_examination(trio: Any, coordinator: Any) -> None:
    _author, giver, _holder, running = trio
    raised = objection(running, giver)
    objection_examine(position=raised, by=coordinator, valid=False, reason="Préférence")

    again = objection(running, giver)

    assert (again.pk, again.objection_state, again.examined_by, again.examination) == (
        raised.pk,
        ObjectionState.NOT_VALID,
        coordinator,
        "Préférence",
    )
    assert closed(running).adopted is True


def test_an_objection_with_a_new_reason_is_examined_afresh(trio: Any, coordinator: Any) -> None:
    _author, giver, _holder, running = trio
    raised = objection(running, giver)
    objection_examine(position=raised, by=coordinator, valid=False, reason="Préférence")

    again = position_take(
        round=running,
        by=giver,
        value="objection",
        comment="Le budget dépasse ce que les statuts permettent.",
        change_requested="Le réduire de moitié.",
    )

    assert (again.pk, again.objection_state, again.examined_by, again.examination) == (
        raised.pk,
        ObjectionState.RAISED,
        None,
        "",
    )
    assert closed(running).reason == "objection_standing"


def test_no_objection_changes_state_once_the_deadline_has_passed(
    trio: Any, coordinator: Any
) -> None:
    # The closing task may run late: the round is decided as at its deadline, so neither a
    # facilitator's examination nor a withdrawal may lift an objection meanwhile.
    _author, _giver, holder, running = trio
    raised = objection(running, holder)
    Round.objects.filter(pk=running.pk).update(
        closes_at=running.opened_at - running.opened_at.resolution
    )

    with refused("round_past_deadline"):
        objection_examine(position=raised, by=coordinator, valid=False, reason="Une préférence")
    with refused("round_past_deadline"):
        objection_withdraw(position=raised, by=holder)

    raised.refresh_from_db()
    assert raised.objection_state == ObjectionState.RAISED
    decided = closed(running)
    assert (decided.adopted, decided.reason) == (False, "objection_standing")
