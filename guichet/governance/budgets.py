"""What an adopted contributive budget does: it is committed, for the finance app to spend.

Governance owns this effect itself (a budget is a field of the proposal): an adopted proposal
of the kind "contributive budget" gets `budget_committed_at`, the moment of its decision; one
not adopted commits nothing. Registered when the app starts (GovernanceConfig.ready()).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from guichet.governance import effects
from guichet.governance.models import Proposal, ProposalKind


def register_effects() -> None:
    """Called by GovernanceConfig.ready()."""
    effects.register(ProposalKind.CONTRIBUTIVE_BUDGET, budget_decided)


def budget_decided(proposal: Proposal, adopted: bool) -> str:
    """Commit the budget when adopted; the sentence names its amount."""
    if proposal.budget_amount is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        amount = number_format(proposal.budget_amount, decimal_pos=2, force_grouping=True)
        if not adopted:
            return _("Contributive budget of %(amount)s € not committed") % {"amount": amount}
        proposal.budget_committed_at = proposal.decided_at or timezone.now()
        proposal.save(update_fields=["budget_committed_at"])
        return _("Contributive budget of %(amount)s € committed") % {"amount": amount}
