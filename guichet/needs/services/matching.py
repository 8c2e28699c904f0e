"""Ranking a lot: rank it on the network index, record the run for audit and replay.

A run records the snapshot of the network it read, the lot's own inputs, the rules version
and the order it decided (ids and totals, and who was excluded) as numbers. The explanation
of each score is recomputed from those with the engine's own functions when the run is read
(`run_result`), and `run_replays` checks that ranking again gives the recorded order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import translation

from guichet.core.audit import audit_record
from guichet.core.errors import CodedError
from guichet.governance.models import Proposal, ProposalKind
from guichet.governance.services.proposals import proposal_open
from guichet.needs.domain import matching as engine
from guichet.needs.domain.matching_arrays import (
    LotInputs,
    NetworkIndex,
    Ordered,
    explain,
    ordered_as_record,
    ordered_pack,
    ordered_unpack,
    rank_index,
)
from guichet.needs.matching_index import index_current, lot_inputs, lot_reads, snapshot_index
from guichet.needs.models import Lot, MatchingRules, MatchingRun
from guichet.needs.rules_proposal import rules_text, rules_title
from guichet.needs.selectors_matching import rules_current, rules_from_record

# How many of the best ranked are explained component by component (the others keep their
# rank and total): more than any shortlist or page shows.
EXPLAINED = 50


class MatchingError(CodedError):
    """A lot that cannot be ranked; `code` keys a translated message (messages.py)."""


def lot_rank(*, lot: Lot, by: Any = None) -> MatchingRun:
    """Rank the lot's candidates with the rules in force and record the run.

    Refused (MatchingError) while the lot cannot be ranked honestly: an on-site lot whose
    place is unknown. The run itself is the audit record of a ranking (who, when, with
    what): no separate audit entry, which would double the cost of the most frequent write
    of the guichet.
    """
    reads = lot_reads(lot)
    current = index_current(reads.state)
    inputs = lot_inputs(lot, reads, current.rules)
    refusal = engine.ranking_refusal(inputs.need)
    if refusal is not None:
        raise MatchingError(refusal.code)
    ordered = rank_index(current.index, inputs, current.rules)
    run = MatchingRun(
        lot=lot,
        rules=current.rules_record,
        snapshot_id=current.snapshot,
        inputs={**inputs.to_dict(), "explain": EXPLAINED},
        ordered=ordered_pack(ordered, current.index),
        created_by=by if getattr(by, "pk", None) else None,
    )
    run.save(force_insert=True)
    return run


def _recorded(run: MatchingRun, index: NetworkIndex) -> Ordered:
    """The order the run recorded, as index rows (KeyError if it names an organisation the
    snapshot does not hold: a tampered record)."""
    record = ordered_unpack(bytes(run.ordered or b""))
    return Ordered(
        rules_version=run.rules.version,
        rows=np.array([index.row_of[pk] for pk in record["ranked"]], dtype=np.int64),
        totals=np.array(record["totals"], dtype=np.float64),
        excluded_rows=np.array([index.row_of[pk] for pk in record["excluded"]], dtype=np.int64),
    )


def run_result(run: MatchingRun) -> dict[str, Any]:
    """The run as people read it: ranked (the best explained), excluded with why. Computed
    once per run object."""
    cached: dict[str, Any] | None = getattr(run, "_result", None)
    if cached is not None:
        return cached
    if run.snapshot_id is None:  # recorded before the index: kept whole
        result: dict[str, Any] = run.result
    else:
        index = snapshot_index(run.snapshot_id)
        inputs = LotInputs.from_dict(run.inputs)
        rules = rules_from_record(run.rules)
        ranking = explain(index, inputs, rules, _recorded(run, index), run.inputs.get("explain"))
        result = engine.ranking_to_dict(ranking)
    run._result = result  # type: ignore[attr-defined]
    return result


def run_replays(run: MatchingRun) -> bool:
    """Whether ranking again from the run's record gives the recorded order and totals:
    false when the record was tampered with, or the engine changed since."""
    rules = rules_from_record(run.rules)
    try:
        if run.snapshot_id is None:
            ranking = engine.replay(
                run.inputs["lot"],
                run.inputs["candidates"],
                rules.to_dict(),
                run.inputs.get("explain"),
            )
            return bool(engine.ranking_to_dict(ranking) == run.result)
        index = snapshot_index(run.snapshot_id)
        again = rank_index(index, LotInputs.from_dict(run.inputs), rules)
        return ordered_as_record(again, index) == ordered_unpack(bytes(run.ordered or b""))
    except (KeyError, TypeError, ValueError):  # a record the engine cannot even read
        return False


def matching_rules_put_to_decision(*, parameters: dict[str, Any], note: str, by: Any) -> Proposal:
    """Put new rules to the associates' decision: a proposal of the kind "rule change" whose
    payload holds them; adopted, its effect publishes them (needs/decisions.py).

    Invalid parameters are refused by the engine's own checks (ValueError) before anything
    opens, so an adopted decision always has usable rules to publish. Refusals of
    governance (the person may not propose) come as `GovernanceError`.
    """
    engine.Rules.from_dict({**parameters, "version": 0})
    current, _rules = rules_current()
    note = note.strip()
    with translation.override(settings.LANGUAGE_CODE):
        title = rules_title(current)
        text = rules_text(parameters, note, current)
    return proposal_open(
        by=by,
        title=title,
        text=text,
        kind=ProposalKind.RULE_CHANGE,
        subject="matching_rules",
        payload={"matching": parameters, "note": note},
    )


def matching_rules_publish(
    *, parameters: dict[str, Any], note: str, by: Any, decision_reference: str = ""
) -> MatchingRules:
    """A new version of the rules, in force from now on: what an adopted decision of the
    associates does (needs/decisions.py), with its reference. Invalid parameters are refused
    by the engine's own checks (ValueError), so no version is ever unusable."""
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
