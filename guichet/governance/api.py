"""API endpoints of governance: read the proposals and their outcomes, take a position, vote.

- `GET /governance/proposals`, `/governance/proposals/{reference}` and `.../outcome` are
  public for what the public decision log shows (selectors_log.log_public: proposals put
  to a round): reference, title, kind, mode, status, dates, the current text, each round's
  counts per position and per college, its outcome, and once a round is closed its
  objections, and its positions with names when the proposal publishes them. With a
  personal token (or the browser session) of an associate or a coordinator they also show
  what those who take part see: the proposals still in discussion, one's own part in the
  open round (`mine`), how many have positioned so far, and the positions and objections
  under way. A token sent but unknown, revoked or expired answers 401, not the public view.
- `POST .../position` and `POST .../ballot` need a personal token (or the browser session)
  of an associate who was one when the round opened (anyone else gets a 403). They act on
  the proposal's open round; a proxy holder may act `on_behalf` of the associate who gave
  them their proxy.

Elections are secret: no endpoint says who voted for whom; one learns that one's own ballot
is cast and, once the round closes, the count. Refusals of input answer 400 with one
translated message per field (Accept-Language, French by default), in the shape the
guichet's endpoints use; an unknown reference (or one not public, to the public) is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from guichet.accounts.models import User
from guichet.accounts.services import api_token_authenticate
from guichet.core.api_errors import (
    Errors,
    Message,
    bad_request,
    refused,
)
from guichet.governance import access
from guichet.governance.api_schemas import (
    MAX_PAGE_SIZE,
    BallotCastOut,
    BallotIn,
    OutcomeOut,
    PositionIn,
    PositionTakenOut,
    ProposalFilters,
    ProposalOut,
    ProposalPageOut,
)
from guichet.governance.domain import decisions
from guichet.governance.markdown import render
from guichet.governance.messages import error_message
from guichet.governance.models import (
    OPEN_STATUSES,
    Candidate,
    DecisionMode,
    ObjectionState,
    Participation,
    Position,
    PositionValue,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
)
from guichet.governance.selectors_log import REASONS, log_public, public_name
from guichet.governance.services.common import GovernanceError
from guichet.governance.services.positions import (
    MAX_TEXT,
    ballot_cast,
    position_take,
)
from guichet.governance.services.proposals import current_round
from guichet.governance.services.rounds import domain_electorate, domain_proxies, proxies_for

router = Router(tags=["governance"])

# The public reads: no credential needed; one sent must be valid.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{"PersonalToken": []}, {"SessionAuth": []}, {}]}
# Refusals about who asks (403), rather than about what they sent (400).
FORBIDDEN = {"not_an_associate", "not_in_electorate"}
# The field a service's refusal is about, when it is about one (else the whole body).
FIELD_OF_CODE = {
    "unknown_position": "value",
    "objection_reason_required": "comment",
    "objection_change_required": "change_requested",
    "concern_comment_required": "comment",
    "no_proxy": "on_behalf",
    "already_positioned_themselves": "on_behalf",
    "ballot_empty": "choices",
    "ballot_invalid": "choices",
}


# Who reads, and what they may see.


def _reader(request: HttpRequest) -> Any:
    """The token's person if a token is sent (a 401 if it is not valid), else the browser
    session's person, or nobody."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, secret = header.partition(" ")
        found = api_token_authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise HttpError(401, _("This token is not valid: unknown, revoked or expired."))
        request.user = found.user
    return request.user


def _visible(private: bool) -> QuerySet[Proposal]:
    """Those who take part see every proposal; the public, the decision log's."""
    return Proposal.objects.all() if private else log_public()


def _rounds_open(reader: Any, private: bool) -> Prefetch[Any]:
    rounds = Round.objects.filter(closed_at__isnull=True).select_related("version")
    if private:
        rounds = rounds.annotate(
            taken=Count("positions", distinct=True) + Count("participations", distinct=True)
        ).prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(person=reader).select_related("cast_by"),
                to_attr="mine",
            ),
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(person=reader),
                to_attr="my_participations",
            ),
        )
    return Prefetch("rounds", queryset=rounds, to_attr="open_rounds")


