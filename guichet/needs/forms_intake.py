"""The public request form: who asks, what for, where, when, for how much; a tender's papers.

It parses what people type and says every problem at once, next to its field; the service
(`request_submit`) holds the same rules. Nothing is kept until everything is right.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from guichet.core.documents import TYPES, CheckedDocument, DocumentError, document_check
from guichet.core.forms import DateInput, DateTimeInput, KeepsFilesMixin, Textarea
from guichet.needs.messages import error_message
from guichet.needs.models import BudgetRange, ClientKind, ServiceKind
from guichet.needs.selectors import nameable_member
from guichet.needs.services.intake import RequestData
from guichet.needs.services.thread import MAX_MESSAGE_LENGTH
from guichet.network.forms_fields import CommuneField
from guichet.network.models import Organisation, Software

# The field a person never sees nor fills; robots that fill every field give themselves away.
HONEYPOT = "website"
# The form's address on a member's public profile names the member: /demande/?membre=<slug>.
MEMBER_PARAMETER = "membre"
DEADLINE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def split_names(text: str) -> list[str]:
    """ "GLPI, Nextcloud": the names typed, separated by commas, semicolons or new lines."""
    for separator in ";\n":
        text = text.replace(separator, ",")
    names: list[str] = []
    for name in (" ".join(n.split()) for n in text.split(",")):
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def software_from_names(names: list[str]) -> tuple[list[Software], list[str]]:
    """Catalogue entries named exactly (any case, or by identifier), and the names not found."""
    listed = Software.objects.filter(merged_into__isnull=True).order_by("pk")
    found: list[Software] = []
    others: list[str] = []
    for name in names:
        entry = listed.filter(name__iexact=name).first() or listed.filter(slug=name).first()
        if entry is None:
            others.append(name)
        elif entry not in found:
            found.append(entry)
    return found, others


def _max_documents_help() -> str:
    return str(
        _(
            "Only when it is a formal public tender: the consultation documents, PDF or ODT, "
            "at most %(count)s files of %(mb)s MB each."
        )
        % {
            "count": settings.GUICHET_REQUEST_MAX_DOCUMENTS,
            "mb": settings.GUICHET_REQUEST_MAX_DOCUMENT_MB,
        }
    )


class RequestForm(KeepsFilesMixin, forms.Form):
    """A client's request, as typed in the public form; its documents are kept when it comes
    back with errors."""

    # Who asks.
    client_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    client_siren = forms.CharField(
        label=_("SIREN (optional)"),
        required=False,
        max_length=11,
        help_text=_("9 digits: it helps us recognise your organisation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    client_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=ClientKind.choices, widget=forms.RadioSelect
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send the confirmation link there, then news of your request."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    # What for.
    title = forms.CharField(
        label=_("Your need in a few words"),
        max_length=200,
        help_text=_("e.g. Training forty staff members in LibreOffice"),
    )
    description = forms.CharField(
        label=_("Describe your need"),
        max_length=10000,
        help_text=_(
            "What you want to achieve, for how many people, what exists today, any constraint."
        ),
        widget=Textarea(attrs={"rows": 6}),
    )
    software = forms.CharField(
        label=_("Software concerned (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "Names separated by commas, e.g. GLPI, Nextcloud. A software that is not in the "
            "catalogue is welcome too."
        ),
        # Names are suggested from the API while typing, when JavaScript runs.
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-software": reverse_lazy("api-1:software_list"),
                "data-autocomplete-separator": ",",
                "autocomplete": "off",
            }
        ),
    )
    services = forms.MultipleChoiceField(
        label=_("Kind of service"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one."),
        error_messages={"required": lazy(error_message, str)("no_service")},
    )
    # Where and when.
    city = CommuneField(label=_("City"))
    on_site = forms.BooleanField(
        label=_("Presence on site is needed"), required=False, label_suffix=""
    )
    budget = forms.ChoiceField(
        label=_("Budget, excluding tax"), choices=BudgetRange.choices, initial=BudgetRange.UNKNOWN
    )
    start_date = forms.DateField(
        label=_("Desired start (optional)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )
    end_date = forms.DateField(
        label=_("Desired end (optional)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )
    # A formal public tender.
    is_tender = forms.BooleanField(
        label=_("This is a formal public tender"), required=False, label_suffix=""
    )
    tender_reference = forms.CharField(label=_("Tender reference"), required=False, max_length=100)
    tender_deadline = forms.DateTimeField(
        label=_("Deadline for bids"),
        required=False,
        input_formats=DEADLINE_FORMATS,
        help_text=_("Date and time, e.g. 2026-03-31 12:00"),
        widget=DateTimeInput(),
    )
    documents = MultipleFileField(
        label=_("Tender documents (optional)"),
        required=False,
        help_text=lazy(_max_documents_help, str)(),
        widget=MultipleFileInput(attrs={"accept": ",".join([*TYPES, *TYPES.values()])}),
    )
    # A member the client asks for by name (the link on its public profile), carried along.
    member = forms.CharField(
        label=_("Member you ask for"), required=False, max_length=100, widget=forms.HiddenInput
    )
    # The honeypot: hidden from people (CSS), skipped by the keyboard, ignored by screen
    # readers (the template hides its wrapper); only robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        if getattr(user, "is_authenticated", False):
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("contact_name", user.get_full_name())
            initial.setdefault("contact_email", user.email)
        super().__init__(*args, **kwargs)
        self.named_member: Organisation | None = None
        self.software_found: list[Software] = []
        self.software_other = ""
        self.checked_documents: list[CheckedDocument] = []

    def visible_fields_but_honeypot(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name != HONEYPOT]

    def clean_client_siren(self) -> str:
        siren = "".join(self.cleaned_data["client_siren"].split())
        if siren and not (len(siren) == 9 and siren.isdigit()):
            raise forms.ValidationError(_("A SIREN has 9 digits."), code="siren")
        return siren

    def clean_software(self) -> str:
        text: str = self.cleaned_data["software"]
        found, others = software_from_names(split_names(text))
        self.software_found = found
        self.software_other = ", ".join(others)[:300]
        return text

    def clean_member(self) -> str:
        slug: str = self.cleaned_data["member"].strip()
        self.named_member = nameable_member(slug)
        return slug

    def clean_start_date(self) -> date | None:
        return self._not_in_past(self.cleaned_data["start_date"])

    def clean_end_date(self) -> date | None:
        return self._not_in_past(self.cleaned_data["end_date"])

    @staticmethod
    def _not_in_past(day: date | None) -> date | None:
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(error_message("date_in_past"), code="date_in_past")
        return day

    def clean_documents(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["documents"]
        limit = settings.GUICHET_REQUEST_MAX_DOCUMENTS
        if len(files) > limit:
            raise forms.ValidationError(
                error_message("too_many_documents", max=limit), code="too_many_documents"
            )
        problems = []
        checked = []
        for upload in files:
            try:
                checked.append(document_check(upload))
            except DocumentError as error:
                problems.append(
                    forms.ValidationError(
                        error_message(error.code, **error.params), code=error.code
                    )
                )
        if problems:
            raise forms.ValidationError(problems)
        self.checked_documents = checked
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", error_message("end_before_start"))
        if data.get("is_tender"):
            if "tender_reference" in data and not data["tender_reference"].strip():
                self.add_error("tender_reference", error_message("tender_reference_required"))
            deadline: datetime | None = data.get("tender_deadline")
            if deadline is None and "tender_deadline" not in self.errors:
                self.add_error("tender_deadline", error_message("tender_deadline_required"))
            elif deadline is not None and deadline <= timezone.now():
                self.add_error("tender_deadline", error_message("tender_deadline_past"))
        elif data.get("documents"):
            self.add_error("documents", error_message("documents_without_tender"))
        if data.get("member") and self.named_member is None:
            # The field is hidden: the message goes to the top of the form, shown again
            # without it, so that sending it again asks the whole network.
            self.add_error(None, error_message("member_not_nameable"))
        return data

    def request_data(self) -> RequestData:
        data: dict[str, Any] = self.cleaned_data
        is_tender = bool(data["is_tender"])
        return RequestData(
            client_name=data["client_name"],
            client_kind=data["client_kind"],
            client_siren=data.get("client_siren", ""),
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data.get("contact_phone", ""),
            title=data["title"],
            description=data["description"],
            software=tuple(self.software_found),
            software_other=self.software_other,
            services=tuple(data["services"]),
            commune=data["city"],
            on_site=bool(data["on_site"]),
            budget=data.get("budget") or BudgetRange.UNKNOWN,
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            is_tender=is_tender,
            tender_reference=data.get("tender_reference", "") if is_tender else "",
            tender_deadline=data.get("tender_deadline") if is_tender else None,
            named_provider=self.named_member,
        )


class ReplyForm(forms.Form):
    """The client's answer in the thread with the coordinators."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=Textarea(attrs={"rows": 5}),
    )
