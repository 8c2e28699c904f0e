"""Coordinators' forms on the catalogue: an entry, and merging a duplicate into another."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import Textarea
from guichet.network.forms_fields import did_you_mean
from guichet.network.models import Component, Software
from guichet.network.selectors_profile import software_named
from guichet.network.services.catalogue import SoftwareData, software_problems

EDITABLE = (
    "name",
    "function",
    "description",
    "description_en",
    "licence",
    "repository_url",
    "website",
    "component",
    "sill_id",
    "wikidata_id",
    "comptoir_id",
)


class ComponentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sector.name} / {obj.name}"


class SoftwareForm(forms.Form):
    """A catalogue entry. External ids are what other directories know it by."""

    name = forms.CharField(label=_("Name"), max_length=160)
    function = forms.CharField(
        label=_("What it does"),
        required=False,
        max_length=300,
        help_text=_("One line, e.g. “Asset management and help desk”."),
    )
    description = forms.CharField(
        label=_("Description (French)"), required=False, widget=Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        widget=Textarea(attrs={"rows": 3}),
    )
    licence = forms.CharField(
        label=_("Licence (SPDX)"),
        required=False,
        max_length=100,
        help_text=_("An SPDX identifier or expression, e.g. AGPL-3.0-or-later, MIT OR Apache-2.0."),
    )
    repository_url = forms.CharField(
        label=_("Source repository"), required=False, max_length=500, widget=forms.URLInput
    )
    website = forms.CharField(
        label=_("Website"), required=False, max_length=500, widget=forms.URLInput
    )
    component = ComponentChoiceField(
        label=_("Category"),
        required=False,
        queryset=Component.objects.select_related("sector").order_by("sector__name", "name"),
        empty_label=_("None"),
    )
    sill_id = forms.CharField(
        label=_("SILL id"),
        required=False,
        max_length=10,
        help_text=_("Its number in the interministerial free software base (SILL)."),
    )
    wikidata_id = forms.CharField(
        label=_("Wikidata id"), required=False, max_length=20, help_text=_("e.g. Q2001")
    )
    comptoir_id = forms.CharField(label=_("Comptoir du Libre id"), required=False, max_length=10)

    def __init__(self, *args: Any, software: Software | None = None, **kwargs: Any) -> None:
        if software is not None:
            initial = {name: getattr(software, name) for name in EDITABLE}
            initial["sill_id"] = software.sill_id or ""
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.software = software

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        values: dict[str, Any] = {name: cleaned.get(name) or "" for name in EDITABLE}
        values["component"] = cleaned.get("component")
        self.data_out = SoftwareData(**values)
        for key, messages in software_problems(data=self.data_out, software=self.software).items():
            if key == NON_FIELD_ERRORS or key not in self.fields:
                self.add_error(None, messages)
            elif key not in self.errors:
                self.add_error(key, messages)
        return cleaned


class MergeForm(forms.Form):
    """Which entry a duplicate is merged into."""

    target = forms.CharField(
        label=_("Merge into"),
        max_length=160,
        help_text=_("The name of the entry that stays, as in the catalogue."),
    )

    def __init__(self, *args: Any, source: Software, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_target(self) -> Software:
        text = self.cleaned_data["target"]
        found = [s for s in software_named(text) if s.pk != self.source.pk]
        if not found:
            if self.source.name.lower() == " ".join(text.split()).lower():
                raise ValidationError(
                    _("An entry cannot be merged into itself: choose another one."),
                    code="merge_into_itself",
                )
            merged = (
                Software.objects.filter(merged_into__isnull=False)
                .filter(Q(name__iexact=text) | Q(slug=text))
                .select_related("merged_into")
                .first()
            )
            if merged is not None and merged.merged_into is not None:
                raise ValidationError(
                    _("“%(name)s” was itself merged into “%(into)s”: merge into that one."),
                    code="merged_target",
                    params={"name": merged.name, "into": merged.merged_into.name},
                )
            message = _("No catalogue entry is named “%(name)s”.") % {"name": text}
            raise ValidationError(
                f"{message} {did_you_mean(text)}".strip(), code="unknown_software"
            )
        if len(found) > 1:
            raise ValidationError(
                _("Several entries match “%(name)s” (%(names)s): give the exact name."),
                code="several_software",
                params={"name": text, "names": ", ".join(s.name for s in found[:5])},
            )
        return found[0]
