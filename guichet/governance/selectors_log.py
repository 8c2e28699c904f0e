"""Reads of the public decision log, each saying what it prefetches (no N+1), and what the
log says of a decision: the outcome and its reason in plain words, the counts, and the
positions with names only where the proposal publishes them.

What is public: the proposals put to a round (under way, decided, or withdrawn after a
round had opened). A proposal still in discussion is the associates' draft: it stays on
their private pages until a round opens on it. A withdrawn proposal that had a round stays
in the log with its status, so that a proposal about to fail cannot disappear from the
public record by being withdrawn; one withdrawn before any round never left the draft stage.

Nothing private reaches these reads: no discussion thread, no attachments, no email address
(a person without a name shows as "an associate"), and for elections neither who voted nor
any ballot — only the participation and the count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import College, User
from guichet.governance.domain.decisions import positions_of
from guichet.governance.models import (
    Candidate,
    DecisionMode,
    ObjectionState,
    Position,
    PositionValue,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Round,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PUBLIC_STATUSES = (
    ProposalStatus.VOTING,
    ProposalStatus.ADOPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.WITHDRAWN,
)
DECIDED_STATUSES = (ProposalStatus.ADOPTED, ProposalStatus.REJECTED)

# The log's outcome filter: its value in the address, its label, the statuses it selects.
OUTCOMES: dict[str, tuple[StrPromise, tuple[str, ...]]] = {
    "adopted": (_("Adopted"), (ProposalStatus.ADOPTED,)),
    "not_adopted": (_("Not adopted"), (ProposalStatus.REJECTED,)),
    "under_way": (_("Under way"), (ProposalStatus.VOTING,)),
    "withdrawn": (_("Withdrawn"), (ProposalStatus.WITHDRAWN,)),
}

# Why a round ended as it did, said to anyone (the codes are Round.reason's).
REASONS: dict[str, StrPromise] = {
    "consent": _(
        "Adopted by consent: the quorum was met and no objection stood when the round closed."
    ),
    "objection_standing": _(
        "Not adopted: at least one objection still stood when the round closed — it had been "
        "neither integrated by an amendment, nor withdrawn by its author, nor declared not "
        "valid."
    ),
    "quorum_not_met": _(
        "Not adopted: too few associates took part to reach the quorum the statutes set."
    ),
    "majority": _(
        "Adopted: the yes votes reached the majority required of the votes cast (abstentions "
        "are left out)."
    ),
    "majority_not_reached": _(
        "Not adopted: the yes votes did not reach the majority required of the votes cast "
        "(abstentions are left out)."
    ),
    "no_vote_cast": _("Not adopted: nobody voted yes or no, so there was no majority to count."),
    "elected": _("The count elected the candidates named below."),
    "tie": _(
        "No one elected: candidates are tied for the most approvals. The software never draws "
        "lots: the outcome statement says how the assembly settles the tie."
    ),
    "no_one_elected": _("No one elected: the count could not fill any seat."),
    "superseded": _(
        "Ended without an outcome: the text was amended (positions then start afresh on the "
        "new version in a new round) or the proposal was withdrawn."
    ),
}

# Why an objection is where it is, said to anyone.
OBJECTION_STATES: dict[str, StrPromise] = {
    ObjectionState.RAISED: _("Raised, not examined yet: it blocks while it stands."),
    ObjectionState.EXAMINED: _("Examined and found valid: it blocks while it stands."),
    ObjectionState.INTEGRATED: _("Integrated by an amendment: it no longer blocks."),
    ObjectionState.WITHDRAWN: _("Withdrawn by its author: it no longer blocks."),
    ObjectionState.NOT_VALID: _(
        "Declared not valid by the facilitator, who wrote why: it does not block."
    ),
}


def public_name(person: User | None) -> str:
    """What the log calls a person: their name, never their email address."""
    if person is not None and person.full_name.strip():
        return person.full_name.strip()
    return gettext("an associate")


def percent_text(percentage: Fraction | Decimal | int) -> str:
    """A percentage as "33.3 %", localised (one decimal when it is not whole)."""
    value = Fraction(str(percentage)) if isinstance(percentage, Decimal) else Fraction(percentage)
    places = 0 if value.denominator == 1 else 1
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{number_format(round(number, places), places)}\u00a0%"


def share_text(share: str) -> str:
    """A share as the rounds record it ("1/3", exact) as a percentage."""
    return percent_text(Fraction(share) * 100)


# ---------------------------------------------------------------------------------------
# The list


def log_public() -> QuerySet[Proposal]:
    """Every proposal the log shows (see the module's docstring for why these)."""
    had_a_round = Exists(Round.objects.filter(proposal=OuterRef("pk")))
    return Proposal.objects.filter(
        Q(status__in=[ProposalStatus.VOTING, *DECIDED_STATUSES])
        | Q(had_a_round, status=ProposalStatus.WITHDRAWN)
    )


def _rounds_light() -> QuerySet[Round]:
    # The list needs each round's outcome and sizes, not the register or the result.
    return Round.objects.order_by("number").defer(
        "rules", "counts_by_college", "proxy_register", "result"
    )


def log_listed(*, kind: str = "", outcome: str = "", year: int | None = None) -> QuerySet[Proposal]:
    """The log, newest decision first (those under way first of all), filtered; each
    proposal's rounds prefetched as `log_rounds` (one query whatever the page's length)."""
    found = log_public()
    if kind:
        found = found.filter(kind=kind)
    if outcome:
        found = found.filter(status__in=OUTCOMES[outcome][1])
    if year is not None:
        found = found.filter(
            Q(decided_at__year=year) | Q(decided_at__isnull=True, created_at__year=year)
        )
    return found.prefetch_related(
        Prefetch("rounds", queryset=_rounds_light(), to_attr="log_rounds")
    ).order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")


def log_years() -> list[int]:
    """The years the log's filter offers: of a decision, or of the opening of one under way."""
    public = log_public()
    decided = public.filter(decided_at__isnull=False).datetimes("decided_at", "year")
    running = public.filter(decided_at__isnull=True).datetimes("created_at", "year")
    return sorted({moment.year for moment in [*decided, *running]}, reverse=True)


def deciding_round(proposal: Proposal) -> Round | None:
    """The round that decided (the last with an outcome), else the one open, else the last;
    from the prefetched `log_rounds` (or `record_rounds`) when there."""
    rounds: Sequence[Round] = getattr(proposal, "log_rounds", None) or list(
        proposal.rounds.order_by("number")
    )
    decided = [r for r in rounds if r.adopted is not None]
    if decided:
        return decided[-1]
    running = [r for r in rounds if r.closed_at is None]
    if running:
        return running[-1]
    return rounds[-1] if rounds else None


def outcome_label(proposal: Proposal) -> str:
    """The outcome in a word or two; an election says whether someone was elected."""
    if proposal.mode == DecisionMode.ELECTION:
        if proposal.status == ProposalStatus.ADOPTED:
            return gettext("Elected")
        if proposal.status == ProposalStatus.REJECTED:
            return gettext("No one elected")
    labels: dict[str, StrPromise] = {
        ProposalStatus.ADOPTED: OUTCOMES["adopted"][0],
        ProposalStatus.REJECTED: OUTCOMES["not_adopted"][0],
        ProposalStatus.VOTING: OUTCOMES["under_way"][0],
        ProposalStatus.WITHDRAWN: OUTCOMES["withdrawn"][0],
    }
    return str(labels.get(proposal.status, proposal.get_status_display()))


def log_rows_prepare(proposals: Iterable[Proposal]) -> list[Proposal]:
    """The page's proposals, each with `log_round` (its deciding round) and `log_outcome`."""
    prepared = []
    for proposal in proposals:
        proposal.log_round = deciding_round(proposal)  # type: ignore[attr-defined]
        proposal.log_outcome = outcome_label(proposal)  # type: ignore[attr-defined]
        prepared.append(proposal)
    return prepared


# ---------------------------------------------------------------------------------------
# Feeds and exports


def decided_latest(limit: int = 50) -> list[Proposal]:
    """The latest decided proposals, for the feeds: rounds and candidates prefetched."""
    found = (
        Proposal.objects.filter(status__in=DECIDED_STATUSES, decided_at__isnull=False)
        .prefetch_related(
            Prefetch("rounds", queryset=Round.objects.order_by("number"), to_attr="log_rounds"),
            Prefetch("candidates", queryset=Candidate.objects.select_related("person")),
        )
        .order_by("-decided_at", "-pk")[:limit]
    )
    return log_rows_prepare(found)


def rounds_decided() -> QuerySet[Round]:
    """Every round closed with an outcome, oldest decision first, for the open data."""
    return (
        Round.objects.filter(adopted__isnull=False, proposal__status__in=DECIDED_STATUSES)
        .select_related("proposal", "version")
        .prefetch_related(
            Prefetch("proposal__candidates", queryset=Candidate.objects.select_related("person"))
        )
        .order_by("proposal__decided_at", "proposal__reference", "number")
    )


def elected_names(round: Round, candidates: Iterable[Candidate]) -> list[str]:
    """The names of those a round elected (candidates are public), in the count's order."""
    by_id = {str(candidate.pk): candidate for candidate in candidates}
    elected = (round.result or {}).get("elected", [])
    return [public_name(by_id[c].person) for c in elected if c in by_id]


def summary_text(proposal: Proposal) -> str:
    """The outcome and counts of a decided proposal in plain text (the feeds' description)."""
    decisive = getattr(proposal, "log_round", None) or deciding_round(proposal)
    parts = [outcome_label(proposal) + "."]
    if decisive is None:
        return parts[0]
    if proposal.mode == DecisionMode.ELECTION:
        names = elected_names(decisive, proposal.candidates.all())
        if names:
            parts = [gettext("Elected: %(names)s.") % {"names": ", ".join(names)}]
        elif decisive.reason in REASONS:
            parts = [str(REASONS[decisive.reason])]
        parts.append(
            gettext("%(taken)s of %(size)s associates voted (secret ballot).")
            % {"taken": decisive.participation, "size": decisive.electorate_size}
        )
        return " ".join(parts)
    if decisive.reason in REASONS:
        parts = [str(REASONS[decisive.reason])]
    parts.append(
        gettext("%(taken)s of %(size)s associates took a position")
        % {"taken": decisive.participation, "size": decisive.electorate_size}
    )
    counted = [
        f"{PositionValue(value).label}: {decisive.counts.get(value, 0)}"
        for value in positions_of(proposal.mode)
    ]
    parts[-1] += " (" + ", ".join(counted) + ")."
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# One decision's public page


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class CollegeCount:
    name: str
    weight: str  # "" when colleges are not weighted in this round
    counts: list[int]
    total: int


@dataclass(frozen=True)
class NamedPosition:
    name: str
    value: str
    label: str
    proxy_holder: str  # who took it on their behalf, "" when they took it themselves
    comment: str


@dataclass(frozen=True)
class ObjectionShown:
    name: str  # "" when positions are anonymous
    reason: str
    change_requested: str
    state: str
    state_text: str
    examination: str


@dataclass(frozen=True)
class ProxyShown:
    giver: str
    holder: str
    accepted: bool


@dataclass(frozen=True)
class CandidateResult:
    name: str
    approvals: int
    elected: bool
    tied: bool


@dataclass(frozen=True)
class StvStep:
    number: int
    votes: list[tuple[str, str]]
    exhausted: str  # "" when no ballot is exhausted
    elected: list[str]
    excluded: str


@dataclass(frozen=True)
class ElectionResult:
    method: str  # "approval", "stv", or "" when no count was run (quorum not met)
    ballots: int
    quota: int | None
    candidates: list[CandidateResult]
    steps: list[StvStep]
    elected: list[str]


@dataclass
class RoundRecord:
    """What the log shows of one round."""

    round: Round
    version_number: int
    open: bool
    decided: bool
    reason: str
    reason_text: str
    quorum: str  # "" when there is none
    electorate_size: int
    participation: int
    position_labels: list[str] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    by_college: list[CollegeCount] = field(default_factory=list)
    weighted: bool = False
    positions: list[NamedPosition] = field(default_factory=list)
    objections: list[ObjectionShown] = field(default_factory=list)
    proxies: list[ProxyShown] = field(default_factory=list)
    proxies_accepted: int = 0
    proxies_refused: int = 0
    election: ElectionResult | None = None


@dataclass
class EntryRecord:
    """What the log shows of one decision."""

    proposal: Proposal
    outcome: str
    named: bool
    version: ProposalVersion | None
    versions: list[ProposalVersion]
    deciding: RoundRecord | None
    rounds: list[RoundRecord]


def log_entry_find(reference: str) -> Proposal:
    """The public proposal with this reference, with what its page shows prefetched; raises
    Proposal.DoesNotExist for one unknown or not public."""
    positions = Position.objects.select_related("person", "cast_by").order_by("taken_at", "pk")
    rounds = (
        Round.objects.select_related("version")
        .prefetch_related(Prefetch("positions", queryset=positions))
        .order_by("number")
    )
    return (
        log_public()
        .select_related("outcome_statement_by")
        .prefetch_related(
            Prefetch("versions", queryset=ProposalVersion.objects.order_by("number")),
            Prefetch("rounds", queryset=rounds, to_attr="record_rounds"),
            Prefetch("candidates", queryset=Candidate.objects.select_related("person")),
        )
        .get(reference=reference)
    )


def _quorum_text(share: str) -> str:
    return share_text(share) if Fraction(share) > 0 else ""


def _fraction_text(text: str) -> str:
    value = Fraction(text)
    return number_format(round(Decimal(value.numerator) / Decimal(value.denominator), 2), 2)


def _election(round: Round, candidates: Sequence[Candidate]) -> ElectionResult:
    result: Mapping[str, Any] = round.result or {}
    names = {str(c.pk): public_name(c.person) for c in candidates}
    elected = [str(c) for c in result.get("elected", [])]
    tied = [str(c) for c in result.get("tied", [])]
    method = str(result.get("method", ""))
    rows: list[CandidateResult] = []
    steps: list[StvStep] = []
    if method == "approval":
        approvals: Mapping[str, int] = result.get("approvals", {})
        rows = sorted(
            (
                CandidateResult(names.get(c, "?"), int(n), c in elected, c in tied)
                for c, n in approvals.items()
            ),
            key=lambda row: (-row.approvals, row.name),
        )
    elif method == "stv":
        for number, step in enumerate(result.get("rounds", []), start=1):
            votes = sorted(step.get("votes", {}).items(), key=lambda item: -Fraction(item[1]))
            steps.append(
                StvStep(
                    number=number,
                    votes=[(names.get(c, "?"), _fraction_text(v)) for c, v in votes],
                    exhausted=(
                        _fraction_text(step["exhausted"])
                        if Fraction(step.get("exhausted", "0")) > 0
                        else ""
                    ),
                    elected=[names.get(str(c), "?") for c in step.get("elected", [])],
                    excluded=names.get(str(step.get("excluded") or ""), ""),
                )
            )
    return ElectionResult(
        method=method,
        ballots=int(result.get("ballots", 0)),
        quota=result.get("quota"),
        candidates=rows,
        steps=steps,
        elected=[names.get(c, "?") for c in elected],
    )


def _counts_of(round: Round, mode: str, positions: Sequence[Position]) -> dict[str, int]:
    if round.counts:
        return {value: int(round.counts.get(value, 0)) for value in positions_of(mode)}
    # A round superseded by an amendment recorded no count: tally what had been said.
    tally = Counter(position.value for position in positions)
    return {value: tally.get(value, 0) for value in positions_of(mode)}


def _by_college_order(
    round: Round, colleges: Mapping[str, College]
) -> list[tuple[str, Mapping[str, int]]]:
    def order(slug: str) -> tuple[int, str]:
        known = colleges.get(slug)
        return (known.position if known else 10_000, slug)

    return sorted((round.counts_by_college or {}).items(), key=lambda item: order(item[0]))


def _round_record(
    round: Round,
    proposal: Proposal,
    colleges: Mapping[str, College],
    people: Mapping[int, User],
) -> RoundRecord:
    mode, named = proposal.mode, _named(proposal)
    rules = round.rules or {}
    positions: list[Position] = [] if round.closed_at is None else list(round.positions.all())
    record = RoundRecord(
        round=round,
        version_number=round.version.number,
        open=round.closed_at is None,
        decided=round.adopted is not None,
        reason=round.reason,
        reason_text=str(REASONS.get(round.reason, "")),
        quorum=_quorum_text(str(rules.get("quorum", "0"))),
        electorate_size=round.electorate_size,
        participation=round.participation if round.adopted is not None else len(positions),
    )
    if record.open:
        # Positions of a round under way are published when it closes: the log never sways
        # a round while it runs.
        return record
    if mode == DecisionMode.ELECTION:
        record.election = _election(round, list(proposal.candidates.all()))
    else:
        values = positions_of(mode)
        record.position_labels = [str(PositionValue(v).label) for v in values]
        counts = _counts_of(round, mode, positions)
        record.counts = [Count(str(PositionValue(v).label), counts[v]) for v in values]
        record.weighted = bool(rules.get("weighted"))
        weights = rules.get("weights", {})
        for slug, by_value in _by_college_order(round, colleges):
            college = colleges.get(slug)
            row = [int(by_value.get(v, 0)) for v in values]
            record.by_college.append(
                CollegeCount(
                    name=college.localized_name if college else slug,
                    weight=share_text(str(weights[slug]))
                    if record.weighted and slug in weights
                    else "",
                    counts=row,
                    total=sum(row),
                )
            )
        if named:
            record.positions = [
                NamedPosition(
                    name=public_name(p.person),
                    value=p.value,
                    label=str(PositionValue(p.value).label),
                    proxy_holder=public_name(p.cast_by) if p.by_proxy else "",
                    comment=p.comment if p.value != PositionValue.OBJECTION else "",
                )
                for p in positions
            ]
        record.objections = [
            ObjectionShown(
                name=public_name(p.person) if named else "",
                reason=p.comment,
                change_requested=p.change_requested,
                state=p.objection_state,
                state_text=str(OBJECTION_STATES.get(p.objection_state, "")),
                examination=p.examination,
            )
            for p in positions
            if p.value == PositionValue.OBJECTION
        ]
    register = round.proxy_register or []
    record.proxies_accepted = sum(1 for entry in register if entry.get("accepted"))
    record.proxies_refused = len(register) - record.proxies_accepted
    if named:
        record.proxies = [
            ProxyShown(
                giver=public_name(people.get(int(entry["giver"]))),
                holder=public_name(people.get(int(entry["holder"]))),
                accepted=bool(entry.get("accepted")),
            )
            for entry in register
        ]
    return record


def _named(proposal: Proposal) -> bool:
    # Elections are secret ballots whatever the flag says.
    return proposal.named_positions and proposal.mode != DecisionMode.ELECTION


def log_entry_record(proposal: Proposal) -> EntryRecord:
    """Everything the public page of a decision shows, from `log_entry_find`'s proposal;
    two more queries at most (the colleges counted, the people in the proxy register)."""
    rounds: list[Round] = list(getattr(proposal, "record_rounds", []))
    slugs = {slug for r in rounds for slug in (r.counts_by_college or {})}
    colleges = {c.slug: c for c in College.objects.filter(slug__in=slugs)} if slugs else {}
    people: dict[int, User] = {}
    if _named(proposal):
        ids = {
            int(entry[key])
            for r in rounds
            for entry in (r.proxy_register or [])
            for key in ("giver", "holder")
        }
        if ids:
            people = {u.pk: u for u in User.objects.filter(pk__in=ids).only("pk", "full_name")}
    records = [_round_record(r, proposal, colleges, people) for r in rounds]
    proposal.log_rounds = rounds  # type: ignore[attr-defined]
    decisive = deciding_round(proposal)
    versions = list(proposal.versions.all())
    return EntryRecord(
        proposal=proposal,
        outcome=outcome_label(proposal),
        named=_named(proposal),
        version=versions[-1] if versions else None,
        versions=versions,
        deciding=next((rec for rec in records if rec.round is decisive), None),
        rounds=records,
    )
