"""Forms of the network pages. Every message is translated; bad input loses nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from guichet.network.forms_fields import did_you_mean
from guichet.network.models import Commune, OrganisationKind, Region, Software, SoftwareRole
from guichet.network.selectors import RADII, SORTS, DirectoryQuery
from guichet.network.selectors_profile import communes_for_place

SORT_LABELS = {
    "relevance": _("Best role on the software first (editors first)"),
    "name": _("Name"),
    "distance": _("Distance"),
    "capacity": _("Available capacity"),
}


class DirectoryForm(forms.Form):
    """The directory's search, read from the URL so that every search can be shared."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    software = forms.CharField(
        label=_("Software"),
        required=False,
        max_length=100,
        help_text=_("Its name, e.g. GLPI, Nextcloud, QGIS."),
        # Names are suggested from the API while typing, when JavaScript runs.
        widget=forms.TextInput(
            attrs={"data-autocomplete-software": reverse_lazy("api-1:software_list")}
        ),
    )
    role = forms.MultipleChoiceField(
        label=_("Role on the software"),
        required=False,
        choices=SoftwareRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    near = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=100,
        help_text=_("A city or a postal code."),
    )
    radius = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        choices=[(r, _("%(km)s km") % {"km": r}) for r in RADII],
        initial=50,
        empty_value=50,  # type: ignore[arg-type]  # the stubs expect text; an int is meant
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("All regions"),
    )
    department = forms.CharField(
        label=_("Department (number)"), required=False, max_length=3, help_text=_("e.g. 69")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds"))]
        + [c for c in OrganisationKind.choices if c[0] != OrganisationKind.PUBLIC_BODY],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in SORTS],
    )

    def clean_near(self) -> Commune | None:
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        # Among namesakes, the most populated: a search can be widened, not a profile.
        found = communes_for_place(text)
        if not found:
            raise forms.ValidationError(
                _(
                    "We do not know the city “%(city)s”. Check its spelling "
                    "or give its postal code."
                ),
                code="unknown_city",
                params={"city": text},
            )
        place = found[0]
        if place.latitude is None or place.longitude is None:
            # Never drop the distance silently: a search "around" it would list the country.
            raise forms.ValidationError(
                _(
                    "We do not know where %(city)s lies, so we cannot search around it. "
                    "Give a neighbouring city, or search without a city."
                ),
                code="place_without_coordinates",
                params={"city": str(place)},
            )
        return place

    def clean_software(self) -> list[Software]:
        text = self.cleaned_data["software"].strip()
        if not text:
            return []
        listed = Software.objects.filter(merged_into__isnull=True)
        exact = list(listed.filter(name__iexact=text)) or list(listed.filter(slug=text))
        found = exact or list(listed.filter(name__icontains=text)[:20])
        if not found:
            message = _("No software named “%(name)s” in the catalogue.") % {"name": text}
            raise forms.ValidationError(
                f"{message} {did_you_mean(text)}".strip(), code="unknown_software"
            )
        return found

    def clean_department(self) -> str:
        code: str = self.cleaned_data["department"].strip().upper()
        if code and not (code.isdigit() or code in {"2A", "2B"}):
            raise forms.ValidationError(
                _("A department number has 2 or 3 digits (2A and 2B for Corsica).")
            )
        return code

    def query(self) -> DirectoryQuery:
        data: dict[str, Any] = self.cleaned_data
        region = data.get("region")
        return DirectoryQuery(
            text=data.get("q", "").strip(),
            software=tuple(s.pk for s in data.get("software") or []),
            roles=tuple(data.get("role") or ()),
            region=region.code if region else "",
            department=data.get("department", ""),
            kind=data.get("kind", ""),
            near=data.get("near"),
            radius_km=data.get("radius") or 50,
            sort=data.get("sort") or "relevance",
        )

    def criteria(self) -> list[tuple[str, str]]:
        """What a valid search asked, as (label, value) to repeat it to the person."""
        data: dict[str, Any] = self.cleaned_data
        said: list[tuple[Any, Any]] = [
            (self.fields["software"].label, (self["software"].value() or "").strip()),
            (self.fields["role"].label, ", ".join(_labels(self.fields["role"], data.get("role")))),
        ]
        if data.get("near") is not None:
            place = _("%(city)s, within %(km)s km") % {
                "city": data["near"],
                "km": data.get("radius") or 50,
            }
            said.append((self.fields["near"].label, place))
        said += [
            (self.fields["q"].label, data.get("q", "").strip()),
            (self.fields["region"].label, data["region"].name if data.get("region") else ""),
            (self.fields["department"].label, data.get("department", "")),
            (
                self.fields["kind"].label,
                ", ".join(_labels(self.fields["kind"], [data.get("kind")])),
            ),
        ]
        return [(str(label), str(value)) for label, value in said if value]


def _labels(field: forms.Field, values: Any) -> list[str]:
    """The labels of the chosen values of a choice field, in the field's order."""
    chosen = {str(v) for v in values or () if v}
    return [str(label) for value, label in field.choices if str(value) in chosen]  # type: ignore[attr-defined]
