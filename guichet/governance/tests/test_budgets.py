"""An adopted contributive budget is committed: the finance app spends committed budgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from guichet.governance import effects
from guichet.governance.models import Proposal, ProposalKind, ProposalStatus
from guichet.governance.services.positions import position_take
from guichet.governance.tests.factories import (
    associates,
    closed,
    discussed,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def budget(by: Any, amount: str = "12500.5") -> Proposal:
    return proposal(
        by,
        title="Financer la maintenance de GLPI",
        text="Un budget contributif pour l'année.",
        kind=ProposalKind.CONTRIBUTIVE_BUDGET,
        budget_amount=Decimal(amount),
    )


def in_site_language(message: str, amount: str) -> str:
    """The sentence the decision keeps, in the site's language, its amount with two places."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = number_format(Decimal(amount), decimal_pos=2, force_grouping=True)
        return gettext(message) % {"amount": shown}


def test_the_budget_effect_is_registered() -> None:
    assert ProposalKind.CONTRIBUTIVE_BUDGET in effects.registered_kinds()


def test_an_adopted_budget_is_committed_when_it_is_decided(cleared: dict[str, Any]) -> None:
    people = associates(3)
    item = budget(people[0])
    open_round = opened(discussed(item))
    for person in people:
        position_take(round=open_round, by=person, value="consent")

    item.refresh_from_db()
    assert item.status == ProposalStatus.ADOPTED
    assert item.budget_committed_at is not None
    assert item.budget_committed_at == item.decided_at
    assert item.effect_applied == in_site_language(
        "Contributive budget of %(amount)s € committed", "12500.50"
    )
    assert "500,50" in item.effect_applied  # French: two places after a comma


def test_a_budget_not_adopted_is_not_committed(cleared: dict[str, Any]) -> None:
    people = associates(2)
    item = budget(people[0], "300")
    open_round = opened(discussed(item))
    position_take(
        round=open_round,
        by=people[1],
        value="objection",
        comment="Le budget dépasse nos moyens.",
        change_requested="Le réduire de moitié.",
    )

    closed(open_round)

    item.refresh_from_db()
    assert item.status == ProposalStatus.REJECTED
    assert item.budget_committed_at is None
    assert item.effect_applied == in_site_language(
        "Contributive budget of %(amount)s € not committed", "300"
    )
