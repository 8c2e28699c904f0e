"""A mission's workflow as pure rules: the moves, the close rule, when a client evaluates."""

from __future__ import annotations

import pytest

from guichet.missions.domain.workflow import (
    CANCELLED,
    CLOSED,
    DELIVERED,
    EVALUATED,
    PLANNED,
    RUNNING,
    STATUSES,
    evaluation_editable,
    may_be_evaluated,
    move_refusal,
    moves_from,
)


def _code(current: str, target: str, **kwargs: object) -> str | None:
    refusal = move_refusal(current=current, target=target, **kwargs)  # type: ignore[arg-type]
    return refusal.code if refusal else None


def test_a_mission_goes_from_planned_to_closed_in_order() -> None:
    assert _code(PLANNED, RUNNING) is None
    assert _code(RUNNING, DELIVERED) is None
    assert _code(DELIVERED, CLOSED) is None
    assert _code(EVALUATED, CLOSED) is None
    assert _code(PLANNED, DELIVERED) == "move_not_allowed"
    assert _code(RUNNING, CLOSED) == "move_not_allowed"


def test_evaluated_is_reached_by_the_clients_answer_not_by_a_person() -> None:
    assert _code(DELIVERED, EVALUATED) == "move_not_allowed"
    assert EVALUATED not in moves_from(DELIVERED)


def test_an_open_mission_may_be_cancelled_an_evaluated_one_no_longer() -> None:
    for status in (PLANNED, RUNNING, DELIVERED):
        assert _code(status, CANCELLED) is None
    assert _code(EVALUATED, CANCELLED) == "move_not_allowed"


def test_a_delivered_mission_may_go_back_to_work() -> None:
    assert _code(DELIVERED, RUNNING) is None


@pytest.mark.parametrize("ended", [CLOSED, CANCELLED])
def test_an_ended_mission_moves_no_more(ended: str) -> None:
    for target in STATUSES:
        assert _code(ended, target) == "mission_ended"
    assert moves_from(ended) == []


def test_an_unknown_status_is_refused() -> None:
    assert _code(PLANNED, "finished") == "status_unknown"


def test_a_development_mission_closes_with_a_contribution_or_an_approved_justification() -> None:
    assert _code(DELIVERED, CLOSED, includes_development=True) == "close_needs_contribution"
    assert _code(EVALUATED, CLOSED, includes_development=True) == "close_needs_contribution"
    assert _code(DELIVERED, CLOSED, includes_development=True, contributions=1) is None
    assert _code(DELIVERED, CLOSED, includes_development=True, justification_approved=True) is None
    # Without development work, nothing is needed; and only closing asks for it.
    assert _code(DELIVERED, CLOSED) is None
    assert _code(DELIVERED, CANCELLED, includes_development=True) is None


def test_moves_are_listed_in_the_workflows_order() -> None:
    assert moves_from(PLANNED) == [RUNNING, CANCELLED]
    assert moves_from(DELIVERED) == [RUNNING, CLOSED, CANCELLED]


def test_a_client_evaluates_a_delivered_mission_and_changes_it_until_it_closes() -> None:
    assert [s for s in STATUSES if may_be_evaluated(s)] == [DELIVERED, EVALUATED, CLOSED]
    assert [s for s in STATUSES if evaluation_editable(s)] == [DELIVERED, EVALUATED]
