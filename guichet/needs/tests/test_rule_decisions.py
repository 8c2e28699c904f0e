"""A rule change decided by the associates publishes a new version of the matching rules.

The pages are tested in test_matching_views.py; here the service and the decision's effect.
"""

from __future__ import annotations

from typing import Any

import pytest

from guichet.governance import effects
from guichet.governance.models import Proposal, ProposalKind, ProposalStatus
from guichet.governance.services.proposals import proposal_open
from guichet.needs.models import MatchingRules
from guichet.needs.selectors_matching import rules_current
from guichet.needs.services.matching import matching_rules_put_to_decision
from guichet.network.tests.deciding import decided

pytestmark = pytest.mark.django_db


def parameters(**changes: Any) -> dict[str, Any]:
    """The rules in force, as the form gives them, with some numbers changed."""
    _record, rules = rules_current()
    values = rules.to_dict()
    values.pop("version")
    values.update(changes)
    return values


def test_the_rule_change_effect_is_registered() -> None:
    assert ProposalKind.RULE_CHANGE in effects.registered_kinds()


def test_an_adopted_rule_change_publishes_the_rules_with_the_decision_reference(
    demo: dict[str, Any],
) -> None:
    before, _rules = rules_current()
    proposal = matching_rules_put_to_decision(
        parameters=parameters(onsite_radius_km=250.0), note="  Plus loin.  ", by=demo["staff"]
    )
    assert proposal.kind == ProposalKind.RULE_CHANGE
    assert proposal.payload == {
        "matching": parameters(onsite_radius_km=250.0),
        "note": "Plus loin.",
    }

    proposal = decided(proposal)

    record, rules = rules_current()
    assert proposal.status == ProposalStatus.ADOPTED
    assert record.version == before.version + 1
    assert record.decision_reference == proposal.reference
    assert record.created_by is None  # the decision published it, not a person
    assert rules.onsite_radius_km == 250.0
    assert record.note == "Plus loin."


def test_rules_the_engine_refuses_open_no_decision(demo: dict[str, Any]) -> None:
    count = Proposal.objects.count()

    with pytest.raises(ValueError, match="weights cannot be negative"):
        matching_rules_put_to_decision(
            parameters=parameters(
                weights={"fit": -1, "proximity": 1, "capacity": 1, "satisfaction": 1, "spread": 1}
            ),
            note="Non.",
            by=demo["staff"],
        )

    assert Proposal.objects.count() == count


def test_a_rule_change_about_something_else_publishes_nothing(demo: dict[str, Any]) -> None:
    versions = MatchingRules.objects.count()
    proposal = proposal_open(
        by=demo["coordinator"],
        title="Changer le règlement intérieur",
        text="Un autre règlement.",
        kind=ProposalKind.RULE_CHANGE,
    )

    proposal = decided(proposal)

    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.effect_applied == ""
    assert MatchingRules.objects.count() == versions


def test_rules_the_engine_no_longer_accepts_are_not_published_but_the_decision_closes(
    demo: dict[str, Any],
) -> None:
    versions = MatchingRules.objects.count()
    proposal = matching_rules_put_to_decision(
        parameters=parameters(onsite_radius_km=250.0), note="Plus loin.", by=demo["staff"]
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        payload={"matching": {"no_such_parameter": 1}, "note": ""}
    )
    proposal.refresh_from_db()

    proposal = decided(proposal)

    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.effect_applied
    assert MatchingRules.objects.count() == versions
