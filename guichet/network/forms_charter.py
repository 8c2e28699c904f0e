"""Forms of the charter as coordinators draft it: preamble, values, putting it to the
associates' decision, discarding it.

The values are a formset that works without JavaScript: one blank value at the end adds a
value on each save, a box removes one, a number orders them. A refused form writes nothing
and comes back with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import Textarea
from guichet.network.messages import error_message
from guichet.network.models import Charter
from guichet.network.services.charter import ValueTexts

MAX_VALUES = 30


def _text(label: Any, required_message: Any, *, lang: str, rows: int = 0) -> forms.CharField:
    attrs = {"lang": lang}
    if rows:
        return forms.CharField(
            label=label,
            widget=Textarea(attrs={**attrs, "rows": rows}),
            error_messages={"required": required_message},
        )
    return forms.CharField(
        label=label,
        max_length=200,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": required_message},
    )


class PreambleForm(forms.Form):
    """The preamble, in both languages; it may be left empty."""

    preamble = forms.CharField(
        label=_("Preamble in French (optional)"),
        required=False,
        widget=Textarea(attrs={"rows": 4, "lang": "fr"}),
    )
    preamble_en = forms.CharField(
        label=_("Preamble in English (optional)"),
        required=False,
        widget=Textarea(attrs={"rows": 4, "lang": "en"}),
    )


class ValueForm(forms.Form):
    """One value: its title and its text, in French and in English, all required."""

    title = _text(_("Title in French"), _("Give the value's title in French."), lang="fr")
    title_en = _text(_("Title in English"), _("Give the value's title in English."), lang="en")
    text = _text(_("Text in French"), _("Give the value's text in French."), lang="fr", rows=4)
    text_en = _text(_("Text in English"), _("Give the value's text in English."), lang="en", rows=4)


@dataclass(frozen=True)
class RowError:
    """One line of the error summary: the field to go to, its label, which value, the error."""

    anchor: str
    label: str
    number: int
    message: str


def _removed(form: forms.Form) -> bool:
    """The value's box "Remove this value" is ticked."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE", False))


class BaseValueFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].widget.attrs["min"] = 1
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this value")

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [
            form
            for index, form in enumerate(self.forms)
            if not (index >= self.initial_form_count() and not form.has_changed())
            and not _removed(form)
        ]
        if not kept:
            raise ValidationError(error_message("charter_without_values"))

    def values(self) -> list[ValueTexts]:
        """The values kept, in the order asked for (blank positions last, as on the page)."""
        return [
            (
                form.cleaned_data["title"],
                form.cleaned_data["title_en"],
                form.cleaned_data["text"],
                form.cleaned_data["text_en"],
            )
            for form in self.ordered_forms
        ]

    def error_rows(self) -> list[RowError]:
        """Every field error of the values that are not being removed, value by value."""
        rows: list[RowError] = []
        for number, form in enumerate(self.forms, start=1):
            if not form.is_bound or _removed(form):
                continue
            for name in form.fields:
                rows.extend(
                    RowError(form[name].auto_id, str(form[name].label), number, str(error))
                    for error in form.errors.get(name, [])
                )
        return rows


ValueFormSet = forms.formset_factory(
    ValueForm,
    formset=BaseValueFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_VALUES,
    validate_max=True,
)


def draft_forms(charter: Charter, data: Any = None) -> tuple[PreambleForm, BaseValueFormSet]:
    """The preamble form and the values formset of a draft, bound to `data` when posted."""
    preamble = PreambleForm(
        data, initial={"preamble": charter.preamble, "preamble_en": charter.preamble_en}
    )
    initial = [
        {"title": v.title, "title_en": v.title_en, "text": v.text, "text_en": v.text_en}
        for v in charter.values.order_by("position")
    ]
    return preamble, cast(BaseValueFormSet, ValueFormSet(data, initial=initial, prefix="values"))


class ConfirmForm(forms.Form):
    """A box to tick before an action that cannot be undone (putting a draft to the
    associates' decision, discarding it)."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label
