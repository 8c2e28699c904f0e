"""Ranking a lot: load its inputs, run the engine, record the run for audit and replay."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guichet.core.audit import audit_record
from guichet.needs.domain import matching as engine
from guichet.needs.models import Lot, MatchingRules, MatchingRun
from guichet.needs.selectors_matching import (
    lot_need,
    matching_candidates,
    rules_current,
    rules_from_record,
)

# How many of the best ranked are explained component by component (the others keep their
# rank and total): more than any shortlist or page shows.
EXPLAINED = 50


def lot_rank(*, lot: Lot, by: Any = None) -> MatchingRun:
    """Rank the lot's candidates with the rules in force and keep the run, inputs included."""
    record, rules = rules_current()
    need = lot_need(lot)
    candidates = matching_candidates(lot, need, rules)
    ranking = engine.rank(need, candidates, rules, explain=EXPLAINED)
    with transaction.atomic():
        run = MatchingRun.objects.create(
            lot=lot,
            rules=record,
            inputs={
                "lot": engine.lot_to_dict(need),
                "candidates": engine.candidates_to_columns(candidates),
                "explain": EXPLAINED,
            },
            result=engine.ranking_to_dict(ranking),
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            action="lot.rank",
            actor=by,
            target=lot,
            data={"run": run.pk, "rules": record.version, "ranked": len(ranking.ranked)},
        )
    return run


def run_replay(run: MatchingRun) -> dict[str, Any]:
    """The run recomputed from its recorded inputs and rules: equal to `run.result` unless
    the record was tampered with or the engine changed since."""
    rules = rules_from_record(run.rules)
    ranking = engine.replay(
        run.inputs["lot"], run.inputs["candidates"], rules.to_dict(), run.inputs.get("explain")
    )
    return engine.ranking_to_dict(ranking)


def matching_rules_publish(
    *, parameters: dict[str, Any], note: str, by: Any, decision_reference: str = ""
) -> MatchingRules:
    """A new version of the rules, in force from now on. Invalid parameters are refused by
    the engine's own checks (ValueError), so no version is ever unusable."""
    with transaction.atomic():
        latest = MatchingRules.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        rules = engine.Rules.from_dict({**parameters, "version": version})
        stored = rules.to_dict()
        stored.pop("version")
        record = MatchingRules.objects.create(
            version=version,
            parameters=stored,
            note=note.strip(),
            decision_reference=decision_reference,
            created_by=by,
        )
        audit_record(
            action="matching_rules.publish",
            actor=by,
            target=record,
            data={"version": version, "decision": decision_reference},
        )
    return record
