"""The consortium pages' forms: its kind, a member's days and day rate, a subcontractor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.needs.models import ConsortiumKind, ConsortiumMember, Lot
from guichet.needs.services.consortia import MAX_DAY_RATE, MAX_DAYS
from guichet.network.models import Organisation


class ConsortiumKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of consortium"),
        choices=ConsortiumKind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a kind of consortium.")},
    )


class DaysAndRateForm(forms.Form):
    """Days by half days, and a day rate excluding tax, in the page's language."""

    person_days = forms.DecimalField(
        label=_("Person-days"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Whole or half days, e.g. 12 or 2.5."),
        error_messages={
            "required": _("Give the person-days, e.g. 12 or 2.5."),
            "invalid": _("Give the person-days as a number, e.g. 12 or 2.5."),
        },
    )
    day_rate = forms.DecimalField(
        label=_("Day rate excl. tax (€)"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("In euros excluding tax, to the cent, e.g. 650 or 612.50."),
        error_messages={
            "required": _("Give the day rate, e.g. 650 or 612.50."),
            "invalid": _("Give the day rate as a number, e.g. 650 or 612.50."),
        },
    )

    def clean_person_days(self) -> Decimal:
        days: Decimal = self.cleaned_data["person_days"]
        if days < 0 or days > MAX_DAYS:
            raise forms.ValidationError(
                _("Give between 0 and %(max)s person-days.") % {"max": MAX_DAYS},
                code="days_range",
            )
        if days % Decimal("0.5"):
            raise forms.ValidationError(
                _("Person-days go by half days, e.g. 12 or 2.5."), code="half_days"
            )
        return days

    def clean_day_rate(self) -> Decimal:
        rate: Decimal = self.cleaned_data["day_rate"]
        if rate < 0 or rate > MAX_DAY_RATE:
            raise forms.ValidationError(
                _("Give a day rate between 0 and %(max)s euros.") % {"max": MAX_DAY_RATE},
                code="rate_range",
            )
        if rate != rate.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Give the day rate to the cent at most, e.g. 612.50."), code="rate_cents"
            )
        return rate


class ConsortiumMemberForm(DaysAndRateForm):
    """One member's days and day rate, prefixed by the member: one such form per member."""

    def __init__(self, *args: object, member: ConsortiumMember, **kwargs: object) -> None:
        kwargs.setdefault("prefix", f"m{member.pk}")
        kwargs.setdefault(
            "initial", {"person_days": member.person_days, "day_rate": member.day_rate}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member


SPACES = re.compile(r"\s")


class SubcontractorForm(DaysAndRateForm):
    """A subcontractor for one of the contractors offered, on some of their lots.

    The organisation is typed as its directory identifier or its SIREN: a list of every
    organisation would be far too long, and a text field works without JavaScript.
    """

    field_order = ["contractor", "organisation", "lots", "person_days", "day_rate"]

    contractor = forms.TypedChoiceField(
        label=_("Working for"),
        coerce=int,
        error_messages={
            "required": _("Choose the contractor the subcontractor works for."),
            "invalid_choice": _("Choose the contractor the subcontractor works for."),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation (identifier or SIREN)"),
        max_length=200,
        help_text=_(
            "The identifier at the end of its directory page's address, e.g. libre-et-local, "
            "or its 9-digit SIREN."
        ),
        error_messages={"required": _("Give the organisation's identifier or SIREN.")},
    )
    lots = forms.TypedMultipleChoiceField(
        label=_("Lots"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Some of the contractor's own lots."),
        error_messages={
            "required": _("Choose at least one lot for the subcontractor."),
            "invalid_choice": _("Choose among the lots shown."),
        },
    )

    def __init__(
        self,
        *args: object,
        contractors: Sequence[ConsortiumMember],
        lots: Sequence[Lot],
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("prefix", "sub")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["contractor"].choices = [  # type: ignore[attr-defined]
            (member.pk, member.organisation.name) for member in contractors
        ]
        self.fields["lots"].choices = [  # type: ignore[attr-defined]
            (lot.pk, _("Lot %(number)s: %(title)s") % {"number": lot.position, "title": lot.title})
            for lot in lots
        ]

    def clean_organisation(self) -> Organisation:
        """Any organisation of the directory, member of the network or not."""
        typed = self.cleaned_data["organisation"].strip()
        siren = SPACES.sub("", typed)
        found = (
            Organisation.objects.filter(siren=siren).first()
            if siren.isdigit()
            else Organisation.objects.filter(slug=typed.lower()).first()
        )
        if found is None:
            raise forms.ValidationError(
                _("No organisation of the directory has this identifier or SIREN."),
                code="unknown_organisation",
            )
        return found
