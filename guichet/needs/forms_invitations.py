"""The forms of a provider the client invites: the client's invitation, and the invited
provider's minimal profile. The services hold the same rules; the forms say every problem at
once, next to its field, and keep what was typed.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import Textarea
from guichet.needs.services.invitations import MAX_MESSAGE_LENGTH, InvitedProfile
from guichet.network.forms_fields import CommuneField
from guichet.network.models import OrganisationKind, Software, SoftwareRole
from guichet.network.models.organisations import MAX_CAPACITY_DAYS
from guichet.network.validators import validate_siren, validate_web_url

# A provider is not a public body (as in the network's application form).
PROVIDER_KINDS = [c for c in OrganisationKind.choices if c[0] != OrganisationKind.PUBLIC_BODY]


class InviteForm(forms.Form):
    """The client invites a provider of its own for a lot."""

    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        error_messages={"required": _("Give the name of the organisation you invite.")},
    )
    email = forms.EmailField(
        label=_("Its email address"),
        max_length=254,
        help_text=_("The invitation is sent there, with a link that works once."),
        error_messages={
            "required": _("Give the email address the invitation goes to."),
            "invalid": _("Give a valid email address, e.g. contact@example.org."),
        },
    )
    message = forms.CharField(
        label=_("Your message (optional)"),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=Textarea(attrs={"rows": 2}),
        help_text=_("Shown with the invitation."),
    )

    def __init__(self, *args: Any, lot_pk: int, **kwargs: Any) -> None:
        # One form per lot on the same page: the prefix keeps each field's id unique.
        kwargs.setdefault("prefix", f"invite-{lot_pk}")
        super().__init__(*args, **kwargs)


class AcceptForm(forms.Form):
    """The invited provider's minimal profile, and its role on each of the lot's software."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *PROVIDER_KINDS])
    siren = forms.CharField(
        label=_("SIREN (optional)"),
        required=False,
        max_length=20,
        help_text=_("9 digits; leave empty if your organisation has none."),
    )
    city = CommuneField(label=_("City"))
    website = forms.CharField(
        label=_("Website (optional)"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        validators=[validate_web_url],
        help_text=_("Its full address, e.g. https://example.org"),
    )
    description = forms.CharField(
        label=_("What the organisation does (optional)"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
    )
    capacity_days = forms.IntegerField(
        label=_("Capacity (person-days per month)"),
        min_value=0,
        max_value=MAX_CAPACITY_DAYS,
        required=False,
        help_text=_("Days the organisation can give to this kind of work each month."),
    )

    def __init__(self, *args: Any, software: list[Software], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.software = software
        for item in software:
            self.fields[f"role_{item.pk}"] = forms.ChoiceField(
                label=_("Your role on %(software)s") % {"software": item.name},
                choices=[("", _("None")), *SoftwareRole.choices],
                required=False,
            )

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{item.pk}"] for item in self.software]

    def clean_siren(self) -> str:
        siren: str = re.sub(r"[\s.-]", "", self.cleaned_data["siren"])
        if siren:
            validate_siren(siren)
        return siren

    def profile(self) -> InvitedProfile:
        """The cleaned profile, as the service takes it."""
        data = self.cleaned_data
        return InvitedProfile(
            name=data["name"],
            kind=data["kind"],
            commune=data["city"],
            siren=data["siren"],
            website=data["website"],
            description=data["description"],
            capacity_days=data["capacity_days"] or 0,
            roles={
                item.pk: data[f"role_{item.pk}"]
                for item in self.software
                if data.get(f"role_{item.pk}")
            },
        )
