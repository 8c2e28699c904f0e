"""Deciding a proposal in a test as the associates would: its discussion over, a round open,
a position from every associate of the round, the round closed.

Adopted, everyone consents; not adopted, the first associate raises an objection, which
stands at the close. The last position closes the round early (everyone has positioned);
closing it again at its deadline changes nothing, so either way the decision lands once.
"""

from __future__ import annotations

from guichet.accounts.models import User
from guichet.governance.models import PositionValue, Proposal
from guichet.governance.services.positions import position_take
from guichet.governance.services.rounds import round_close
from guichet.governance.tests.factories import after_deadline, discussed, opened

OBJECTION = "Cela ne respecte pas les valeurs du réseau."
CHANGE = "Attendre une nouvelle évaluation."


def decided(proposal: Proposal, *, adopted: bool = True) -> Proposal:
    """The proposal, decided: adopted by everyone's consent, or blocked by an objection."""
    open_round = opened(discussed(proposal))
    electorate = User.objects.filter(pk__in=[int(pk) for pk in open_round.electorate])
    for number, person in enumerate(electorate.order_by("pk")):
        if number == 0 and not adopted:
            position_take(
                round=open_round,
                by=person,
                value=PositionValue.OBJECTION,
                comment=OBJECTION,
                change_requested=CHANGE,
            )
        else:
            position_take(round=open_round, by=person, value=PositionValue.CONSENT)
    round_close(round=open_round, now=after_deadline(open_round))
    proposal.refresh_from_db()
    return proposal
