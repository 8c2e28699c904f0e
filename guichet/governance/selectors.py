"""Reads of the associates' pages, each in a fixed number of queries whatever the rows.

`proposals_listed` annotates what the list shows (round closing, whether one positioned);
`proposal_page` gathers a proposal's page: versions, documents, thread, the current round
with the positions and proxies of the person, and the closed rounds' history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import College, Role, User
from guichet.governance.access import can_facilitate
from guichet.governance.domain import decisions
from guichet.governance.models import (
    OPEN_STATUSES,
    Candidate,
    DecisionMode,
    Participation,
    Position,
    PositionValue,
    Proposal,
    ProposalStatus,
    Proxy,
    Round,
)
from guichet.governance.services.rounds import domain_electorate, domain_proxies, proxies_for

# The outcome of a round, in plain words (Round.reason).
REASONS = {
    "consent": _("Adopted: no objection stands and the quorum is met"),
    "objection_standing": _("Not adopted: an objection still stands"),
    "quorum_not_met": _("Not adopted: the quorum was not met"),
    "majority": _("Adopted: the majority needed was reached"),
    "majority_not_reached": _("Not adopted: the majority needed was not reached"),
    "no_vote_cast": _("Not adopted: no vote was cast"),
    "elected": _("Elected: the seats are filled"),
    "tie": _("No one elected: candidates are tied"),
    "no_one_elected": _("No one elected"),
    "superseded": _("Replaced by an amendment"),
}
WITHDRAWN_REASON = _("Ended: the proposal was withdrawn")


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))


def position_label(value: str) -> str:
    if value == "ballots":
        return str(_("Ballots"))
    return str(PositionValue(value).label) if value in PositionValue.values else value


# The list.


def proposals_listed(*, person: Any, status: str = "", kind: str = "") -> QuerySet[Proposal]:
    """Proposals, open ones first, with their open round's deadline and whether `person`
    took a position (or voted) in it."""
    open_round = Round.objects.filter(proposal=OuterRef("pk"), closed_at__isnull=True)
    found = Proposal.objects.select_related("author").annotate(
        open_first=Case(
            When(status__in=OPEN_STATUSES, then=0), default=1, output_field=IntegerField()
        ),
        round_closes_at=Subquery(open_round.values("closes_at")[:1]),
        in_round=Exists(open_round.filter(electorate__has_key=str(person.pk))),
        positioned=Exists(
            Position.objects.filter(
                round__proposal=OuterRef("pk"), round__closed_at__isnull=True, person=person
            )
        ),
        voted=Exists(
            Participation.objects.filter(
                round__proposal=OuterRef("pk"), round__closed_at__isnull=True, person=person
            )
        ),
    )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("open_first", "-created_at", "-pk")


def proposal_of(reference: str) -> QuerySet[Proposal]:
    return Proposal.objects.select_related("author", "outcome_statement_by").filter(
        reference=reference
    )


# The proposal's page.


@dataclass
class Objection:
    position: Position
    named: bool
    standing: bool
    mine: bool
    may_examine: bool
    form: Any = None  # the facilitator's examination form, set by the view


@dataclass
class ClosedRound:
    round: Round
    outcome: str
    counts: list[tuple[str, int]]
    colleges: list[tuple[str, list[tuple[str, int]]]]
    register: list[tuple[str, str, bool]]
    elected: list[str] = field(default_factory=list)
    approvals: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class CurrentRound:
    round: Round
    in_electorate: bool
    positions: list[Position]
    counts: list[tuple[str, int]]
    mine: Position | None
    voted: bool
    participation: int
    givers: list[Any]
    objections: list[Objection]

    @property
    def blocking(self) -> int:
        """How many objections stand now: any one of them keeps a consent round from
        adopting the proposal at its close."""
        return sum(1 for objection in self.objections if objection.standing)


def _counts(mapping: dict[str, Any], mode: str) -> list[tuple[str, int]]:
    order = decisions.positions_of(mode)
    known = [value for value in order if value in mapping]
    others = [value for value in mapping if value not in order]
    return [(position_label(value), int(mapping[value])) for value in [*known, *others]]


def _givers(round: Round, person: Any, taken: dict[int, Position], voted: set[int]) -> list[Any]:
    """The associates whose proxy `person` holds on this round, within the statutes' cap,
    who have not taken a position (or voted) themselves."""
    proxies = proxies_for(round)
    if not any(proxy.holder_id == person.pk for proxy in proxies):
        return []
    accepted, _refused = decisions.proxies_accepted(
        domain_proxies(proxies), domain_electorate(round)
    )
    ids = [giver for giver, holder in accepted.items() if holder == person.pk]
    own = {pk for pk, position in taken.items() if position.cast_by_id == pk}
    wanted = [pk for pk in ids if pk not in own and pk not in voted]
    return list(User.objects.filter(pk__in=wanted).order_by("full_name", "email"))


def _current(proposal: Proposal, round: Round, person: Any) -> CurrentRound:
    election = proposal.mode == DecisionMode.ELECTION
    positions: list[Position] = []
    voted: set[int] = set()
    if election:
        voted = set(round.participations.values_list("person_id", flat=True))
    else:
        positions = list(
            round.positions.select_related("person", "cast_by", "examined_by").order_by(
                "taken_at", "pk"
            )
        )
    taken = {position.person_id: position for position in positions}
    in_electorate = str(person.pk) in round.electorate
    facilitator = can_facilitate(person)
    objections = [
        Objection(
            position=position,
            named=proposal.named_positions or position.person_id == person.pk,
            standing=position.objection_state in decisions.STANDING,
            mine=person.pk in (position.person_id, position.cast_by_id),
            may_examine=facilitator
            and position.objection_state in decisions.STANDING
            and position.person_id != person.pk,
        )
        for position in positions
        if position.value == PositionValue.OBJECTION
    ]
    return CurrentRound(
        round=round,
        in_electorate=in_electorate,
        positions=positions,
        counts=_counts(Counter(p.value for p in positions), proposal.mode),
        mine=taken.get(person.pk),
        voted=person.pk in voted,
        participation=len(voted) if election else len(positions),
        givers=_givers(round, person, taken, voted) if in_electorate else [],
        objections=objections,
    )


def _closed(
    proposal: Proposal, rounds: list[Round], candidates: list[Candidate]
) -> list[ClosedRound]:
    closed = [r for r in rounds if r.closed_at is not None]
    people = {
        str(pk)
        for r in closed
        for entry in r.proxy_register
        for pk in (entry.get("giver"), entry.get("holder"))
    }
    names = {str(u.pk): str(u) for u in User.objects.filter(pk__in=people)} if people else {}
    slugs = {slug for r in closed for slug in r.counts_by_college}
    colleges = (
        {c.slug: c.localized_name for c in College.objects.filter(slug__in=slugs)} if slugs else {}
    )
    standing = {str(c.pk): str(c.person) for c in candidates}
    last = rounds[-1] if rounds else None
    found = []
    for r in closed:
        outcome = reason_text(r.reason)
        if r.reason == "superseded" and r is last and proposal.status == ProposalStatus.WITHDRAWN:
            outcome = str(WITHDRAWN_REASON)
        approvals = r.result.get("approvals", {}) if r.result else {}
        found.append(
            ClosedRound(
                round=r,
                outcome=outcome,
                counts=_counts(r.counts, proposal.mode),
                colleges=[
                    (colleges.get(slug, slug), _counts(counts, proposal.mode))
                    for slug, counts in sorted(r.counts_by_college.items())
                ],
                register=[
                    (
                        names.get(str(entry.get("giver")), "?"),
                        names.get(str(entry.get("holder")), "?"),
                        bool(entry.get("accepted")),
                    )
                    for entry in r.proxy_register
                ],
                elected=[standing.get(str(pk), "?") for pk in (r.result or {}).get("elected", [])],
                approvals=sorted(
                    ((standing.get(pk, "?"), int(n)) for pk, n in approvals.items()),
                    key=lambda pair: -pair[1],
                ),
            )
        )
    return found


def proposal_page(proposal: Proposal, person: Any) -> dict[str, Any]:
    """What the proposal's page shows to `person`, in a fixed number of queries."""
    rounds = list(proposal.rounds.select_related("version").order_by("number"))
    current = next((r for r in rounds if r.closed_at is None), None)
    candidates = (
        list(proposal.candidates.select_related("person").order_by("pk"))
        if proposal.mode == DecisionMode.ELECTION
        else []
    )
    return {
        "versions": list(proposal.versions.select_related("created_by").order_by("number")),
        "attachments": list(proposal.attachments.order_by("uploaded_at", "pk")),
        "comments": list(proposal.comments.select_related("author").order_by("created_at", "pk")),
        "candidates": candidates,
        "rounds": rounds,
        "current": _current(proposal, current, person) if current is not None else None,
        "closed_rounds": list(reversed(_closed(proposal, rounds, candidates))),
        "discussion_running": timezone.now() < proposal.discussion_ends_at,
    }


