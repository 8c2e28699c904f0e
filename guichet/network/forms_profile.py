"""Forms for editing an organisation: its profile, its people, its software and evidence.

They parse what people type; the rules themselves live in the services
(`profile_problems`, `evidence_problems`), called here too so that a page shows every problem
at once. Nothing is saved until everything is right.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import formset_factory
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import is_coordinator
from guichet.accounts.models import User
from guichet.core.forms import Textarea
from guichet.network.forms_fields import did_you_mean
from guichet.network.models import (
    Certification,
    Commune,
    EvidenceKind,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    OtherNetwork,
    Software,
    SoftwareLink,
    SoftwareRole,
)
from guichet.network.models.organisations import MAX_CAPACITY_DAYS
from guichet.network.selectors_profile import communes_for_place, software_named
from guichet.network.services.organisations import (
    MAX_YEARS_EXPERIENCE,
    EvidenceRow,
    LinkData,
    Profile,
    evidence_problems,
    profile_problems,
)
from guichet.network.validators import validate_web_url


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)


def split_names(text: str) -> tuple[str, ...]:
    """ "Qualiopi, ISO 27001": the names typed, separated by commas or new lines."""
    return tuple(n.strip() for n in text.replace("\n", ",").split(",") if n.strip())


class CommuneChoiceField(forms.ChoiceField):
    """The choice among namesakes: its choices exist only once the city is read (in clean)."""

    def valid_value(self, value: Any) -> bool:
        return True


class ProfileForm(forms.Form):
    """An organisation's public profile. New certifications and networks: coordinators only."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    siren = forms.CharField(
        label=_("SIREN"),
        required=False,
        max_length=20,
        help_text=_("9 digits, optional. Public procurement data names companies by it."),
    )
    siret = forms.CharField(
        label=_("SIRET of the head office"),
        required=False,
        max_length=20,
        help_text=_("14 digits, optional: the SIREN followed by 5 digits."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Website"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text=_("Its full address, e.g. https://example.org"),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=120,
        help_text=_("A city name or a postal code, e.g. Lyon or 69003."),
    )
    commune = CommuneChoiceField(
        label=_("Which city?"), required=False, choices=(), widget=forms.RadioSelect
    )
    size = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("Not given")), *OrganisationSize.choices],
    )
    capacity_days = forms.IntegerField(
        label=_("Capacity (person-days per month)"),
        # Interpolated when shown, not at import: the text must follow the page's language.
        help_text=lazy(
            lambda: (
                _("Days the organisation can give to network missions each month, 0 to %(max)s.")
                % {"max": MAX_CAPACITY_DAYS}
            ),
            str,
        )(),
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_CAPACITY_DAYS}),
    )
    certifications = forms.ModelMultipleChoiceField(
        label=_("Certifications"),
        required=False,
        queryset=Certification.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    new_certifications = forms.CharField(
        label=_("Other certifications"),
        required=False,
        max_length=500,
        help_text=_("Names to add to the list, separated by commas."),
    )
    other_networks = forms.ModelMultipleChoiceField(
        label=_("Other networks it belongs to"),
        required=False,
        queryset=OtherNetwork.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    new_networks = forms.CharField(
        label=_("Other networks"),
        required=False,
        max_length=500,
        help_text=_("Names to add to the list, separated by commas."),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        user: Any,
        pick_most_populated: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "siren": organisation.siren or "",
                "siret": organisation.siret,
                "description": organisation.description,
                "website": organisation.website,
                "city": str(organisation.commune) if organisation.commune else organisation.city,
                "size": organisation.size,
                "capacity_days": organisation.capacity_days,
                "certifications": list(organisation.certifications.all()),
                "other_networks": list(organisation.other_networks.all()),
            },
        )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.user = user
        # The API has no second step to choose among namesakes: it takes the most populated.
        self.pick_most_populated = pick_most_populated
        self.candidates: list[Commune] = []
        if not is_coordinator(user):
            del self.fields["new_certifications"]
            del self.fields["new_networks"]

    @property
    def asks_for_commune(self) -> bool:
        """Several communes match what was typed: the page lists them to choose from."""
        return len(self.candidates) > 1

    def clean_commune_choice(self, text: str) -> Commune | None:
        if not text:
            return None
        current = self.organisation.commune
        if current is not None and text == str(current):
            return current  # unchanged: never swapped for a namesake
        self.candidates = communes_for_place(text)
        if not self.candidates:
            self.add_error(
                "city",
                ValidationError(
                    _(
                        "We do not know the city “%(city)s”. Check its spelling or give its "
                        "postal code."
                    ),
                    code="unknown_city",
                    params={"city": text},
                ),
            )
            return None
        if len(self.candidates) == 1 or self.pick_most_populated:
            return self.candidates[0]
        chosen = self.data.get(self.add_prefix("commune"), "")
        for candidate in self.candidates:
            if candidate.insee_code == chosen:
                return candidate
        cast(forms.ChoiceField, self.fields["commune"]).choices = [
            (c.insee_code, f"{c} — {c.postal_codes.replace(' ', ', ')}") for c in self.candidates
        ]
        self.initial["commune"] = self.candidates[0].insee_code
        self.add_error(
            "city",
            ValidationError(
                _("Several cities match “%(city)s”: choose yours in the list below."),
                code="several_cities",
                params={"city": text},
            ),
        )
        return None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        commune = self.clean_commune_choice(data.get("city", "").strip())
        profile = Profile(
            name=data.get("name", ""),
            kind=data.get("kind", ""),
            siren=data.get("siren", ""),
            siret=data.get("siret", ""),
            description=data.get("description", ""),
            website=data.get("website", ""),
            commune=commune,
            size=data.get("size", ""),
            capacity_days=data["capacity_days"] if data.get("capacity_days") is not None else 0,
            certifications=tuple(data.get("certifications") or ()),
            other_networks=tuple(data.get("other_networks") or ()),
            new_certifications=split_names(data.get("new_certifications", "")),
            new_networks=split_names(data.get("new_networks", "")),
        )
        problems = profile_problems(organisation=self.organisation, profile=profile, by=self.user)
        for key, messages in problems.items():
            if key == NON_FIELD_ERRORS or key not in self.fields:
                self.add_error(None, messages)
            elif key not in self.errors:  # the field's own check already said it
                self.add_error(key, messages)
        self.profile = profile
        return data


class PersonAddForm(forms.Form):
    """Bring someone who already has an account into the organisation."""

    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("The address they sign in with: they need an account on the site first."),
    )
    role = forms.ChoiceField(
        label=_("As"),
        choices=[("member", _("Member")), ("manager", _("Manager (may edit the profile)"))],
        initial="member",
        widget=forms.RadioSelect,
    )

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"].strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise ValidationError(
                _(
                    "No account uses this address. Ask the person to create an account first, "
                    "then add them here."
                ),
                code="unknown_account",
            )
        return person


