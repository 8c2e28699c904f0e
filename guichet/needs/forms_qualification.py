"""Forms of qualification by a coordinator: the list's filter, a lot, the client's
organisation, a tender's rules, a message to the client, and "not the right fit".

Every message is translated and names the field it is about; a form that refuses its input
writes nothing, and comes back with what was typed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateInput, Textarea
from guichet.needs.models import Lot, Request, RequestStatus
from guichet.needs.models.lots import cpv_validator
from guichet.needs.selectors import organisation_by_siren, organisations_that_may_be_clients
from guichet.needs.services.qualification import (
    MAX_PERSON_DAYS,
    MIN_RATIONALE_LENGTH,
    LotData,
)
from guichet.needs.services.thread import MAX_MESSAGE_LENGTH
from guichet.network.forms_fields import did_you_mean
from guichet.network.models import Commune, Organisation, Software
from guichet.network.selectors_profile import communes_for_place
from guichet.network.validators import validate_siren

MAX_SOFTWARE_NAMES = 30
HALF = Decimal("0.5")


def split_names(text: str) -> list[str]:
    """ "GLPI, Nextcloud": the names typed, separated by commas, semicolons or new lines, each
    once (whatever its case), in the order typed."""
    seen: dict[str, str] = {}
    for name in re.split(r"[,;\n]", text):
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def software_from_names(names: list[str]) -> tuple[list[Software], list[str]]:
    """The catalogue entries named (by name, any case, or by identifier; merged entries
    left out), and the names found nowhere. One query."""
    if not names:
        return [], []
    wanted = Q(slug__in=[name.lower() for name in names])
    for name in names:
        wanted |= Q(name__iexact=name)
    by_key: dict[str, Software] = {}
    # The SILL has names that differ only by case ("NextCloud", "Nextcloud"): the oldest wins.
    for item in Software.objects.filter(merged_into__isnull=True).filter(wanted).order_by("pk"):
        by_key.setdefault(item.name.casefold(), item)
        by_key.setdefault(item.slug, item)
    found: dict[int, Software] = {}
    unknown: list[str] = []
    for name in names:
        match = by_key.get(name.casefold()) or by_key.get(name.lower())
        if match is None:
            unknown.append(name)
        else:
            found.setdefault(match.pk, match)
    return list(found.values()), unknown


class RequestFilterForm(forms.Form):
    """The coordinators' list, by status; unconfirmed requests only when asked for."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All confirmed")), *RequestStatus.choices],
    )