def _proposals(reader: Any, private: bool) -> QuerySet[Proposal]:
    """The proposals the reader sees, newest first, with what a row needs prefetched: a
    fixed number of queries whatever the page's length."""
    return (
        _visible(private)
        .annotate(version_number=Max("versions__number"))
        .prefetch_related(
            _rounds_open(reader, private),
            Prefetch(
                "rounds",
                queryset=Round.objects.filter(adopted__isnull=False)
                .select_related("version")
                .order_by("-number"),
                to_attr="decided_rounds",
            ),
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("person").order_by("pk"),
                to_attr="candidate_list",
            ),
        )
        .order_by("-created_at", "-pk")
    )


def _proposal(reference: str, reader: Any, private: bool) -> Any:
    found = _proposals(reader, private).filter(reference=reference).first()
    if found is None:
        raise HttpError(404, _("No proposal has this reference."))
    return found


# What they see.


def _person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": public_name(user)}


def _candidate_out(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "person": _person(candidate.person),
        "statement": candidate.statement,
    }


def _election_result(round: Round, candidates: Mapping[int, Candidate]) -> dict[str, Any]:
    """The count of a closed election, by candidate: never a ballot, never a voter."""
    result = round.result or {}

    def named(ids: Iterable[Any]) -> list[dict[str, Any]]:
        return [_candidate_out(candidates[int(pk)]) for pk in ids if int(pk) in candidates]

    return {
        "method": result.get("method", ""),
        "ballots": int(result.get("ballots", 0)),
        "elected": named(result.get("elected", [])),
        "tied": named(result.get("tied", [])),
        "approvals": {str(k): int(v) for k, v in result.get("approvals", {}).items()},
        "quota": result.get("quota"),
        "rounds": [
            {
                "votes": {str(k): str(v) for k, v in step.get("votes", {}).items()},
                "exhausted": str(step.get("exhausted", "0")),
                "elected": [str(pk) for pk in step.get("elected", [])],
                "excluded": None if step.get("excluded") is None else str(step["excluded"]),
            }
            for step in result.get("rounds", [])
        ],
    }


def _reason_label(reason: str) -> str:
    return str(REASONS[reason]) if reason in REASONS else ""


def _state_label(state: str) -> str:
    return str(ObjectionState(state).label) if state else ""


def _outcome_summary(
    proposal: Proposal, round: Round, candidates: Mapping[int, Candidate]
) -> dict[str, Any]:
    assert round.closed_at is not None
    assert round.adopted is not None
    return {
        "round": round.number,
        "version": round.version.number,
        "closed_at": round.closed_at,
        "adopted": round.adopted,
        "reason": round.reason,
        "reason_label": _reason_label(round.reason),
        "counts": round.counts,
        "counts_by_college": round.counts_by_college,
        "participation": round.participation,
        "electorate": round.electorate_size,
        "result": _election_result(round, candidates)
        if proposal.mode == DecisionMode.ELECTION
        else None,
    }


def _my_position(position: Position) -> dict[str, Any]:
    return {
        "value": position.value,
        "value_label": str(PositionValue(position.value).label),
        "comment": position.comment,
        "change_requested": position.change_requested,
        "objection_state": position.objection_state,
        "objection_state_label": _state_label(position.objection_state),
        "by_proxy": position.by_proxy,
        "cast_by": _person(position.cast_by),
        "taken_at": position.taken_at,
    }


def _mine(reader: Any, open_round: Round | None) -> dict[str, Any]:
    if open_round is None:
        return {"in_electorate": False, "position": None, "voted": False}
    mine = getattr(open_round, "mine", [])
    return {
        "in_electorate": str(reader.pk) in open_round.electorate,
        "position": _my_position(mine[0]) if mine else None,
        "voted": bool(getattr(open_round, "my_participations", [])),
    }


