from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.notifications import kinds
from guichet.accounts.services import MAX_TOKEN_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “directory sync script”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=90,
        help_text=_("Between 1 and 365 days. The token stops working after that."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


class NotificationPreferencesForm(forms.Form):
    """The kinds of email a person receives: a ticked box receives, an empty one opts out."""

    receive = forms.MultipleChoiceField(
        label=_("Send me an email when…"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a kind of email this site sends: reload the page and "
                "choose again."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["receive"])
        field.choices = [(kind.key, kind.label) for kind in kinds()]
