"""The consortium page's forms: its kind, and a member's days and day rate."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.needs.models import ConsortiumKind, ConsortiumMember
from guichet.needs.services.consortia import MAX_DAY_RATE, MAX_DAYS


class ConsortiumKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of consortium"),
        choices=ConsortiumKind.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a kind of consortium.")},
    )


class ConsortiumMemberForm(forms.Form):
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

    def __init__(self, *args: object, member: ConsortiumMember, **kwargs: object) -> None:
        kwargs.setdefault("prefix", f"m{member.pk}")
        kwargs.setdefault(
            "initial", {"person_days": member.person_days, "day_rate": member.day_rate}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member

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
