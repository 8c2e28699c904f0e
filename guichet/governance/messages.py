"""What the governance services refuse, said to people: one translated message per code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    "not_an_associate": _("Only associates take part in decisions."),
    "not_the_author": _("Only the proposal's author or a coordinator can do this."),
    "not_allowed": _("You cannot do this."),
    "title_required": _("Give the proposal a title."),
    "text_required": _("Write the text of the proposal."),
    "unknown_kind": _("This kind of proposal does not exist."),
    "unknown_mode": _("This decision mode does not exist."),
    "unknown_threshold": _("This majority does not exist."),
    "seats_out_of_range": _("An election fills between 1 and 50 seats."),
    "budget_required": _("A contributive budget needs a positive amount."),
    "reference_busy": _("Too many proposals are being opened at once: try again."),
    "proposal_closed": _("This proposal is decided or withdrawn: it cannot change any more."),
    "amendment_note_required": _("Say in a few words what the amendment changes."),
    "amend_the_subject": _(
        "This proposal puts a charter draft or matching rules to decision as they are: to "
        "change them, withdraw it and put a new version to decision."
    ),
    "amendment_unchanged": _("The amendment changes nothing in the text."),
    "election_started": _("The election has started: its text and candidates are fixed."),
    "comment_empty": _("The message is empty."),
    "comment_too_long": _("The message is too long (10,000 characters at most)."),
    "too_many_attachments": _("A proposal has at most 10 attachments."),
    "not_an_election": _("This proposal is not an election."),
    "candidate_not_associate": _("Only associates can stand in an election."),
    "already_candidate": _("This person already stands in this election."),
    "statement_required": _("Write the outcome statement."),
    "not_decided": _("The outcome statement comes once the decision is taken."),
    "round_days_out_of_range": _("A round lasts between 1 and 60 days."),
    "round_already_open": _("A round is already open on this proposal."),
    "no_candidates": _("An election needs at least one candidate before it opens."),
    "no_associates": _("There is no associate to decide: the network has none yet."),
    "discussion_not_over": _("The minimum discussion period has not run yet."),
    "round_not_due": _("This round is not due to close yet."),
    "round_closed": _("This round is closed."),
    "round_past_deadline": _("This round's deadline has passed: it is being closed."),
    "not_in_electorate": _(
        "You were not an associate when this round opened, so you take no position in it."
    ),
    "no_proxy": _("You hold no proxy for this person on this decision."),
    "election_needs_ballot": _("An election is decided by ballot, not by positions."),
    "unknown_position": _("This position does not exist in this decision mode."),
    "objection_reason_required": _(
        "An objection needs its reason: what harm would it do to the network's aims?"
    ),
    "objection_change_required": _(
        "An objection needs the change that would make the proposal safe to try."
    ),
    "concern_comment_required": _("Say what your concern is."),
    "already_positioned_themselves": _(
        "This person took a position themselves: a proxy cannot replace it."
    ),
    "text_too_long": _("The text is too long (5,000 characters at most)."),
    "not_an_objection": _("This position is not an objection."),
    "not_a_facilitator": _("Only a facilitator (a coordinator) examines objections."),
    "facilitator_own_objection": _("A facilitator does not examine their own objection."),
    "not_valid_reason_required": _(
        "Declaring an objection not valid needs a written reason, for its author and the log."
    ),
    "objection_move_not_allowed": _("The objection cannot go to this state from the one it has."),
    "not_your_objection": _("Only its author withdraws an objection."),
    "ballot_empty": _("Choose at least one candidate."),
    "ballot_invalid": _("The ballot names someone who is not a candidate, or someone twice."),
    "already_voted": _("This vote has been cast already; a secret ballot cannot be changed."),
    "proxy_between_associates": _("A proxy is given by an associate to another associate."),
    "proxy_to_oneself": _("You cannot give a proxy to yourself."),
    "proxy_needs_scope": _("Give the proxy for one proposal or for a period, with its dates."),
    "proxy_period_invalid": _("The period ends before it starts, or lasts more than a year."),
    "proxy_period_past": _("This period is over already."),
    "proxy_already_given": _("You have already given a proxy for this decision or period."),
    "holder_gave_proxy": _(
        "This associate has given their own vote away for it: they cannot hold yours."
    ),
    "holder_at_cap": _("This associate already holds as many proxies as the statutes allow."),
    "not_your_proxy": _("This proxy is not yours."),
    "proxy_already_revoked": _("This proxy has been revoked already."),
}
UNKNOWN = _("This step cannot be done.")


def error_message(code: str, **params: Any) -> str:
    """The sentence for a refusal's code, in the active language."""
    message = str(MESSAGES.get(code, UNKNOWN))
    return message % params if "%(" in message else message
