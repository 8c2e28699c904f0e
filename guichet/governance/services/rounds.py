"""Opening and closing rounds. Closing is idempotent: run twice, or late, it decides once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.governance import effects, notifications
from guichet.governance.domain import decisions, elections
from guichet.governance.models import (
    OPEN_STATUSES,
    Ballot,
    DecisionMode,
    Participation,
    Position,
    Proposal,
    ProposalStatus,
    Proxy,
    Round,
)
from guichet.governance.services.common import (
    GovernanceError,
    electorate_now,
    may_steer,
    percent,
    statutes_current,
)

MAX_ROUND_DAYS = 60

logger = logging.getLogger(__name__)


def _rules_now(proposal: Proposal) -> dict[str, Any]:
    statutes = statutes_current()
    colleges = list(statutes.colleges.select_related("college"))
    return {
        "weighted": statutes.weighted_colleges and proposal.mode == DecisionMode.MAJORITY,
        "weights": {rule.college.slug: str(percent(rule.weight_percent)) for rule in colleges},
        "quorum": str(percent(statutes.quorum_percent)),
        "college_quorum": {
            rule.college.slug: str(percent(rule.quorum_percent))
            for rule in colleges
            if rule.quorum_percent > 0
        },
        "max_proxies": statutes.max_proxies,
        "threshold": proposal.threshold,
    }


def round_open(*, proposal: Proposal, by: Any, days: int | None = None) -> Round:
    """Open the next round on the latest version, for every associate of the moment.

    It closes after `days` (the statutes' length by default), never before the discussion
    period has run; at its close the software decides, from the positions taken.
    """
    if not may_steer(proposal, by):
        raise GovernanceError("not_the_author")
    statutes = statutes_current()
    days = statutes.round_days if days is None else days
    if not 1 <= days <= MAX_ROUND_DAYS:
        raise GovernanceError("round_days_out_of_range")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in OPEN_STATUSES:
            raise GovernanceError("proposal_closed")
        if proposal.rounds.filter(closed_at__isnull=True).exists():
            raise GovernanceError("round_already_open")
        if proposal.mode == DecisionMode.ELECTION:
            if proposal.rounds.exists():
                raise GovernanceError("election_started")
            if proposal.candidates.count() < 1:
                raise GovernanceError("no_candidates")
        electorate = electorate_now()
        if not electorate:
            raise GovernanceError("no_associates")
        now = timezone.now()
        version = proposal.versions.order_by("-number").first()
        assert version is not None  # every proposal has its first version
        number = proposal.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        opened = Round.objects.create(
            proposal=proposal,
            number=number + 1,
            version=version,
            closes_at=max(now + timedelta(days=days), proposal.discussion_ends_at),
            electorate=electorate,
            rules=_rules_now(proposal),
        )
        proposal.status = ProposalStatus.VOTING
        proposal.save(update_fields=["status"])
        audit_record(
            action="round.open",
            actor=by,
            target=proposal,
            data={"round": opened.number, "version": version.number, "electorate": len(electorate)},
        )
        notifications.round_opened(opened)
        if default_task_backend.supports_defer:
            # The deadline closes it without anyone: the worker runs this at `closes_at`.
            # `close_due_rounds` (cron) catches any round this misses.
            transaction.on_commit(
                lambda: close_round.using(run_after=opened.closes_at).enqueue(round_id=opened.pk)
            )
    return opened


def round_locked(round_id: int) -> Round:
    """The round, its row locked until the transaction ends, with its proposal.

    Every governance write locks a proposal's row before its round's (an amendment locks
    the proposal, then supersedes the round): taking the two in the same order everywhere
    means a position taken while the author amends waits its turn instead of deadlocking.
    """
    proposal_id = Round.objects.filter(pk=round_id).values_list("proposal_id", flat=True).get()
    list(Proposal.objects.select_for_update().filter(pk=proposal_id).values_list("pk", flat=True))
    return Round.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=round_id)


def round_supersede(*, round: Round) -> None:
    """End an open round without outcome (an amendment or a withdrawal replaces it)."""
    Round.objects.filter(pk=round.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), reason="superseded"
    )


def domain_electorate(round: Round) -> decisions.Electorate:
    rules = round.rules
    weights = (
        {slug: Fraction(share) for slug, share in rules["weights"].items()}
        if rules.get("weighted")
        else None
    )
    return decisions.Electorate(
        colleges={int(person): college for person, college in round.electorate.items()},
        weights=weights,
        quorum=Fraction(rules.get("quorum", "0")),
        college_quorum={s: Fraction(q) for s, q in rules.get("college_quorum", {}).items()},
        max_proxies=int(rules.get("max_proxies", 1)),
    )


def proxies_for(round: Round, on: datetime | None = None) -> list[Proxy]:
    """The proxies in force for this round at `on` (its deadline by default): for its
    proposal, or for a period covering that day, not revoked by then; in the order they were
    given: the cap applies in that order."""
    moment = on or round.closes_at
    day = moment.date()
    return list(
        Proxy.objects.filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=moment))
        .filter(
            Q(proposal=round.proposal_id)
            | Q(proposal__isnull=True, starts_on__lte=day, ends_on__gte=day)
        )
        .order_by("created_at", "pk")
    )


def domain_proxies(proxies: list[Proxy]) -> list[decisions.Proxy]:
    return [decisions.Proxy(giver=p.giver_id, holder=p.holder_id) for p in proxies]


def domain_positions(round: Round) -> list[decisions.Position]:
    return [
        decisions.Position(
            voter=p.cast_by_id,
            value=p.value,
            on_behalf=p.person_id if p.cast_by_id != p.person_id else None,
            objection_state=p.objection_state or decisions.RAISED,
        )
        for p in round.positions.all()
    ]


def positioned_count(round: Round) -> int:
    """How many of the electorate have a position that counts now: their own, or one taken
    by a proxy still in force (a position by a proxy since revoked counts for nobody)."""
    if round.proposal.mode == DecisionMode.ELECTION:
        return round.participations.count()
    if not round.positions.exclude(cast_by=F("person")).exists():
        return round.positions.count()
    taken, _refused = decisions.effective_positions(
        domain_positions(round), domain_proxies(proxies_for(round)), domain_electorate(round)
    )
    return len(taken)


def _fractions_as_text(mapping: Mapping[str, Fraction]) -> dict[str, str]:
    return {key: str(value) for key, value in mapping.items()}


def _election_result(
    round: Round, electorate: decisions.Electorate
) -> tuple[bool, str, dict[str, Any]]:
    proposal = round.proposal
    candidates = [str(pk) for pk in proposal.candidates.order_by("pk").values_list("pk", flat=True)]
    ballots = list(round.ballots.values_list("choices", flat=True))
    participation = round.participations.count()
    size = len(electorate.colleges)
    if size == 0 or Fraction(participation, size) < electorate.quorum:
        return False, "quorum_not_met", {"ballots": len(ballots)}
    if proposal.seats == 1:
        approval = elections.approval_count(
            candidates, [frozenset(str(c) for c in choice) for choice in ballots]
        )
        result = {
            "method": "approval",
            "ballots": len(ballots),
            "approvals": approval.approvals,
            "elected": list(approval.winners) if len(approval.winners) == 1 else [],
            "tied": list(approval.winners) if len(approval.winners) > 1 else [],
        }
        if len(approval.winners) != 1:
            return False, "tie", result
        return True, "elected", result
    stv = elections.stv_count(candidates, [[str(c) for c in b] for b in ballots], proposal.seats)
    result = {
        "method": "stv",
        "ballots": len(ballots),
        "quota": stv.quota,
        "elected": list(stv.elected),
        "rounds": [
            {
                "votes": _fractions_as_text(step.votes),
                "exhausted": str(step.exhausted),
                "elected": list(step.elected),
                "excluded": step.excluded,
            }
            for step in stv.rounds
        ],
    }
    return bool(stv.elected), "elected" if stv.elected else "no_one_elected", result


def round_close(*, round: Round, now: datetime | None = None, early: bool = False) -> Round:
    """Decide the round, once: at its deadline, or `early` when everyone has positioned
    (and the discussion period has run). A round already closed is returned unchanged."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = round_locked(round.pk)
        if locked.closed_at is not None:
            return locked
        proposal = locked.proposal
        if now < proposal.discussion_ends_at:
            raise GovernanceError("discussion_not_over")
        if early:
            if not _complete(locked):
                raise GovernanceError("round_not_due")
        elif now < locked.closes_at:
            raise GovernanceError("round_not_due")
        electorate = domain_electorate(locked)
        # A round closed late is decided as at its deadline: the proxies of that day.
        proxies = proxies_for(locked, on=min(now, locked.closes_at))
        given_proxies = domain_proxies(proxies)
        if proposal.mode == DecisionMode.ELECTION:
            adopted, reason, result = _election_result(locked, electorate)
            counts = {"ballots": result.get("ballots", 0)}
            by_college: dict[str, Any] = {}
            participation = locked.participations.count()
            refused: tuple[decisions.Proxy, ...] = tuple(
                decisions.proxies_accepted(given_proxies, electorate)[1]
            )
        else:
            decide = (
                decisions.consent_outcome
                if proposal.mode == DecisionMode.CONSENT
                else (
                    lambda p, e, x: decisions.vote_outcome(
                        p, e, x, threshold=locked.rules.get("threshold", "simple")
                    )
                )
            )
            outcome = decide(domain_positions(locked), electorate, given_proxies)
            adopted, reason, result = outcome.adopted, outcome.reason, {}
            counts, by_college = dict(outcome.counts), dict(outcome.counts_by_college)
            participation, refused = outcome.participation, outcome.refused_proxies
        refused_ids = {id(p) for p in refused}
        locked.closed_at = now
        locked.adopted = adopted
        locked.reason = reason
        locked.counts = counts
        locked.counts_by_college = by_college
        locked.participation = participation
        locked.result = result
        locked.proxy_register = [
            {
                "giver": p.giver_id,
                "holder": p.holder_id,
                "proxy": p.pk,
                # The domain refuses its own objects: by identity, so that two proxies
                # between the same people (one for the proposal, one for a period) are told
                # apart.
                "accepted": id(given) not in refused_ids,
            }
            for p, given in zip(proxies, given_proxies, strict=True)
        ]
        locked.save()
        proposal.status = ProposalStatus.ADOPTED if adopted else ProposalStatus.REJECTED
        proposal.decided_at = now
        proposal.effect_applied = effects.effect_apply(proposal, adopted)[:200]
        proposal.save(update_fields=["status", "decided_at", "effect_applied"])
        audit_record(
            action="round.close",
            target=proposal,
            data={
                "round": locked.number,
                "adopted": adopted,
                "reason": reason,
                "participation": participation,
                "electorate": locked.electorate_size,
            },
        )
        notifications.outcome(locked)
    return locked


@task()
def close_round(*, round_id: int) -> bool:
    """Run by the worker at the round's deadline; does nothing if it is already closed."""
    found = Round.objects.filter(pk=round_id, closed_at__isnull=True).first()
    if found is None:
        return False
    round_close(round=found)
    return True


def _complete(round: Round) -> bool:
    """Whether a round may close before its deadline: every associate has positioned and,
    in a consent round, no objection stands — a standing objection keeps the round open
    until its deadline, so that it can be examined, integrated by an amendment or withdrawn
    rather than reject the proposal the moment the last position comes in."""
    if positioned_count(round) < round.electorate_size:
        return False
    if round.proposal.mode != DecisionMode.CONSENT:
        return True
    return not round.positions.filter(
        value=decisions.OBJECTION, objection_state__in=sorted(decisions.STANDING)
    ).exists()


def round_close_if_complete(*, round: Round, now: datetime | None = None) -> bool:
    """Close early if every associate has positioned, no objection stands (in consent) and
    the discussion period has run."""
    now = now or timezone.now()
    if now < round.proposal.discussion_ends_at:
        return False
    if not _complete(round):
        return False
    round_close(round=round, now=now, early=True)
    return True


def rounds_close_due(*, now: datetime | None = None) -> int:
    """Close every round past its deadline, or complete once the discussion has run; safe to
    run as often as one likes (each round decides once). Returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    due = Round.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        before = Round.objects.get(pk=pk)
        try:
            if round_close(round=before, now=now).closed_at == now:
                closed += 1
        except GovernanceError as error:
            # One inconsistent round (edited by hand) must not hold every other one back.
            logger.warning("Round %s is due but cannot close: %s", pk, error.code)
    running = (
        Round.objects.filter(
            closed_at__isnull=True,
            closes_at__gt=now,
            proposal__discussion_ends_at__lte=now,
        )
        .select_related("proposal")
        .annotate(taken=Count("positions", distinct=True) + Count("participations", distinct=True))
    )
    for candidate in running:
        if candidate.taken >= candidate.electorate_size and round_close_if_complete(
            round=candidate, now=now
        ):
            closed += 1
    return closed


def rounds_remind(*, now: datetime | None = None) -> int:
    """48 hours before a round closes, remind once those who have not positioned yet."""
    now = now or timezone.now()
    reminded = 0
    # Not the rounds already past their deadline (a late run): they close, nobody can act.
    rounds = Round.objects.filter(
        closed_at__isnull=True,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(hours=48),
    ).select_related("proposal")
    for pending in rounds:
        with transaction.atomic():
            claimed = Round.objects.filter(pk=pending.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue  # another run took it
            if pending.proposal.mode == DecisionMode.ELECTION:
                done = set(pending.participations.values_list("person_id", flat=True))
            else:
                done = set(pending.positions.values_list("person_id", flat=True))
            missing = [int(p) for p in pending.electorate if int(p) not in done]
            notifications.round_closing(pending, missing)
            reminded += 1
    return reminded


def ballots_of(round: Round) -> list[Any]:
    return list(Ballot.objects.filter(round=round).values_list("choices", flat=True))


def participations_of(round: Round) -> list[Participation]:
    return list(round.participations.select_related("person"))


def positions_of(round: Round) -> list[Position]:
    return list(round.positions.select_related("person", "cast_by", "examined_by"))
