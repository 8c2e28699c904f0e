"""Elections, as pure rules: approval voting for one seat, single transferable vote (STV)
for several. The ballot is secret: these functions see ballots, never who cast them.

Approval: each voter approves as many candidates as they like; the most approved wins. A
tie is reported as such (the candidates tied), never settled by chance: the outcome
statement records how the assembly settles it.

STV, for `seats` seats, with exact fractions (docs/algorithms/elections.md):
1. The quota is the Droop quota: floor(valid ballots / (seats + 1)) + 1.
2. Each ballot counts, at its weight (1 at first), for its highest-ranked continuing
   candidate.
3. A candidate reaching the quota is elected (the one with most votes first); the ballots
   counting for them carry on at weight * surplus / votes (the weighted inclusive Gregory
   method), so that no vote counts twice.
4. When nobody reaches the quota, the candidate with fewest votes is excluded and their
   ballots carry on at their weight. Ties for exclusion go to whoever had fewer votes at the
   latest round where they differed, then to the candidate listed last.
5. When as many candidates continue as seats remain, they are all elected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class ApprovalResult:
    approvals: dict[str, int]
    winners: tuple[str, ...]  # one, or several when tied

    @property
    def tied(self) -> bool:
        return len(self.winners) > 1


def approval_count(candidates: Sequence[str], ballots: Sequence[frozenset[str]]) -> ApprovalResult:
    """Approvals per candidate (a ballot naming an unknown candidate is counted for the
    known ones only), and the most approved."""
    approvals = dict.fromkeys(candidates, 0)
    for ballot in ballots:
        for candidate in ballot:
            if candidate in approvals:
                approvals[candidate] += 1
    best = max(approvals.values(), default=0)
    winners = tuple(c for c in candidates if approvals[c] == best) if best else ()
    return ApprovalResult(approvals, winners)


@dataclass(frozen=True)
class StvRound:
    votes: dict[str, Fraction]  # continuing candidates' votes at this round
    exhausted: Fraction  # weight of ballots with no continuing candidate left
    elected: tuple[str, ...]
    excluded: str | None


@dataclass(frozen=True)
class StvResult:
    quota: int
    elected: tuple[str, ...]
    rounds: tuple[StvRound, ...]


def droop_quota(valid: int, seats: int) -> int:
    return valid // (seats + 1) + 1


def stv_count(candidates: Sequence[str], ballots: Sequence[Sequence[str]], seats: int) -> StvResult:
    """Elect `seats` of `candidates` from ranked ballots (first choice first)."""
    if seats < 1:
        raise ValueError("at least one seat")
    known = set(candidates)
    cleaned = []
    for ballot in ballots:
        seen: list[str] = []
        for candidate in ballot:
            if candidate in known and candidate not in seen:
                seen.append(candidate)
        if seen:
            cleaned.append(seen)
    quota = droop_quota(len(cleaned), seats)
    weights = [Fraction(1)] * len(cleaned)
    continuing = list(candidates)
    elected: list[str] = []
    rounds: list[StvRound] = []
    history: list[dict[str, Fraction]] = []
    while len(elected) < seats and continuing:
        if len(continuing) <= seats - len(elected):
            votes = _tally(cleaned, weights, continuing)
            rounds.append(
                StvRound(votes, _exhausted(cleaned, weights, continuing), tuple(continuing), None)
            )
            elected.extend(continuing)
            break
        votes = _tally(cleaned, weights, continuing)
        history.append(votes)
        reaching = [c for c in continuing if votes[c] >= quota]
        if reaching:
            winner = max(reaching, key=lambda c: (votes[c], -candidates.index(c)))
            surplus = votes[winner] - quota
            factor = surplus / votes[winner]
            for at, ballot in enumerate(cleaned):
                if _current(ballot, continuing) == winner:
                    weights[at] *= factor
            rounds.append(
                StvRound(votes, _exhausted(cleaned, weights, continuing), (winner,), None)
            )
            elected.append(winner)
            continuing.remove(winner)
            continue
        loser = min(continuing, key=lambda c: _exclusion_key(c, history, candidates))
        rounds.append(StvRound(votes, _exhausted(cleaned, weights, continuing), (), loser))
        continuing.remove(loser)
    return StvResult(quota, tuple(elected), tuple(rounds))


def _current(ballot: Sequence[str], continuing: Sequence[str]) -> str | None:
    return next((c for c in ballot if c in continuing), None)


def _tally(
    ballots: Sequence[Sequence[str]], weights: Sequence[Fraction], continuing: Sequence[str]
) -> dict[str, Fraction]:
    votes = dict.fromkeys(continuing, Fraction(0))
    for ballot, weight in zip(ballots, weights, strict=True):
        current = _current(ballot, continuing)
        if current is not None:
            votes[current] += weight
    return votes


def _exhausted(
    ballots: Sequence[Sequence[str]], weights: Sequence[Fraction], continuing: Sequence[str]
) -> Fraction:
    return sum(
        (w for b, w in zip(ballots, weights, strict=True) if _current(b, continuing) is None),
        Fraction(0),
    )


def _exclusion_key(
    candidate: str, history: Sequence[dict[str, Fraction]], candidates: Sequence[str]
) -> tuple[Fraction, ...]:
    """Fewest votes now, then at the latest earlier round, …, then listed last."""
    return (
        *(round_votes.get(candidate, Fraction(0)) for round_votes in reversed(history)),
        Fraction(-candidates.index(candidate)),
    )