def associates(*, excluding: Any | None = None) -> QuerySet[User]:
    """The active associates, by name."""
    found = User.objects.filter(is_active=True, role_grants__role=Role.ASSOCIATE)
    if excluding is not None:
        found = found.exclude(pk=excluding.pk)
    return found.order_by("full_name", "email").distinct()


# Proxies.


def open_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status__in=OPEN_STATUSES).order_by("-created_at", "-pk")


def proxies_given(person: Any) -> list[Proxy]:
    return list(
        Proxy.objects.filter(giver=person)
        .select_related("holder", "proposal")
        .order_by("-created_at", "-pk")
    )


def proxies_held(person: Any) -> list[Proxy]:
    return list(
        Proxy.objects.filter(holder=person)
        .select_related("giver", "proposal")
        .order_by("-created_at", "-pk")
    )


def proxy_in_force(proxy: Proxy) -> bool:
    """Not revoked, and its proposal still open or its period not over."""
    if proxy.revoked_at is not None:
        return False
    if proxy.proposal is not None:
        return proxy.proposal.status in OPEN_STATUSES
    return proxy.ends_on is not None and proxy.ends_on >= timezone.localdate()


# My space.


def waiting_rounds(person: Any) -> QuerySet[Round]:
    """The open rounds in whose electorate `person` is and where it has not positioned yet."""
    return (
        Round.objects.filter(closed_at__isnull=True, electorate__has_key=str(person.pk))
        .exclude(Q(positions__person=person) | Q(participations__person=person))
        .distinct()
    )
