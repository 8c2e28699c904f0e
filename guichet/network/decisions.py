"""What the associates' decisions do in the network: admit, confirm or exclude an organisation,
publish a version of the charter.

Registered with governance when the app starts (NetworkConfig.ready()). Governance calls them
inside the transaction that closes the round, adopted or not, so that a decision and what it
does land together; each returns a short sentence of what it did, kept with the decision and
shown in its public log. They find what the proposal decides by its link (an application's or
a charter's `proposal`); a proposal of these kinds opened by hand, linked to nothing, does
nothing. Texts are in the site's default language, as the decision log is.

An effect never raises for a state it can explain (the application was withdrawn meanwhile):
raising would roll back the close, and the round would never close. It says so instead.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.governance import effects
from guichet.governance.models import PositionValue, Proposal, ProposalKind, Round
from guichet.network.messages import error_message
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Charter,
    DecisionChannel,
)
from guichet.network.services.admission import application_decide
from guichet.network.services.charter import CharterError, charter_publish

# What the decision did, by kind of application and outcome (kept with the decision).
DONE = {
    (ApplicationKind.ADMISSION, True): gettext_lazy("%(organisation)s admitted to the network"),
    (ApplicationKind.ADMISSION, False): gettext_lazy(
        "The application of %(organisation)s is not accepted"
    ),
    (ApplicationKind.REEVALUATION, True): gettext_lazy(
        "%(organisation)s confirmed as a member by its re-evaluation"
    ),
    (ApplicationKind.REEVALUATION, False): gettext_lazy(
        "%(organisation)s not confirmed by its re-evaluation (it stays a member unless an "
        "exclusion is decided)"
    ),
    (ApplicationKind.EXCLUSION, True): gettext_lazy("%(organisation)s excluded from the network"),
    (ApplicationKind.EXCLUSION, False): gettext_lazy(
        "%(organisation)s not excluded: it stays a member"
    ),
}

# Why a round ended as it did, in the rationale the organisation reads.
REASONS = {
    "consent": gettext_lazy("No valid objection stood and the quorum was met."),
    "objection_standing": gettext_lazy("A valid objection stood at the close."),
    "quorum_not_met": gettext_lazy("The quorum was not met."),
    "majority": gettext_lazy("The majority needed was reached."),
    "majority_not_reached": gettext_lazy("The majority needed was not reached."),
    "no_vote_cast": gettext_lazy("No position was taken."),
}


def register_effects() -> None:
    """Called by NetworkConfig.ready()."""
    effects.register(ProposalKind.ADMISSION, application_decided)
    effects.register(ProposalKind.EXCLUSION, application_decided)
    effects.register(ProposalKind.CHARTER_CHANGE, charter_decided)


def deciding_round(proposal: Proposal) -> Round | None:
    """The round whose close decided the proposal (the latest closed, not superseded)."""
    return (
        proposal.rounds.filter(closed_at__isnull=False)
        .exclude(reason="superseded")
        .order_by("-number")
        .first()
    )


def decision_rationale(proposal: Proposal, adopted: bool) -> str:
    """The decision in words, with its reference, why it ended so and its counts."""
    outcome = _("adopted") if adopted else _("not adopted")
    sentences = [
        _("Decided by the associates (decision %(reference)s): %(outcome)s.")
        % {"reference": proposal.reference, "outcome": outcome}
    ]
    round = deciding_round(proposal)
    if round is None:
        return " ".join(sentences)
    if round.reason in REASONS:
        sentences.append(str(REASONS[round.reason]))
    labels = dict(PositionValue.choices)
    counts = ", ".join(
        _("%(label)s: %(value)s") % {"label": str(labels[position]).lower(), "value": count}
        for position, count in round.counts.items()
        if position in labels
    )
    if counts:
        sentences.append(_("Positions taken: %(counts)s.") % {"counts": counts})
    sentences.append(
        ngettext(
            "%(count)s associate out of %(size)s took a position.",
            "%(count)s associates out of %(size)s took a position.",
            round.participation,
        )
        % {"count": round.participation, "size": round.electorate_size}
    )
    return " ".join(sentences)


def application_decided(proposal: Proposal, adopted: bool) -> str:
    """Admit, confirm or exclude (or not) the organisation whose application it decides."""
    application = (
        Application.objects.select_related("organisation").filter(proposal=proposal).first()
    )
    if application is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        name = application.organisation.name
        if application.status != ApplicationStatus.AWAITING_DECISION:
            return _(
                "Nothing applied: the application of %(organisation)s was closed before the "
                "decision."
            ) % {"organisation": name}
        application_decide(
            application=application,
            accepted=adopted,
            rationale=decision_rationale(proposal, adopted),
            by=None,
            through=DecisionChannel.GOVERNANCE,
            reference=proposal.reference,
        )
        return str(DONE[(ApplicationKind(application.kind), adopted)]) % {"organisation": name}


def charter_decided(proposal: Proposal, adopted: bool) -> str:
    """Publish the draft it decides, with the decision's reference; not adopted, the draft
    stays, free to be changed and put to decision again."""
    charter = Charter.objects.filter(proposal=proposal).first()
    if charter is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        version = {"version": charter.version}
        if not adopted:
            return (
                _(
                    "Version %(version)s of the charter is not published: its draft stays, to be "
                    "changed."
                )
                % version
            )
        try:
            charter_publish(charter=charter, decision_reference=proposal.reference)
        except CharterError as error:
            return _("Version %(version)s of the charter could not be published: %(reason)s") % {
                **version,
                "reason": error_message(error.code),
            }
        return _("Version %(version)s of the charter published") % version
