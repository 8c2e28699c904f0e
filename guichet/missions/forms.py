"""The forms of a mission's page: status, details, milestones, days, invoices, documents.

They share one page, so each has field ids of its own (two have a "title", two a "member")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from guichet.core.documents import DocumentError, document_check
from guichet.core.forms import DateInput, KeepsFilesMixin, OwnFieldIds
from guichet.missions.domain import workflow
from guichet.missions.models import InvoiceStatus, MissionMember, MissionStatus
from guichet.needs.messages import error_message as document_message


class MoveForm(OwnFieldIds, forms.Form):
    field_ids = "move_%s"
    target = forms.ChoiceField(label=_("New status"), choices=MissionStatus.choices)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(workflow.moves_from(current))
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (value, label) for value, label in MissionStatus.choices if value in allowed
        ]


class MissionForm(OwnFieldIds, forms.Form):
    field_ids = "mission_%s"
    title = forms.CharField(label=_("Title"), max_length=200)
    includes_development = forms.BooleanField(
        label=_("Includes development work"),
        required=False,
        help_text=_(
            "Then the mission closes only with an upstream contribution logged, or a "
            "justification approved by a coordinator."
        ),
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())


class MilestoneForm(OwnFieldIds, forms.Form):
    field_ids = "milestone_%s"
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MemberChoiceMixin(forms.Form):
    member = forms.ModelChoiceField(label=_("Organisation"), queryset=MissionMember.objects.none())

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members  # type: ignore[attr-defined]
        # One organisation to speak for (the usual case): chosen already.
        if len(members) == 1:
            field.initial = members[0].pk
            field.empty_label = None  # type: ignore[attr-defined]
        field.label_from_instance = lambda member: member.organisation.name  # type: ignore[attr-defined]


class DaysForm(OwnFieldIds, MemberChoiceMixin):
    field_ids = "days_%s"
    month = forms.CharField(
        label=_("Month"),
        help_text=_("As year-month, for example 2026-11."),
        widget=forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"}),
    )
    days = forms.DecimalField(
        label=_("Person-days delivered"),
        min_value=Decimal(0),
        max_digits=5,
        decimal_places=1,
        localize=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = date.today().strftime("%Y-%m")

    def clean_month(self) -> date:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                _("Give the month as year-month, for example 2026-11.")
            ) from None

    def clean_days(self) -> Decimal:
        days: Decimal = self.cleaned_data["days"]
        maximum = settings.GUICHET_MISSION_MAX_DAYS_PER_MONTH
        if days > maximum:
            raise forms.ValidationError(
                _(
                    "That is more days than one organisation can deliver in a month on one "
                    "mission (%(max)s at most)."
                )
                % {"max": maximum}
            )
        return days


class InvoiceForm(OwnFieldIds, MemberChoiceMixin):
    field_ids = "invoice_%s"
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount_excl_tax = forms.DecimalField(
        label=_("Amount excl. tax (€)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"),
        initial=Decimal("20.00"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
    )


class InvoiceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=InvoiceStatus.choices)


class DocumentForm(KeepsFilesMixin, OwnFieldIds, forms.Form):
    field_ids = "document_%s"
    file = forms.FileField(label=_("Document (PDF or ODT)"))

    def clean_file(self) -> Any:
        try:
            return document_check(self.cleaned_data["file"])
        except DocumentError as error:
            raise forms.ValidationError(document_message(error.code, **error.params)) from None