class LotForm(forms.Form):
    """One lot of a request: what, with which software and skills, how many days, where, when."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the lot a title, e.g. “Training of the agents”.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("What the provider will do, as the members will read it."),
    )
    software = forms.CharField(
        label=_("Software"),
        required=False,
        max_length=1000,
        help_text=_("Names from the catalogue, separated by commas, e.g. GLPI, Nextcloud."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=300,
        help_text=_("e.g. PostgreSQL administration, data migration, training."),
    )
    cpv_code = forms.CharField(
        label=_("CPV code (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "The common procurement vocabulary code public buyers use: eight digits, "
            "e.g. 72253200, optionally followed by a dash and a check digit."
        ),
    )
    person_days = forms.DecimalField(
        label=_("Estimated person-days"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Whole or half days, e.g. 12 or 2.5."),
        error_messages={
            "required": _("Give an estimate of the person-days, e.g. 12 or 2.5."),
            "invalid": _("Give the person-days as a number, e.g. 12 or 2.5."),
        },
    )
    on_site = forms.BooleanField(label=_("On-site presence needed"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=120)
    start_date = forms.DateField(
        label=_("Start"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a date, e.g. 2026-09-01.")},
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a date, e.g. 2026-12-15.")},
    )

    def __init__(self, *args: Any, request: Request, lot: Lot | None = None, **kwargs: Any):
        if lot is not None:
            kwargs.setdefault("initial", self._initial_from_lot(lot))
        else:
            kwargs.setdefault("initial", self._initial_from_request(request))
        super().__init__(*args, **kwargs)
        self.request = request
        self.lot = lot
        place = str(request.commune) if request.commune_id else ""
        self.fields["place"].help_text = _(
            "A city or a postal code, e.g. Lyon, 69003 or Saint-Aubin (39). Leave empty for "
            "the request's place: %(place)s."
        ) % {"place": place or "—"}

    @staticmethod
    def _initial_from_request(request: Request) -> dict[str, Any]:
        return {
            "software": ", ".join(item.name for item in request.software.all()),
            "on_site": request.on_site,
            "start_date": request.start_date,
            "deadline": request.end_date,
        }

    @staticmethod
    def _initial_from_lot(lot: Lot) -> dict[str, Any]:
        return {
            "title": lot.title,
            "description": lot.description,
            "software": ", ".join(item.name for item in lot.software.all()),
            "skills": lot.skills,
            "cpv_code": lot.cpv_code,
            "person_days": lot.person_days,
            "on_site": lot.on_site,
            "place": str(lot.commune) if lot.commune_id else "",
            "start_date": lot.start_date,
            "deadline": lot.deadline,
        }

    def clean_software(self) -> list[Software]:
        names = split_names(self.cleaned_data["software"])
        if len(names) > MAX_SOFTWARE_NAMES:
            raise forms.ValidationError(
                _("Name at most %(max)s software for one lot."),
                code="too_many_software",
                params={"max": MAX_SOFTWARE_NAMES},
            )
        found, unknown = software_from_names(names)
        if unknown:
            message = _(
                "Not in the catalogue: %(names)s. Check the spelling (names are separated "
                "by commas), or add the software to the catalogue first."
            ) % {"names": ", ".join(f"“{name}”" for name in unknown)}
            hints = filter(None, (did_you_mean(name) for name in unknown))
            raise forms.ValidationError(" ".join([message, *hints]), code="unknown_software")
        return found

    def clean_cpv_code(self) -> str:
        code = "".join(self.cleaned_data["cpv_code"].split())
        if code:
            cpv_validator(code)
        return code

    def clean_person_days(self) -> Decimal:
        days: Decimal = self.cleaned_data["person_days"]
        if days <= 0:
            raise forms.ValidationError(
                _("Give a number of person-days above zero, e.g. 12 or 2.5."), code="days_min"
            )
        if days > MAX_PERSON_DAYS:
            raise forms.ValidationError(
                _(
                    "At most %(max)s person-days for one lot: split a larger need into "
                    "several lots."
                ),
                code="days_max",
                params={"max": number_format(MAX_PERSON_DAYS, force_grouping=True)},
            )
        if days % HALF:
            raise forms.ValidationError(
                _("Count in whole or half days, e.g. 12 or 2.5."), code="days_half"
            )
        return days.quantize(Decimal("0.1"))

    def clean_place(self) -> Commune | None:
        text = self.cleaned_data["place"].strip()
        if not text:
            return None
        if self.lot is not None and self.lot.commune_id and text == str(self.lot.commune):
            return self.lot.commune  # unchanged: never swapped for a namesake
        found = communes_for_place(text)
        if not found:
            raise forms.ValidationError(
                _(
                    "We do not know the city “%(city)s”. Check its spelling or give its "
                    "postal code."
                ),
                code="unknown_city",
                params={"city": text},
            )
        return found[0]

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        unchanged = self.lot is not None and deadline == self.lot.deadline
        if deadline and not unchanged and deadline < timezone.localdate():
            raise forms.ValidationError(
                _("The deadline cannot be in the past."), code="deadline_past"
            )
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, deadline = data.get("start_date"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error(
                "deadline",
                forms.ValidationError(
                    _("The deadline cannot come before the start (%(start)s)."),
                    code="deadline_early",
                    params={"start": date_format(start, "SHORT_DATE_FORMAT")},
                ),
            )
        return data

    def data_out(self) -> LotData:
        data = self.cleaned_data
        return LotData(
            title=data["title"],
            description=data["description"],
            software=tuple(data["software"]),
            skills=data["skills"],
            cpv_code=data["cpv_code"],
            person_days=data["person_days"],
            on_site=data["on_site"],
            commune=data["place"],
            start_date=data["start_date"],
            deadline=data["deadline"],
        )


class ClientOrganisationForm(forms.Form):
    """Which organisation of the directory the client is: matching never proposes it."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation of the directory"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("None"),
        help_text=_("Organisations that are not members of the network."),
    )
    siren = forms.CharField(
        label=_("Or its SIREN"),
        required=False,
        max_length=20,
        help_text=_("9 digits: finds any organisation of the directory, a member included."),
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        current = request.client_organisation
        if current is not None:
            initial = (
                {"siren": current.siren or ""} if current.is_member else {"organisation": current}
            )
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations_that_may_be_clients()

    def clean_siren(self) -> Organisation | None:
        siren = "".join(self.cleaned_data["siren"].split())
        if not siren:
            return None
        validate_siren(siren)
        found = organisation_by_siren(siren)
        if found is None:
            raise forms.ValidationError(
                _("No organisation of the directory has the SIREN %(siren)s."),
                code="siren_unknown",
                params={"siren": siren},
            )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, by_siren = data.get("organisation"), data.get("siren")
        if chosen and by_siren and chosen != by_siren:
            self.add_error(
                "siren",
                forms.ValidationError(
                    _(
                        "This SIREN is %(found)s's, not %(chosen)s's: choose in the list or "
                        "give a SIREN, not both."
                    ),
                    code="siren_mismatch",
                    params={"found": by_siren.name, "chosen": chosen.name},
                ),
            )
        return data

    def organisation_out(self) -> Organisation | None:
        organisation: Organisation | None = self.cleaned_data.get("siren") or (
            self.cleaned_data.get("organisation")
        )
        return organisation


class TenderRulesForm(forms.Form):
    max_lots_per_bidder = forms.IntegerField(
        label=_("Maximum number of lots one bidder may win"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("As the tender's rules say; leave empty when there is no maximum."),
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"max_lots_per_bidder": request.max_lots_per_bidder})
        super().__init__(*args, **kwargs)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message to the client"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=Textarea(attrs={"rows": 5}),
        help_text=_("Emailed to the client, with the link to their request's page."),
        error_messages={"required": _("Write a message before sending it.")},
    )


class NotAFitForm(forms.Form):
    """Closing a request as "open source is not the right fit", with the client's rationale."""

    rationale = forms.CharField(
        label=_("Why open source is not the right fit"),
        min_length=MIN_RATIONALE_LENGTH,
        max_length=4000,
        widget=Textarea(attrs={"rows": 5}),
        help_text=_(
            "The client reads it, in the email and on their request's page: explain, and say "
            "what they could do instead."
        ),
        error_messages={
            "required": _("Explain to the client why open source is not the right fit."),
            "min_length": _(
                "Explain it in a few sentences (at least %(limit_value)d characters): the "
                "client reads this rationale."
            ),
        },
    )
    confirm = forms.BooleanField(
        label=_("I confirm: the request is closed, and its lots can no longer be changed."),
        error_messages={"required": _("Tick the box to confirm the closing.")},
    )
