"""Forms of upstream contributions: logging one, changing its status or embargo, and the
justification for giving nothing back.

The upstream project is chosen among the software of the mission's lots, or typed (name or
identifier of the catalogue) when it is another one: the catalogue is far too long for a
list, and a text field works without JavaScript. Each refusal names its field, in the
page's language, and the form comes back with what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateInput, Textarea
from guichet.missions.messages import error_message
from guichet.missions.models import ContributionKind, ContributionStatus, MissionMember
from guichet.missions.services.contributions import (
    JUSTIFICATION_MAX,
    JUSTIFICATION_MIN,
    TITLE_MAX,
    URL_MAX,
    contribution_url_refusal,
)
from guichet.needs.forms_qualification import software_from_names
from guichet.network.models import Organisation, Software

OTHER = ""
# A service's sentence, translated when shown (not when this module is imported).
message_lazy = lazy(error_message, str)


class EmbargoMixin(forms.Form):
    embargo_until = forms.DateField(
        label=_("Confidential until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "For confidential work: until this date the public page shows only “a contribution "
            "to” the project, without its link or title."
        ),
        error_messages={"invalid": _("Give a date, e.g. 2026-09-30.")},
    )


class ContributionForm(EmbargoMixin):
    """A contribution one of the person's organisations made during the mission."""

    field_order = [
        "organisation",
        "software",
        "other_software",
        "kind",
        "title",
        "url",
        "status",
        "embargo_until",
    ]

    organisation = forms.TypedChoiceField(
        label=_("Contributed by"),
        coerce=int,
        error_messages={
            "required": _("Choose the organisation that made the contribution."),
            "invalid_choice": _("Choose one of the mission's organisations shown."),
        },
    )
    software = forms.ChoiceField(
        label=_("Upstream project"),
        required=False,
        help_text=_("The software of the mission's lots, or another project of the catalogue."),
        error_messages={"invalid_choice": _("Choose a project among those offered.")},
    )
    other_software = forms.CharField(
        label=_("Another project of the catalogue"),
        required=False,
        max_length=160,
        help_text=_(
            "When it is not in the list above: its name or identifier in the catalogue, "
            "e.g. PostgreSQL."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ContributionKind.choices,
        error_messages={
            "required": _("Choose the kind of contribution."),
            "invalid_choice": _("Choose a kind of contribution among those offered."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("As upstream shows it, e.g. “Fix the CSV export of tickets”."),
        error_messages={
            "required": _("Give the contribution a title, e.g. “Fix the CSV export of tickets”."),
            "max_length": _("The title is too long: write at most 200 characters."),
        },
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("Its page upstream (merge request, issue, release…), starting with https://."),
        error_messages={
            "required": message_lazy("url_not_http"),
            "max_length": _("The address is too long: at most 500 characters."),
        },
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ContributionStatus.choices,
        initial=ContributionStatus.PROPOSED,
        error_messages={"invalid_choice": _("Choose a status among those offered.")},
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[MissionMember],
        lot_software: Sequence[Software],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (member.organisation_id, member.organisation.name) for member in members
        ]
        if len(members) == 1:
            self.fields["organisation"].initial = members[0].organisation_id
        self.fields["software"].choices = [  # type: ignore[attr-defined]
            *((item.slug, item.name) for item in lot_software),
            (OTHER, _("Another project (type its name below)")),
        ]
        if lot_software:
            self.fields["software"].initial = lot_software[0].slug
        self._lot_software = {item.slug: item for item in lot_software}

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        refusal = contribution_url_refusal(url)
        if refusal is not None:
            raise forms.ValidationError(error_message(refusal), code=refusal)
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = " ".join(str(data.get("other_software", "")).split())
        chosen = data.get("software", OTHER)
        if typed:
            found, _unknown = software_from_names([typed])
            if not found:
                self.add_error(
                    "other_software",
                    forms.ValidationError(
                        _("No project of the catalogue has this name or identifier."),
                        code="unknown_software",
                    ),
                )
            else:
                data["project"] = found[0]
        elif chosen in self._lot_software:
            data["project"] = self._lot_software[chosen]
        elif "software" not in self.errors:
            self.add_error(
                "software",
                forms.ValidationError(
                    _("Choose the upstream project, or type another one below."),
                    code="software_required",
                ),
            )
        return data

    def organisation_out(self) -> Organisation:
        return Organisation.objects.get(pk=self.cleaned_data["organisation"])


class ContributionUpdateForm(EmbargoMixin):
    """A logged contribution's status and embargo date."""

    field_order = ["status", "embargo_until"]

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ContributionStatus.choices,
        help_text=_("Marking it merged tells the mission's members by email."),
        error_messages={
            "required": _("Choose a status."),
            "invalid_choice": _("Choose a status among those offered."),
        },
    )


class JustificationForm(forms.Form):
    text = forms.CharField(
        label=_("Why nothing went upstream"),
        widget=Textarea(attrs={"rows": 6}),
        max_length=JUSTIFICATION_MAX,
        help_text=_(
            "E.g. nothing reusable was written (configuration only), or the client's "
            "confidentiality: then log the contribution with an embargo date instead, if it "
            "can go upstream later. A coordinator approves the justification."
        ),
        error_messages={
            "required": message_lazy("justification_too_short"),
            "max_length": message_lazy("justification_too_long"),
        },
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if len(text) < JUSTIFICATION_MIN:
            raise forms.ValidationError(
                error_message("justification_too_short"), code="justification_too_short"
            )
        return text
