"""A mission's life, as pure rules: which status may follow which, and what closing needs.

planned → running → delivered → evaluated → closed; any open mission may be cancelled. A
delivered mission may close without its client's evaluation (a client never answers), an
evaluated one normally does. A mission that includes development work closes only with at
least one upstream contribution logged, or a justification approved by a coordinator:
that is how the network keeps its "upstream first" commitment.
"""

from __future__ import annotations

from dataclasses import dataclass

PLANNED = "planned"
RUNNING = "running"
DELIVERED = "delivered"
EVALUATED = "evaluated"
CLOSED = "closed"
CANCELLED = "cancelled"

STATUSES = (PLANNED, RUNNING, DELIVERED, EVALUATED, CLOSED, CANCELLED)
ENDED = frozenset({CLOSED, CANCELLED})

# The moves people make; "evaluated" is reached by the client's evaluation itself.
MOVES: dict[str, frozenset[str]] = {
    PLANNED: frozenset({RUNNING, CANCELLED}),
    RUNNING: frozenset({DELIVERED, CANCELLED}),
    DELIVERED: frozenset({RUNNING, CLOSED, CANCELLED}),
    EVALUATED: frozenset({CLOSED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class Refusal:
    """Why a step is refused; `code` keys a translated message."""

    code: str


def move_refusal(
    *,
    current: str,
    target: str,
    includes_development: bool = False,
    contributions: int = 0,
    justification_approved: bool = False,
) -> Refusal | None:
    """None when the mission may go from `current` to `target`, else why not."""
    if target not in STATUSES:
        return Refusal("status_unknown")
    if current in ENDED:
        return Refusal("mission_ended")
    if target not in MOVES[current]:
        return Refusal("move_not_allowed")
    if (
        target == CLOSED
        and includes_development
        and contributions == 0
        and not justification_approved
    ):
        return Refusal("close_needs_contribution")
    return None


def moves_from(current: str) -> list[str]:
    """The statuses a person may move the mission to, in the order of the workflow."""
    return [status for status in STATUSES if status in MOVES.get(current, frozenset())]


def may_be_evaluated(status: str) -> bool:
    """A client evaluates a mission once it is delivered (and still after it closed, if it
    had not yet); never a planned, running or cancelled one."""
    return status in {DELIVERED, EVALUATED, CLOSED}


def evaluation_editable(status: str) -> bool:
    """A submitted evaluation may be changed until the mission closes."""
    return status in {DELIVERED, EVALUATED}