# Software links.


def ask_coordinator_link() -> str:
    """Where to ask for a software that is not in the catalogue."""
    subject = quote(str(_("Please add a software to the catalogue")))
    return format_html(
        '<a href="mailto:{}?subject={}">{}</a>',
        settings.GUICHET_OPERATOR_CONTACT,
        subject,
        _("ask a coordinator to add it"),
    )


class LinkForm(forms.Form):
    """An organisation's role on a software. The software is chosen once, when adding."""

    software = forms.CharField(
        label=_("Software"),
        max_length=160,
        help_text=_("Its name in the catalogue, e.g. GLPI, Nextcloud, QGIS."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=SoftwareRole.choices)
    years_experience = forms.IntegerField(
        label=_("Years of experience"),
        initial=0,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_YEARS_EXPERIENCE}),
    )
    references = forms.CharField(
        label=_("References"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Projects or clients, as you may cite them."),
    )

    def __init__(self, *args: Any, link: SoftwareLink | None = None, **kwargs: Any) -> None:
        if link is not None:
            kwargs.setdefault(
                "initial",
                {
                    "role": link.role,
                    "years_experience": link.years_experience,
                    "references": link.references,
                },
            )
        super().__init__(*args, **kwargs)
        self.link = link
        self.unknown_software = False
        if link is not None:
            del self.fields["software"]

    def clean_software(self) -> Software:
        text = self.cleaned_data["software"]
        found = software_named(text)
        if not found:
            self.unknown_software = True
            # Safe HTML (the name is escaped): the message holds the link to ask for it.
            message = format_html(
                str(_("“{name}” is not in the catalogue: check its name, or {ask}.")) + " {hint}",
                name=text,
                ask=ask_coordinator_link(),
                hint=did_you_mean(text),
            )
            raise ValidationError(message, code="unknown_software")
        if len(found) > 1:
            names = ", ".join(s.name for s in found[:5])
            raise ValidationError(
                _("Several software match “%(name)s” (%(names)s): give the exact name."),
                code="several_software",
                params={"name": text, "names": names},
            )
        return found[0]

    def clean_years_experience(self) -> int:
        years: int = self.cleaned_data["years_experience"]
        if not 0 <= years <= MAX_YEARS_EXPERIENCE:
            raise ValidationError(
                _("Give a number of years between 0 and %(max)s."),
                params={"max": MAX_YEARS_EXPERIENCE},
            )
        return years

    def data_with(self, evidence: tuple[EvidenceRow, ...]) -> LinkData:
        return LinkData(
            role=self.cleaned_data["role"],
            years_experience=self.cleaned_data["years_experience"],
            references=self.cleaned_data.get("references", ""),
            evidence=evidence,
        )


class EvidenceForm(forms.Form):
    """One piece of evidence; a row left without an address is ignored."""

    kind = forms.ChoiceField(label=_("Kind of evidence"), choices=EvidenceKind.choices)
    url = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if url:
            validate_web_url(url)
        return url


class BaseEvidenceFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        problems = evidence_problems(self.rows())
        if problems:
            raise ValidationError(problems)

    def rows(self) -> tuple[EvidenceRow, ...]:
        """The evidence kept: rows with an address, not ticked for removal."""
        return tuple(
            EvidenceRow(kind=row["kind"], url=row["url"])
            for row in (form.cleaned_data for form in self.forms)
            if row.get("url") and not row.get("DELETE")
        )


EvidenceFormSet = formset_factory(
    EvidenceForm, formset=BaseEvidenceFormSet, extra=2, can_delete=True, max_num=20
)


def evidence_formset(data: Any = None, *, link: SoftwareLink | None = None) -> Any:
    initial = [{"kind": e.kind, "url": e.url} for e in link.evidence.all()] if link else []
    return EvidenceFormSet(data, initial=initial, prefix="evidence")