def _row_out(proposal: Any, reader: Any, private: bool) -> dict[str, Any]:
    open_round: Round | None = proposal.open_rounds[0] if proposal.open_rounds else None
    decided: Round | None = proposal.decided_rounds[0] if proposal.decided_rounds else None
    candidates = {candidate.pk: candidate for candidate in proposal.candidate_list}
    return {
        "reference": proposal.reference,
        "title": proposal.title,
        "kind": proposal.kind,
        "kind_label": str(ProposalKind(proposal.kind).label),
        "mode": proposal.mode,
        "mode_label": str(DecisionMode(proposal.mode).label),
        "threshold": proposal.threshold,
        "status": proposal.status,
        "status_label": str(ProposalStatus(proposal.status).label),
        "created_at": proposal.created_at,
        "discussion_ends_at": proposal.discussion_ends_at,
        "decided_at": proposal.decided_at,
        "version": proposal.version_number or 1,
        "text": proposal.text,
        "named_positions": proposal.named_positions,
        "current_round": None
        if open_round is None
        else {
            "number": open_round.number,
            "version": open_round.version.number,
            "opened_at": open_round.opened_at,
            "closes_at": open_round.closes_at,
            "electorate": open_round.electorate_size,
            "taken": getattr(open_round, "taken", None) if private else None,
        },
        "outcome": None if decided is None else _outcome_summary(proposal, decided, candidates),
        "mine": _mine(reader, open_round) if private else None,
    }


def _position_out(round: Round, position: Position) -> dict[str, Any]:
    return {
        "person": _person(position.person),
        "college": round.electorate.get(str(position.person_id), ""),
        "value": position.value,
        "value_label": str(PositionValue(position.value).label),
        "by_proxy": position.by_proxy,
        "cast_by": _person(position.cast_by),
        "comment": position.comment,
        "change_requested": position.change_requested,
        "objection_state": position.objection_state,
        "objection_state_label": _state_label(position.objection_state),
        "examination": position.examination,
        "taken_at": position.taken_at,
    }


def _objection_out(position: Position, named: bool) -> dict[str, Any]:
    return {
        "person": _person(position.person) if named else None,
        "reason": position.comment,
        "change_requested": position.change_requested,
        "state": position.objection_state,
        "state_label": _state_label(position.objection_state),
        "examination": position.examination,
    }


def _proxies_held(reader: Any, open_round: Round | None) -> list[dict[str, Any]]:
    """Whose votes the reader carries in the open round, as the rules will count them."""
    if open_round is None or str(reader.pk) not in open_round.electorate:
        return []
    accepted, _refused = decisions.proxies_accepted(
        domain_proxies(proxies_for(open_round)), domain_electorate(open_round)
    )
    givers = [giver for giver, holder in accepted.items() if holder == reader.pk]
    people = User.objects.in_bulk(givers)
    return [_person(people[pk]) for pk in givers if pk in people]


def _round_out(
    proposal: Proposal,
    round: Any,
    positions: list[Position] | None,
    candidates: Mapping[int, Candidate],
    private: bool,
) -> dict[str, Any]:
    named = proposal.named_positions
    return {
        "number": round.number,
        "version": round.version.number,
        "opened_at": round.opened_at,
        "closes_at": round.closes_at,
        "closed_at": round.closed_at,
        "open": round.closed_at is None,
        "electorate": round.electorate_size,
        "taken": round.taken if private and round.closed_at is None else None,
        "adopted": round.adopted,
        "reason": round.reason,
        "reason_label": _reason_label(round.reason),
        "counts": round.counts,
        "counts_by_college": round.counts_by_college,
        "participation": round.participation,
        "proxies": sum(1 for entry in round.proxy_register or [] if entry.get("accepted")),
        "result": _election_result(round, candidates)
        if proposal.mode == DecisionMode.ELECTION and round.adopted is not None
        else None,
        "positions": None
        if positions is None or not named
        else [_position_out(round, p) for p in positions],
        "objections": None
        if positions is None
        else [_objection_out(p, named) for p in positions if p.value == PositionValue.OBJECTION],
    }


