"""The forms of the associates' pages: a proposal, its amendments, its discussion and
documents, positions and ballots in its rounds, the facilitators' examination, proxies.

They check what a person can correct next to the field; the services decide the rest (their
refusals come back as the form's own errors).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.core.documents import DocumentError, document_check
from guichet.core.forms import DateInput, KeepsFilesMixin, Textarea
from guichet.governance.messages import error_message
from guichet.governance.models import (
    Candidate,
    DecisionMode,
    Proposal,
    ProposalKind,
    Threshold,
)

MARKDOWN_HELP = _(
    "Written in Markdown: a blank line between paragraphs, *italics*, **bold**, lists with "
    "“-”, links as [text](https://…). HTML and images are not shown."
)
# Admission and exclusion proposals are opened by the network's procedures, not by hand.
KINDS_BY_HAND = (
    ProposalKind.GENERAL,
    ProposalKind.CHARTER_CHANGE,
    ProposalKind.RULE_CHANGE,
    ProposalKind.CONTRIBUTIVE_BUDGET,
    ProposalKind.ELECTION,
)
DOCUMENT_MESSAGES = {
    "document_type": _("“%(name)s” is not a PDF or ODT document: only these are accepted."),
    "document_content": _(
        "“%(name)s” is named like a PDF or ODT document, but its content is not one. Export it "
        "again as PDF or ODT."
    ),
    "document_too_large": _("“%(name)s” is larger than %(max)s MB."),
    "document_empty": _("“%(name)s” is empty."),
}


def person_name(person: Any) -> str:
    return str(person)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the proposal"),
        widget=Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=MARKDOWN_HELP,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(kind.value, kind.label) for kind in KINDS_BY_HAND],
        initial=ProposalKind.GENERAL,
        help_text=_(
            "Admissions and exclusions are proposed by the network's own procedures, not here."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Decision mode"),
        choices=[
            (DecisionMode.CONSENT.value, _("Consent: adopted unless a valid objection stands")),
            (DecisionMode.MAJORITY.value, _("Majority vote: yes, no or abstain")),
        ],
        initial=DecisionMode.CONSENT,
        help_text=_("An election is always decided by secret ballot, whatever is chosen here."),
    )
    threshold = forms.ChoiceField(
        label=_("Majority needed"),
        choices=Threshold.choices,
        initial=Threshold.SIMPLE,
        help_text=_("For a majority vote only."),
    )
    named_positions = forms.BooleanField(
        label=_("Publish the positions with names"),
        required=False,
        initial=True,
        help_text=_(
            "Otherwise the decision log shows the counts only. Ballots of elections are secret."
        ),
    )
    seats = forms.IntegerField(
        label=_("Seats to fill"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        help_text=_("For an election only: how many people are elected."),
    )
    budget_amount = forms.DecimalField(
        label=_("Budget (euros)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        help_text=_("For a contributive budget only: the amount committed if it is adopted."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ProposalKind.ELECTION:
            data["mode"], data["named_positions"] = DecisionMode.ELECTION, False
        else:
            data["seats"] = 1
        if data.get("seats") is None:
            data["seats"] = 1
        if kind == ProposalKind.CONTRIBUTIVE_BUDGET:
            if data.get("budget_amount") is None and "budget_amount" not in self.errors:
                self.add_error("budget_amount", error_message("budget_required"))
        else:
            data["budget_amount"] = None
        return data


class AmendForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the proposal"),
        widget=Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=MARKDOWN_HELP,
    )
    note = forms.CharField(
        label=_("What changed"),
        widget=Textarea(attrs={"rows": 3}),
        max_length=5_000,
        help_text=_("In a few words, for the associates: it is shown with the new version."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text=_("Seen by the associates and the coordinators."),
    )


class AttachmentForm(KeepsFilesMixin, forms.Form):
    file = forms.FileField(label=_("Document (PDF or ODT)"))

    def clean_file(self) -> Any:
        try:
            return document_check(self.cleaned_data["file"])
        except DocumentError as error:
            message = str(DOCUMENT_MESSAGES.get(error.code, _("This document is refused.")))
            raise forms.ValidationError(message % error.params) from None


class GiverChoiceMixin(forms.Form):
    """`on_behalf`: whose vote the form casts, when the person holds proxies (else absent)."""

    on_behalf = forms.ModelChoiceField(
        label=_("Whose vote"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("My own"),
        help_text=_("You hold proxies on this decision: choose whose vote this is."),
    )

    def __init__(self, *args: Any, givers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if givers:
            field = self.fields["on_behalf"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = User.objects.filter(pk__in=[giver.pk for giver in givers]).order_by(
                "full_name", "email"
            )
        else:
            del self.fields["on_behalf"]


CONSENT_CHOICES = [
    ("consent", _("Consent — I can live with it, it is safe to try")),
    ("concern", _("Concern — I can live with it, with a remark (it does not block)")),
    ("objection", _("Objection — it would harm the network's aims (it blocks while it stands)")),
    ("abstain", _("Abstain — I stand aside (it never blocks)")),
]
VOTE_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))]


class PositionForm(GiverChoiceMixin):
    value = forms.ChoiceField(label=_("Your position"), widget=forms.RadioSelect, choices=())
    comment = forms.CharField(
        label=_("Comment"),
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
    )
    change_requested = forms.CharField(
        label=_("For an objection: the change that would make the proposal safe to try"),
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
    )

    def __init__(self, *args: Any, mode: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        value = self.fields["value"]
        assert isinstance(value, forms.ChoiceField)
        if mode == DecisionMode.CONSENT:
            value.choices = CONSENT_CHOICES
            self.fields["comment"].label = _(
                "Comment — for a concern, what it is; for an objection, the harm it would do"
            )
        else:
            value.choices = VOTE_CHOICES
            self.fields["comment"].label = _("Comment (optional)")
            del self.fields["change_requested"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("value")
        if value == "concern" and not data.get("comment", "").strip():
            self.add_error("comment", error_message("concern_comment_required"))
        if value == "objection":
            if not data.get("comment", "").strip():
                self.add_error("comment", error_message("objection_reason_required"))
            if not data.get("change_requested", "").strip():
                self.add_error("change_requested", error_message("objection_change_required"))
        return data


def _rank_label(rank: int) -> str:
    if rank == 1:
        return str(_("1st choice"))
    if rank == 2:
        return str(_("2nd choice"))
    if rank == 3:
        return str(_("3rd choice"))
    return str(_("%(rank)sth choice") % {"rank": rank})


class BallotForm(GiverChoiceMixin):
    """A secret ballot: approval (tick every acceptable candidate) for one seat, a ranking
    (a choice per rank, as many as one likes) for several."""

    def __init__(self, *args: Any, candidates: list[Candidate], seats: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        options = [(str(c.pk), person_name(c.person)) for c in candidates]
        self.ranked = seats > 1
        self.rank_names: list[str] = []
        if not self.ranked:
            self.fields["approved"] = forms.MultipleChoiceField(
                label=_("The candidates you approve"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick every candidate you would accept: the most approved is elected."),
            )
            return
        for rank in range(1, len(candidates) + 1):
            name = f"rank_{rank}"
            self.rank_names.append(name)
            self.fields[name] = forms.ChoiceField(
                label=_rank_label(rank),
                choices=[("", str(_("—"))), *options],
                required=rank == 1,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.ranked:
            data["choices"] = [int(pk) for pk in data.get("approved") or []]
            return data
        ranked = [data[name] for name in self.rank_names if data.get(name)]
        if len(set(ranked)) != len(ranked):
            raise forms.ValidationError(_("Rank each candidate once only."))
        data["choices"] = [int(pk) for pk in ranked]
        return data


class ExamineForm(forms.Form):
    valid = forms.ChoiceField(
        label=_("Against the criteria of validity"),
        widget=forms.RadioSelect,
        choices=[
            ("valid", _("Valid: it shows harm to the network's aims (it keeps blocking)")),
            ("not_valid", _("Not valid: a preference, not a harm (it stops blocking)")),
        ],
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
        help_text=_("Required when it is not valid: its author and the log read them."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid") == "not_valid" and not data.get("reason", "").strip():
            self.add_error("reason", error_message("not_valid_reason_required"))
        return data


class RoundOpenForm(forms.Form):
    days = forms.IntegerField(
        label=_("Length of the round (days)"),
        min_value=1,
        max_value=60,
        required=False,
    )

    def __init__(self, *args: Any, default_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].help_text = _(
            "Leave empty for the statutes' length: %(days)s days. It never closes before the "
            "discussion period has run."
        ) % {"days": default_days}


class OutcomeStatementForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome statement"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text=_("The decision in words, as the log will publish it."),
    )


class CandidateForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
        help_text=_("Why you stand, in a few lines (optional)."),
    )

    def __init__(self, *args: Any, associates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if associates is not None:
            self.fields["person"] = forms.ModelChoiceField(
                label=_("Who stands"),
                queryset=associates,
                required=False,
                empty_label=_("Myself"),
                help_text=_("A coordinator may put forward another associate."),
            )
            self.order_fields(["person", "statement"])


class ProxyForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("To whom"), queryset=User.objects.none(), empty_label=_("Choose an associate")
    )
    scope = forms.ChoiceField(
        label=_("For what"),
        widget=forms.RadioSelect,
        choices=[
            ("proposal", _("One proposal")),
            ("period", _("A period: every round closing within it")),
        ],
        initial="proposal",
    )
    proposal = forms.ModelChoiceField(
        label=_("Proposal"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Choose a proposal"),
        to_field_name="reference",
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, holders: Any, proposals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ModelChoiceField)
        holder.queryset = holders
        proposal = self.fields["proposal"]
        assert isinstance(proposal, forms.ModelChoiceField)
        proposal.queryset = proposals

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "proposal":
            if data.get("proposal") is None and "proposal" not in self.errors:
                self.add_error("proposal", _("Choose the proposal."))
            data["starts_on"] = data["ends_on"] = None
        elif data.get("scope") == "period":
            for name in ("starts_on", "ends_on"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the date."))
            data["proposal"] = None
        return data
