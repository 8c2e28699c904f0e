"""The client's evaluation form and a member's reply form.

They parse what people send and say every problem at once, next to its field; the services
(`evaluation_submit`, `evaluation_reply_publish`) hold the same rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import Textarea
from guichet.missions.domain.evaluations import CRITERIA, MAX_COMMENT_LENGTH, MAX_REPLY_LENGTH
from guichet.missions.models import Evaluation

RATING_CHOICES = [
    (1, _("1 — very poor")),
    (2, _("2 — poor")),
    (3, _("3 — fair")),
    (4, _("4 — good")),
    (5, _("5 — excellent")),
]
RECOMMEND_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
LABELS = {
    "quality": _("Quality of the work"),
    "deadlines": _("Deadlines kept"),
    "communication": _("Communication"),
    "openness": _("Openness"),
}
HELP = {
    "quality": _("Was the work done well, and does it meet what you asked for?"),
    "deadlines": _("Were the agreed dates and milestones kept?"),
    "communication": _("Were you kept informed, and were your questions answered?"),
    "openness": _(
        "Were the contributions made upstream, and the documentation and code handed over "
        "to you, so that you stay free to choose?"
    ),
}


def _comment_help() -> str:
    return str(
        _(
            "Read by the members concerned and the network's coordinators only, never "
            "published. At most %(max)s characters."
        )
        % {"max": MAX_COMMENT_LENGTH}
    )


def _reply_help() -> str:
    return str(
        _(
            "Shown next to the client's comment, to the mission's members and the "
            "coordinators. At most %(max)s characters."
        )
        % {"max": MAX_REPLY_LENGTH}
    )


def _rating_field(criterion: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=LABELS[criterion],
        help_text=HELP[criterion],
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )


class EvaluationForm(forms.Form):
    """Four ratings from 1 to 5, whether the client would recommend, a free comment."""

    quality = _rating_field("quality")
    deadlines = _rating_field("deadlines")
    communication = _rating_field("communication")
    openness = _rating_field("openness")
    would_recommend = forms.ChoiceField(
        label=_("Would you recommend the members who worked on this mission?"),
        choices=RECOMMEND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes or no.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=lazy(_comment_help, str)(),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=Textarea(attrs={"rows": 6}),
    )

    @classmethod
    def initial_of(cls, evaluation: Evaluation) -> dict[str, Any]:
        """The answers already sent, to change them."""
        if evaluation.submitted_at is None:
            return {}
        initial: dict[str, Any] = {c: getattr(evaluation, c) for c in CRITERIA}
        initial["would_recommend"] = "yes" if evaluation.would_recommend else "no"
        initial["comment"] = evaluation.comment
        return initial

    def ratings(self) -> dict[str, int]:
        return {criterion: int(self.cleaned_data[criterion]) for criterion in CRITERIA}

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[criterion] for criterion in CRITERIA]

    @property
    def would_recommend_value(self) -> bool:
        return bool(self.cleaned_data["would_recommend"] == "yes")


class ReplyForm(forms.Form):
    """A member organisation's public reply, shown next to the client's comment."""

    text = forms.CharField(
        label=_("Your organisation's reply"),
        help_text=lazy(_reply_help, str)(),
        max_length=MAX_REPLY_LENGTH,
        widget=Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the reply before publishing it.")},
    )
