"""How a round of decision ends, as pure rules: consent, majority vote, colleges, proxies.

One person, one vote: the capital a person holds never enters here. A person votes for
themselves and, through proxies, for others; each voter counts once, and a holder may
carry at most `max_proxies` proxies (the statutes' cap) — those beyond it are refused,
in the order they were given.

Consent: each associate consents, voices a concern (never blocking) or objects (a reason
and the change that would make the proposal safe to try are mandatory). An objection
blocks while it stands — raised, or examined by a facilitator — and stops blocking once
integrated by an amendment (which opens a new round), withdrawn by its author, or
declared not valid with a written reason. A round is adopted when the quorum is met and
no objection stands. Abstaining never blocks.

Majority: yes / no / abstain; adopted when the quorum is met and the yes reach the
threshold (simple: more than half, two thirds: at least two thirds) of yes + no. With
colleges weighted by the statutes, each college's yes share is counted within it first,
then the shares are weighted (as French SCIC statutes do); a college may have a quorum of
its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

CONSENT, CONCERN, OBJECTION, ABSTAIN = "consent", "concern", "objection", "abstain"
YES, NO = "yes", "no"
CONSENT_POSITIONS = (CONSENT, CONCERN, OBJECTION, ABSTAIN)
VOTE_POSITIONS = (YES, NO, ABSTAIN)

RAISED, EXAMINED, INTEGRATED, WITHDRAWN, NOT_VALID = (
    "raised",
    "examined",
    "integrated",
    "withdrawn",
    "not_valid",
)
STANDING = frozenset({RAISED, EXAMINED})
OBJECTION_MOVES = {
    RAISED: frozenset({EXAMINED, INTEGRATED, WITHDRAWN}),
    EXAMINED: frozenset({INTEGRATED, WITHDRAWN, NOT_VALID}),
}
THRESHOLDS = {"simple": Fraction(1, 2), "two_thirds": Fraction(2, 3)}


@dataclass(frozen=True)
class Position:
    """What one associate said: `voter` speaks, for itself or as proxy of `on_behalf`."""

    voter: int
    value: str
    on_behalf: int | None = None
    # For an objection: where it stands (see OBJECTION_MOVES).
    objection_state: str = RAISED


@dataclass(frozen=True)
class Proxy:
    """`holder` votes for `giver` (in the order proxies were given)."""

    giver: int
    holder: int


@dataclass(frozen=True)
class Electorate:
    """Who may take a position, their college, and how colleges weigh (None: unweighted)."""

    colleges: Mapping[int, str]  # person → college
    weights: Mapping[str, Fraction] | None = None
    quorum: Fraction = Fraction(0)  # share of the electorate that must take a position
    college_quorum: Mapping[str, Fraction] = field(default_factory=dict)
    max_proxies: int = 1


@dataclass(frozen=True)
class Outcome:
    """The result: adopted or not, why, and the counts (overall and per college)."""

    adopted: bool
    reason: str
    counts: Mapping[str, int]
    counts_by_college: Mapping[str, Mapping[str, int]]
    participation: int
    refused_proxies: tuple[Proxy, ...] = ()


def positions_of(mode: str) -> tuple[str, ...]:
    """The positions a round of this mode takes: consent's four, or a vote's three."""
    return CONSENT_POSITIONS if mode == "consent" else VOTE_POSITIONS


def objection_move_allowed(current: str, target: str) -> bool:
    return target in OBJECTION_MOVES.get(current, frozenset())


def proxies_accepted(
    proxies: Sequence[Proxy], electorate: Electorate
) -> tuple[dict[int, int], list[Proxy]]:
    """Giver → holder for the proxies within the rules, and the refused ones: both in the
    electorate, not to oneself, one proxy per giver (the first), at most `max_proxies`
    held by anyone, and no holder who has given its own vote away."""
    accepted: dict[int, int] = {}
    held: Counter[int] = Counter()
    refused: list[Proxy] = []
    givers = {proxy.giver for proxy in proxies}
    for proxy in proxies:
        valid = (
            proxy.giver in electorate.colleges
            and proxy.holder in electorate.colleges
            and proxy.giver != proxy.holder
            and proxy.giver not in accepted
            and proxy.holder not in givers
            and held[proxy.holder] < electorate.max_proxies
        )
        if valid:
            accepted[proxy.giver] = proxy.holder
            held[proxy.holder] += 1
        else:
            refused.append(proxy)
    return accepted, refused


def effective_positions(
    positions: Iterable[Position], proxies: Sequence[Proxy], electorate: Electorate
) -> tuple[dict[int, Position], list[Proxy]]:
    """One position per person of the electorate at most: one's own, else the one its
    accepted proxy holder took on its behalf. A person's own position always wins over a
    proxy's; a position on behalf of someone without an accepted proxy is ignored."""
    accepted, refused = proxies_accepted(proxies, electorate)
    own: dict[int, Position] = {}
    delegated: dict[int, Position] = {}
    for position in positions:
        if position.on_behalf is None:
            if position.voter in electorate.colleges:
                own[position.voter] = position
        elif accepted.get(position.on_behalf) == position.voter:
            delegated[position.on_behalf] = position
    return {**delegated, **own}, refused


