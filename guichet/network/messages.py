"""What the network's services refuse, said to people: one translated message per error code.

Services raise `AdmissionError(code)` or `CharterError(code)`; views and forms show
`error_message(code)`. A code without a message would show a generic sentence, and a test
checks that every code the services raise has its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs' name for a lazy string; a development dependency only
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    # The charter.
    "no_published_charter": _(
        "The network has not published its charter yet: nobody can apply or sign for now."
    ),
    "charter_without_values": _("A charter needs at least one value."),
    "charter_already_published": _("This version of the charter is already published."),
    "charter_value_incomplete": _(
        "Each value of the charter needs its title and its text, in French and in English."
    ),
    "charter_draft_exists": _(
        "A draft of the charter is already in progress: edit it, publish it or discard it "
        "before starting another."
    ),
    "charter_draft_gone": _("This draft of the charter no longer exists: it was discarded."),
    "charter_under_decision": _(
        "This draft is before the associates' decision: it can be neither changed nor "
        "discarded until they decide."
    ),
    # Applying.
    "already_member": _("This organisation is already a member of the network."),
    "not_a_member": _(
        "Only a member organisation can be re-evaluated or excluded; this one is not a member."
    ),
    "application_already_open": _(
        "This organisation already has an application of this kind in progress."
    ),
    "not_a_manager": _("Only a manager of the organisation may apply on its behalf."),
    # Evaluators.
    "application_not_open_for_evaluation": _(
        "This application is no longer open to evaluation: it has been decided or withdrawn."
    ),
    "evaluator_from_applicant": _(
        "This person belongs to the organisation under evaluation: an organisation never "
        "evaluates itself."
    ),
    "evaluator_not_in_organisation": _("This person does not belong to the chosen organisation."),
    "organisation_not_member": _(
        "Only people of an admitted member organisation may evaluate an application."
    ),
    "organisation_already_evaluates": _(
        "This organisation already evaluates the application: choose someone from another "
        "organisation."
    ),
    # Evaluations.
    "not_your_evaluation": _("This evaluation was asked of someone else."),
    "every_value_needs_a_rating": _("Rate every value of the charter before sending."),
    "invalid_rating": _("A rating is not one of: respects, partly respects, does not respect."),
    "evaluation_under_decision": _(
        "This application is before the associates' decision: its evaluations, which they "
        "read, can no longer change."
    ),
    # Decisions.
    "application_not_awaiting_decision": _(
        "A decision can be recorded only once the evaluations are complete."
    ),
    "application_under_decision": _("This application is already before the associates."),
    "rationale_required": _(
        "Give the rationale of the decision: the organisation reads it, whatever the outcome."
    ),
    "application_not_open": _("This application is already closed."),
    # Withdrawal by the organisation itself.
    "withdrawal_only_for_admission": _(
        "An organisation may withdraw only its own application for admission: a re-evaluation "
        "or an exclusion goes on until its decision. Write to the coordinators if needed."
    ),
    "withdrawal_not_a_manager": _(
        "Only a manager of the organisation may withdraw its application."
    ),
}

UNKNOWN = _("This action could not be done.")


def error_message(code: str) -> StrPromise:
    """The translated sentence for a service's error code (lazy: translated when shown)."""
    return MESSAGES.get(code, UNKNOWN)
