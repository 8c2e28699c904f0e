"""Taking positions in a round, objections' states, secret ballots in elections.

Each write locks the round's row first: positions on one round are taken one after the
other, so none is lost when hundreds arrive at once, and none lands after the close. The
unique constraint (round, person) is the last guard against a duplicate.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.access import is_coordinator
from guichet.core.audit import audit_record
from guichet.governance.domain import decisions
from guichet.governance.models import (
    Ballot,
    DecisionMode,
    ObjectionState,
    Participation,
    Position,
    PositionValue,
    Round,
)
from guichet.governance.services.common import GovernanceError
from guichet.governance.services.rounds import (
    domain_electorate,
    domain_proxies,
    proxies_for,
    round_close_if_complete,
    round_locked,
)

MAX_TEXT = 5_000
_shuffler = secrets.SystemRandom()


def _locked_open_round(round: Round) -> Round:
    locked = round_locked(round.pk)
    if locked.closed_at is not None:
        raise GovernanceError("round_closed")
    if timezone.now() >= locked.closes_at:
        raise GovernanceError("round_past_deadline")
    return locked


def _voting_for(locked: Round, by: Any, on_behalf: Any | None) -> int:
    """Whose vote `by` casts: its own, or that of an associate whose proxy it holds."""
    if str(by.pk) not in locked.electorate:
        raise GovernanceError("not_in_electorate")
    if on_behalf is None or on_behalf.pk == by.pk:
        return int(by.pk)
    if str(on_behalf.pk) not in locked.electorate:
        raise GovernanceError("not_in_electorate")
    accepted, _refused = decisions.proxies_accepted(
        domain_proxies(proxies_for(locked)), domain_electorate(locked)
    )
    if accepted.get(on_behalf.pk) != by.pk:
        raise GovernanceError("no_proxy")
    return int(on_behalf.pk)


def position_take(
    *,
    round: Round,
    by: Any,
    value: str,
    comment: str = "",
    change_requested: str = "",
    on_behalf: Any | None = None,
) -> Position:
    """Take (or change) a position until the round closes. An objection needs its reason
    and the change that would make the proposal safe to try; it starts as raised. One's
    own position replaces one a proxy took for them; a proxy cannot replace one's own."""
    comment, change_requested = (comment or "").strip(), (change_requested or "").strip()
    if len(comment) > MAX_TEXT or len(change_requested) > MAX_TEXT:
        raise GovernanceError("text_too_long")
    with transaction.atomic():
        locked = _locked_open_round(round)
        mode = locked.proposal.mode
        if mode == DecisionMode.ELECTION:
            raise GovernanceError("election_needs_ballot")
        if value not in decisions.positions_of(mode):
            raise GovernanceError("unknown_position")
        if value == PositionValue.OBJECTION and not comment:
            raise GovernanceError("objection_reason_required")
        if value == PositionValue.OBJECTION and not change_requested:
            raise GovernanceError("objection_change_required")
        if value == PositionValue.CONCERN and not comment:
            raise GovernanceError("concern_comment_required")
        person = _voting_for(locked, by, on_behalf)
        existing = Position.objects.filter(round=locked, person_id=person).first()
        if existing is not None and person != by.pk and existing.cast_by_id == person:
            raise GovernanceError("already_positioned_themselves")
        fields = {
            "cast_by": by,
            "value": value,
            "comment": comment,
            "change_requested": change_requested if value == PositionValue.OBJECTION else "",
            "objection_state": ObjectionState.RAISED if value == PositionValue.OBJECTION else "",
            "examined_by": None,
            "examination": "",
        }
        if (
            existing is not None
            and value == existing.value == PositionValue.OBJECTION
            and (comment, change_requested) == (existing.comment, existing.change_requested)
            and existing.objection_state in (ObjectionState.EXAMINED, ObjectionState.NOT_VALID)
        ):
            # The same objection sent again keeps its examination: only a new reason or a
            # new change asked is a new objection, to be examined afresh.
            for name in ("objection_state", "examined_by", "examination"):
                del fields[name]
        if existing is None:
            position = Position.objects.create(round=locked, person_id=person, **fields)
        else:
            for name, field_value in fields.items():
                setattr(existing, name, field_value)
            existing.save()
            position = existing
        audit_record(
            action="position.take",
            actor=by,
            target=locked.proposal,
            data={"round": locked.number, "by_proxy": person != by.pk, "changed": bool(existing)},
        )
        round_close_if_complete(round=locked)
    return position