def _quorum_met(taken: Mapping[int, Position], electorate: Electorate) -> bool:
    size = len(electorate.colleges)
    if size == 0 or Fraction(len(taken), size) < electorate.quorum:
        return False
    for college, share in electorate.college_quorum.items():
        members = [p for p, c in electorate.colleges.items() if c == college]
        present = [p for p in members if p in taken]
        if members and Fraction(len(present), len(members)) < share:
            return False
    return True


def _counts(
    taken: Mapping[int, Position], electorate: Electorate, allowed: Sequence[str]
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    counts = dict.fromkeys(allowed, 0)
    by_college: dict[str, dict[str, int]] = {}
    for person, position in taken.items():
        counts[position.value] += 1
        college = electorate.colleges[person]
        by_college.setdefault(college, dict.fromkeys(allowed, 0))[position.value] += 1
    return counts, by_college


def consent_outcome(
    positions: Iterable[Position], electorate: Electorate, proxies: Sequence[Proxy] = ()
) -> Outcome:
    """A consent round at its close: adopted with the quorum met and no objection standing."""
    taken, refused = effective_positions(positions, proxies, electorate)
    for position in taken.values():
        if position.value not in CONSENT_POSITIONS:
            raise ValueError(f"{position.value!r} is not a position of a consent round")
    counts, by_college = _counts(taken, electorate, CONSENT_POSITIONS)
    standing = any(p.value == OBJECTION and p.objection_state in STANDING for p in taken.values())
    if not _quorum_met(taken, electorate):
        adopted, reason = False, "quorum_not_met"
    elif standing:
        adopted, reason = False, "objection_standing"
    else:
        adopted, reason = True, "consent"
    return Outcome(adopted, reason, counts, by_college, len(taken), tuple(refused))


def vote_outcome(
    positions: Iterable[Position],
    electorate: Electorate,
    proxies: Sequence[Proxy] = (),
    threshold: str = "simple",
) -> Outcome:
    """A majority vote at its close, colleges weighted when the electorate says so."""
    taken, refused = effective_positions(positions, proxies, electorate)
    for position in taken.values():
        if position.value not in VOTE_POSITIONS:
            raise ValueError(f"{position.value!r} is not a position of a vote")
    counts, by_college = _counts(taken, electorate, VOTE_POSITIONS)
    share = _yes_share(counts, by_college, electorate)
    needed = THRESHOLDS[threshold]
    if not _quorum_met(taken, electorate):
        adopted, reason = False, "quorum_not_met"
    elif share is None:
        adopted, reason = False, "no_vote_cast"
    elif share > needed or (threshold == "two_thirds" and share == needed):
        adopted, reason = True, "majority"
    else:
        adopted, reason = False, "majority_not_reached"
    return Outcome(adopted, reason, counts, by_college, len(taken), tuple(refused))


def _yes_share(
    counts: Mapping[str, int],
    by_college: Mapping[str, Mapping[str, int]],
    electorate: Electorate,
) -> Fraction | None:
    """The yes share of the votes cast (abstentions left out): plain, or per college then
    weighted by the colleges that cast votes (their weights renormalised)."""
    if electorate.weights is None:
        cast = counts[YES] + counts[NO]
        return Fraction(counts[YES], cast) if cast else None
    total_weight, weighted = Fraction(0), Fraction(0)
    for college, weight in electorate.weights.items():
        college_counts = by_college.get(college, {})
        cast = college_counts.get(YES, 0) + college_counts.get(NO, 0)
        if cast and weight > 0:
            total_weight += weight
            weighted += weight * Fraction(college_counts.get(YES, 0), cast)
    return weighted / total_weight if total_weight else None
