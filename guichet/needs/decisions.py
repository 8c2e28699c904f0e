"""What the associates' decisions do for the guichet: a rule change publishes a new version
of the matching rules, with the decision's reference.

Registered with governance when the app starts (NeedsConfig.ready()); governance calls it
inside the transaction that closes the round, adopted or not. The rules are in the proposal's
payload ({"matching": parameters, "note": note}), checked by the engine when it was opened.
The sentence it returns is kept with the decision and shown in its public log, in the site's
default language. It never raises for rules the engine no longer accepts: raising would roll
back the close, and the round would never close; it says so instead.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.governance import effects
from guichet.governance.models import Proposal, ProposalKind
from guichet.needs.services.matching import matching_rules_publish


def register_effects() -> None:
    """Called by NeedsConfig.ready()."""
    effects.register(ProposalKind.RULE_CHANGE, rules_decided)


def rules_decided(proposal: Proposal, adopted: bool) -> str:
    """Publish the proposed matching rules when adopted; otherwise those in force stay."""
    parameters = (proposal.payload or {}).get("matching")
    if not isinstance(parameters, dict):
        return ""  # a rule change about something else than the matching rules
    with translation.override(settings.LANGUAGE_CODE):
        if not adopted:
            return _("No new matching rules: those in force stay.")
        try:
            record = matching_rules_publish(
                parameters=parameters,
                note=str(proposal.payload.get("note", "")),
                by=None,
                decision_reference=proposal.reference,
            )
        except (KeyError, TypeError, ValueError):
            return _(
                "The matching rules could not be published: the engine no longer accepts "
                "these numbers."
            )
        return _("Version %(version)s of the matching rules published") % {
            "version": record.version
        }