def _objection(position: Position) -> Position:
    # The proposal's and the round's rows first, as every write of a round does.
    round_locked(position.round_id)
    locked = (
        Position.objects.select_for_update(of=("self",))
        .select_related("round__proposal")
        .get(pk=position.pk)
    )
    if locked.value != PositionValue.OBJECTION:
        raise GovernanceError("not_an_objection")
    if locked.round.closed_at is not None:
        raise GovernanceError("round_closed")
    if timezone.now() >= locked.round.closes_at:
        # Decided as at its deadline: no objection changes state between it and the close.
        raise GovernanceError("round_past_deadline")
    return locked


def _move(position: Position, target: str) -> None:
    if not decisions.objection_move_allowed(position.objection_state, target):
        raise GovernanceError("objection_move_not_allowed")
    position.objection_state = target


def objection_examine(*, position: Position, by: Any, valid: bool, reason: str = "") -> Position:
    """A facilitator (a coordinator) checks an objection against the published criteria:
    valid (it shows harm to the network's aims: it keeps blocking, as examined) or not valid
    (a mere preference: it stops blocking), with a written reason in that case."""
    if not is_coordinator(by):
        raise GovernanceError("not_a_facilitator")
    reason = (reason or "").strip()
    if not valid and not reason:
        raise GovernanceError("not_valid_reason_required")
    with transaction.atomic():
        locked = _objection(position)
        if locked.person_id == by.pk:
            raise GovernanceError("facilitator_own_objection")
        if locked.objection_state == ObjectionState.RAISED:
            _move(locked, ObjectionState.EXAMINED)
        if not valid:
            _move(locked, ObjectionState.NOT_VALID)
        elif locked.objection_state != ObjectionState.EXAMINED:
            raise GovernanceError("objection_move_not_allowed")
        locked.examined_by = by
        locked.examination = reason
        locked.save(update_fields=["objection_state", "examined_by", "examination"])
        audit_record(
            action="objection.examine",
            actor=by,
            target=locked.round.proposal,
            data={"position": locked.pk, "valid": valid},
        )
        # Everyone has positioned and this was the last objection standing: it closes now.
        round_close_if_complete(round=locked.round)
    return locked


def objection_withdraw(*, position: Position, by: Any) -> Position:
    """The objection's author (or the proxy who raised it) withdraws it."""
    with transaction.atomic():
        locked = _objection(position)
        if by.pk not in (locked.person_id, locked.cast_by_id):
            raise GovernanceError("not_your_objection")
        _move(locked, ObjectionState.WITHDRAWN)
        locked.save(update_fields=["objection_state"])
        audit_record(
            action="objection.withdraw",
            actor=by,
            target=locked.round.proposal,
            data={"position": locked.pk},
        )
        round_close_if_complete(round=locked.round)
    return locked


def _ballot_box_shake(round: Round, ballot: list[int]) -> None:
    """Put the ballot in the box, then write every ballot of the round anew, in a random
    order and under new keys: no row's position, key or transaction tells when it was cast,
    so nothing in the database ties a ballot to the participation written with it."""
    ballots = [*Ballot.objects.filter(round=round).values_list("choices", flat=True), ballot]
    _shuffler.shuffle(ballots)
    Ballot.objects.filter(round=round).delete()
    Ballot.objects.bulk_create(Ballot(round=round, choices=choices) for choices in ballots)


def ballot_cast(
    *, round: Round, by: Any, choices: Sequence[int], on_behalf: Any | None = None
) -> None:
    """A secret ballot: the candidates approved (one seat) or ranked (several). That the
    person voted is recorded apart; a ballot cannot be changed once cast."""
    with transaction.atomic():
        locked = _locked_open_round(round)
        proposal = locked.proposal
        if proposal.mode != DecisionMode.ELECTION:
            raise GovernanceError("not_an_election")
        person = _voting_for(locked, by, on_behalf)
        candidates = set(proposal.candidates.values_list("pk", flat=True))
        picked = [int(choice) for choice in choices]
        if not picked:
            raise GovernanceError("ballot_empty")
        if len(set(picked)) != len(picked) or not set(picked) <= candidates:
            raise GovernanceError("ballot_invalid")
        try:
            with transaction.atomic():
                Participation.objects.create(round=locked, person_id=person, cast_by=by)
        except IntegrityError:
            raise GovernanceError("already_voted") from None
        stored = sorted(picked) if proposal.seats == 1 else picked
        _ballot_box_shake(locked, stored)
        audit_record(
            action="ballot.cast",
            actor=by,
            target=proposal,
            data={"round": locked.number, "by_proxy": person != by.pk},
        )
        round_close_if_complete(round=locked)