def _detail_out(proposal: Any, reader: Any, private: bool) -> dict[str, Any]:
    row = _row_out(proposal, reader, private)
    candidates = {candidate.pk: candidate for candidate in proposal.candidate_list}
    rounds = list(
        proposal.rounds.select_related("version")
        .annotate(taken=Count("positions", distinct=True) + Count("participations", distinct=True))
        .order_by("number")
    )
    # The positions of a round are shown once it is closed, to those who take part while
    # it runs; never in an election, whose ballots are secret.
    shown = [
        r
        for r in rounds
        if proposal.mode != DecisionMode.ELECTION and (r.closed_at is not None or private)
    ]
    by_round: dict[int, list[Position]] = {r.pk: [] for r in shown}
    for position in (
        Position.objects.filter(round__in=shown)
        .select_related("person", "cast_by")
        .order_by("taken_at", "pk")
    ):
        by_round[position.round_id].append(position)
    open_round = proposal.open_rounds[0] if proposal.open_rounds else None
    return {
        **row,
        "text_html": str(render(proposal.text)),
        "seats": proposal.seats,
        "budget_amount": None if proposal.budget_amount is None else str(proposal.budget_amount),
        "outcome_statement": proposal.outcome_statement,
        "effect_applied": proposal.effect_applied,
        "candidates": [_candidate_out(c) for c in proposal.candidate_list],
        "rounds": [
            _round_out(proposal, r, by_round.get(r.pk), candidates, private) for r in rounds
        ],
        "mine": {**row["mine"], "proxies_held": _proxies_held(reader, open_round)}
        if private
        else None,
    }


# What they send.


def _whole_number(value: int | str, lowest: int, highest: int | None = None) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    if number < lowest or (highest is not None and number > highest):
        return None
    return number


def _filters(filters: ProposalFilters) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    status, kind = filters.status.strip(), filters.kind.strip()
    if status and status not in ProposalStatus.values:
        errors["status"] = [
            _("Unknown status: give one of %(values)s.")
            % {"values": ", ".join(ProposalStatus.values)}
        ]
    if kind and kind not in ProposalKind.values:
        errors["kind"] = [
            _("Unknown kind: give one of %(values)s.") % {"values": ", ".join(ProposalKind.values)}
        ]
    page = _whole_number(filters.page, 1)
    if page is None:
        errors["page"] = [_("Give the page as a whole number, from 1.")]
    page_size = _whole_number(filters.page_size, 1, MAX_PAGE_SIZE)
    if page_size is None:
        errors["page_size"] = [
            _("Give the page size as a whole number, from 1 to %(most)s.") % {"most": MAX_PAGE_SIZE}
        ]
    return {"status": status, "kind": kind, "page": page, "page_size": page_size}, errors


def _voter(request: HttpRequest) -> Any:
    """The person taking part: an associate (a 403 for anyone else)."""
    if not access.is_associate(request.user):
        raise HttpError(403, error_message("not_an_associate"))
    return request.user


def _proposal_to_act_on(reference: str) -> Proposal:
    found = Proposal.objects.filter(reference=reference).first()
    if found is None:
        raise HttpError(404, _("No proposal has this reference."))
    return found


def _open_round(proposal: Proposal) -> Round | Any:
    """The proposal's open round, or the 400 that says why there is none."""
    found = current_round(proposal)
    if found is not None:
        return found
    if proposal.status not in OPEN_STATUSES:
        message = error_message("proposal_closed")
    else:
        message = _("No round is open on this proposal yet: it is still in discussion.")
    return bad_request({NON_FIELD_ERRORS: [message]})


