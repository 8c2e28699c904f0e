"""Putting to the associates' decision what the network decides together: an application
(an admission, a periodic re-evaluation, an exclusion) and a new version of the charter.

A coordinator no longer decides these: each opens a governance proposal, decided by consent,
whose text gives the associates what they decide on (proposal_text.py), and is linked to it.
When the proposal's round closes, its effect (network/decisions.py) applies the outcome.
Refusals of governance itself (the person may not propose) come as `GovernanceError`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from guichet.core.audit import audit_record
from guichet.governance.models import Proposal, ProposalKind
from guichet.governance.services.proposals import proposal_open
from guichet.network.models import Application, ApplicationKind, ApplicationStatus, Charter
from guichet.network.proposal_text import (
    application_text,
    application_title,
    charter_text,
    charter_title,
)
from guichet.network.selectors_admission import application_with_organisation, evaluation_summary
from guichet.network.services.admission import AdmissionError, application_under_decision
from guichet.network.services.charter import CharterError, current_charter, locked_draft

# A re-evaluation is an admission decided again: adopted, the member stays.
PROPOSAL_KINDS = {
    ApplicationKind.ADMISSION: ProposalKind.ADMISSION,
    ApplicationKind.REEVALUATION: ProposalKind.ADMISSION,
    ApplicationKind.EXCLUSION: ProposalKind.EXCLUSION,
}


def application_put_to_decision(*, application: Application, by: Any) -> Proposal:
    """Open the associates' decision on an application whose evaluations are complete.

    Refused before the evaluations are complete, and while a decision on it is open (one
    withdrawn without outcome may be replaced by a new one). The evaluations can no longer
    change from then on: the associates decide on what they read.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.AWAITING_DECISION:
            raise AdmissionError("application_not_awaiting_decision")
        if application_under_decision(locked):
            raise AdmissionError("application_under_decision")
        shown = application_with_organisation(Application.objects.all()).get(pk=locked.pk)
        assignments, rows = evaluation_summary(shown)
        with translation.override(settings.LANGUAGE_CODE):
            title = application_title(shown)
            text = application_text(shown, assignments, rows)
        proposal = proposal_open(
            by=by,
            title=title,
            text=text,
            kind=PROPOSAL_KINDS[ApplicationKind(locked.kind)],
            subject=f"application:{locked.pk}",
        )
        locked.proposal = proposal
        locked.save(update_fields=["proposal"])
        audit_record(
            action="application.put_to_decision",
            actor=by,
            target=locked,
            data={"proposal": proposal.reference},
        )
    application.proposal = proposal
    return proposal


def charter_put_to_decision(*, charter: Charter, by: Any) -> Proposal:
    """Open the associates' decision on the draft, as last saved; adopted, it is published.

    Refused for a published version, a draft without values, and a draft already under
    decision. From then on the draft can be neither changed nor discarded until the
    associates decide.
    """
    with transaction.atomic():
        draft = locked_draft(charter, editing=True)
        values = list(draft.values.order_by("position"))
        if not values:
            raise CharterError("charter_without_values")
        with translation.override(settings.LANGUAGE_CODE):
            title = charter_title(draft)
            text = charter_text(draft, values, current_charter())
        proposal = proposal_open(
            by=by,
            title=title,
            text=text,
            kind=ProposalKind.CHARTER_CHANGE,
            subject=f"charter:{draft.version}",
        )
        draft.proposal = proposal
        draft.save(update_fields=["proposal"])
        audit_record(
            action="charter.put_to_decision",
            actor=by,
            target=draft,
            data={"version": draft.version, "proposal": proposal.reference},
        )
    charter.proposal = proposal
    return proposal