def _on_behalf(value: int | str | None) -> tuple[Any, list[str]]:
    """The associate a proxy holder votes for (None: oneself), or the refusal."""
    if value is None or str(value).strip() == "":
        return None, []
    number = _whole_number(value, 1)
    person = User.objects.filter(pk=number, is_active=True).first() if number else None
    if person is None:
        return None, [_("Give the id of the associate whose proxy you hold.")]
    return person, []


def _position_errors(body: PositionIn, mode: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if mode != DecisionMode.ELECTION:  # the service says an election takes ballots
        value, allowed = body.value.strip(), decisions.positions_of(mode)
        if value not in allowed:
            errors["value"] = [
                (error_message("unknown_position") + " " if value else "")
                + _("Give one of %(values)s.") % {"values": ", ".join(allowed)}
            ]
    for name in ("comment", "change_requested"):
        if len(getattr(body, name).strip()) > MAX_TEXT:
            errors[name] = [error_message("text_too_long")]
    return errors


# Reads, public.


@router.get(
    "/governance/proposals",
    auth=None,
    openapi_extra=OPTIONAL_AUTH,
    response={200: ProposalPageOut, 400: Errors, 401: Message},
    url_name="governance_proposals",
    summary="Proposals and decisions, newest first (the public decision log)",
)
def proposals_list(request: HttpRequest, filters: Query[ProposalFilters]) -> Any:
    """Public: the decision log's proposals. With the token (or session) of an associate or
    a coordinator, the proposals still in discussion too, and on each row one's own part in
    the open round (`mine`) and how many have positioned so far. Filter by `status` and
    `kind`; `page` and `page_size` (at most 100) page through them, in the shape of the
    API's other lists."""
    reader = _reader(request)
    values, errors = _filters(filters)
    if errors:
        return bad_request(errors, where="query")
    private = access.can_take_part(reader)
    found = _proposals(reader, private)
    if values["status"]:
        found = found.filter(status=values["status"])
    if values["kind"]:
        found = found.filter(kind=values["kind"])
    start = (values["page"] - 1) * values["page_size"]
    page = list(found[start : start + values["page_size"]])
    return {
        "items": [_row_out(proposal, reader, private) for proposal in page],
        "count": found.count(),
    }


@router.get(
    "/governance/proposals/{reference}",
    auth=None,
    openapi_extra=OPTIONAL_AUTH,
    response={200: ProposalOut, 401: Message, 404: Message},
    url_name="governance_proposal",
    summary="One proposal: its text, its rounds with their counts, its outcome",
)
def proposal_detail(request: HttpRequest, reference: str) -> Any:
    """Public: every round with its counts per position and per college; once a round is
    closed, its objections and, when the proposal names positions, who took which. An
    election gives its count only, never a ballot. With the token (or session) of an
    associate or a coordinator: the positions and objections under way, and one's own part
    (`mine`: one's position, whether one's ballot is cast, whose proxies one holds)."""
    reader = _reader(request)
    private = access.can_take_part(reader)
    return _detail_out(_proposal(reference, reader, private), reader, private)


@router.get(
    "/governance/proposals/{reference}/outcome",
    auth=None,
    openapi_extra=OPTIONAL_AUTH,
    response={200: OutcomeOut, 401: Message, 404: Message},
    url_name="governance_outcome",
    summary="The outcome of a decided proposal: adopted or not, why, the counts",
)
def proposal_outcome(request: HttpRequest, reference: str) -> Any:
    """Public. Answers 404 while the proposal is undecided, and for a withdrawn one."""
    reader = _reader(request)
    proposal = _proposal(reference, reader, access.can_take_part(reader))
    if not proposal.decided_rounds:
        raise HttpError(404, _("This proposal has no outcome: it is not decided."))
    candidates = {candidate.pk: candidate for candidate in proposal.candidate_list}
    return {
        **_outcome_summary(proposal, proposal.decided_rounds[0], candidates),
        "reference": proposal.reference,
        "status": proposal.status,
        "status_label": str(ProposalStatus(proposal.status).label),
        "decided_at": proposal.decided_at,
        "outcome_statement": proposal.outcome_statement,
        "effect_applied": proposal.effect_applied,
    }


# Taking part: associates.


@router.post(
    "/governance/proposals/{reference}/position",
    response={200: PositionTakenOut, 400: Errors, 403: Message, 404: Message},
    url_name="governance_position",
    summary="Take (or change) a position in the proposal's open round (associates)",
)
def proposal_position(request: HttpRequest, reference: str, body: PositionIn) -> Any:
    """Consent rounds: consent, concern (with a comment; it does not block), objection (its
    reason in `comment` and, in `change_requested`, the change that would make the proposal
    safe to try; it blocks while it stands), abstain. Majority votes: yes, no, abstain. A
    position may be changed until the round closes. With `on_behalf`, a proxy holder takes
    the position of the associate who gave them their proxy (never replacing one that
    associate took themselves). For those who were associates when the round opened."""
    by = _voter(request)
    proposal = _proposal_to_act_on(reference)
    errors = _position_errors(body, proposal.mode)
    on_behalf, refusal = _on_behalf(body.on_behalf)
    if refusal:
        errors["on_behalf"] = refusal
    if errors:
        return bad_request(errors)
    open_round = _open_round(proposal)
    if not isinstance(open_round, Round):
        return open_round
    try:
        position = position_take(
            round=open_round,
            by=by,
            value=body.value.strip(),
            comment=body.comment,
            change_requested=body.change_requested,
            on_behalf=on_behalf,
        )
    except GovernanceError as error:
        return refused(error, error_message, field_of_code=FIELD_OF_CODE, forbidden=FORBIDDEN)
    position = Position.objects.select_related("person", "cast_by", "round__proposal").get(
        pk=position.pk
    )
    return {
        "reference": proposal.reference,
        "round": position.round.number,
        "person": _person(position.person),
        "position": _my_position(position),
        "round_closed": position.round.closed_at is not None,
        "status": position.round.proposal.status,
    }


@router.post(
    "/governance/proposals/{reference}/ballot",
    response={201: BallotCastOut, 400: Errors, 403: Message, 404: Message},
    url_name="governance_ballot",
    summary="Cast a secret ballot in an election's open round (associates)",
)
def proposal_ballot(request: HttpRequest, reference: str, body: BallotIn) -> Any:
    """The candidates you approve (one seat: approval voting), or ranked, first choice first
    (several seats: single transferable vote). Secret: that you voted is recorded apart from
    what you voted, and a ballot cannot be changed once cast. With `on_behalf`, a proxy
    holder votes for the associate who gave them their proxy."""
    by = _voter(request)
    proposal = _proposal_to_act_on(reference)
    errors: dict[str, list[str]] = {}
    choices = [_whole_number(choice, 1) for choice in body.choices]
    if any(choice is None for choice in choices):
        errors["choices"] = [_("Give the candidates by their ids, as whole numbers.")]
    on_behalf, refusal = _on_behalf(body.on_behalf)
    if refusal:
        errors["on_behalf"] = refusal
    if errors:
        return bad_request(errors)
    open_round = _open_round(proposal)
    if not isinstance(open_round, Round):
        return open_round
    try:
        ballot_cast(
            round=open_round,
            by=by,
            choices=[choice for choice in choices if choice is not None],
            on_behalf=on_behalf,
        )
    except GovernanceError as error:
        return refused(error, error_message, field_of_code=FIELD_OF_CODE, forbidden=FORBIDDEN)
    after = Round.objects.select_related("proposal").get(pk=open_round.pk)
    return Status(
        201,
        {
            "reference": proposal.reference,
            "round": after.number,
            "person": _person(on_behalf or by),
            "voted": True,
            "round_closed": after.closed_at is not None,
            "status": after.proposal.status,
        },
    )
