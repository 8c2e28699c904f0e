"""Forms of admission by peers: applying, evaluating, and the coordinators' steps.

Every message is translated and names the field it is about; a form that refuses its input
writes nothing, and comes back with what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import OwnFieldIds, Textarea
from guichet.network.domain.communes import search_keys
from guichet.network.forms_fields import did_you_mean
from guichet.network.models import (
    ApplicationKind,
    ApplicationStatus,
    Charter,
    Commune,
    Membership,
    Organisation,
    OrganisationKind,
    Rating,
    Software,
    SoftwareRole,
)
from guichet.network.models.organisations import MAX_CAPACITY_DAYS
from guichet.network.selectors_profile import commune_name_filter
from guichet.network.services.applying import NewOrganisation
from guichet.network.services.places import communes_matching
from guichet.network.validators import validate_siren

NEW = "new"
SOFTWARE_ROWS = 4
PROVIDER_KINDS = [c for c in OrganisationKind.choices if c[0] != OrganisationKind.PUBLIC_BODY]


@dataclass(frozen=True)
class ErrorLink:
    """One line of a form's error summary: where to go, what the field is, what is wrong."""

    anchor: str
    label: str
    message: str


class ErrorSummaryMixin:
    """`error_links()`: every error of the form, each pointing at its field."""

    def error_links(self) -> list[ErrorLink]:
        form: Any = self
        links = [ErrorLink("", "", str(error)) for error in form.non_field_errors()]
        for name in form.fields:  # in the page's order, whatever order they were found in
            errors = form.errors.get(name)
            if not errors:
                continue
            field = form[name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect):
                anchor = f"{anchor}_0"  # the group has no label of its own: go to its first box
            links.extend(ErrorLink(anchor, str(field.label), str(error)) for error in errors)
        return links


def commune_from_text(text: str) -> Commune | None:
    """The commune meant by a name, a postal code, or both ("35000 Rennes", "Rennes (35000)").

    An exact name wins over a name that only starts the same way; among several communes,
    the most populated (the one people usually mean).
    """
    text = text.strip()
    postal = re.search(r"\b(\d{5})\b", text)
    words = re.sub(r"[()\d]", " ", text).strip() if postal else text
    if postal and not words:
        return communes_matching(postal.group(1), limit=1).first()
    keys = search_keys(words)
    if not keys:
        return None
    found = Commune.objects.select_related("department")
    if postal:
        found = found.filter(postal_codes__contains=postal.group(1))
    exact = found.filter(commune_name_filter(keys, exact=True)).order_by("-population").first()
    if exact is not None:
        return exact
    return found.filter(commune_name_filter(keys)).order_by("-population", "name").first()


def software_from_text(text: str) -> Software | None:
    """A catalogue entry by its exact name (any case) or its identifier; merged ones excluded."""
    listed = Software.objects.filter(merged_into__isnull=True)
    return listed.filter(name__iexact=text).first() or listed.filter(slug=text).first()


class ApplyForm(ErrorSummaryMixin, forms.Form):
    """An organisation applies: who it is, what it knows, why, and its signature."""

    organisation = forms.ChoiceField(
        label=_("Which organisation applies?"), widget=forms.RadioSelect, choices=()
    )
    name = forms.CharField(label=_("Name of the organisation"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *PROVIDER_KINDS], required=False)
    siren = forms.CharField(
        label=_("SIREN (optional)"),
        max_length=11,
        required=False,
        help_text=_("9 digits; leave empty if your organisation has none."),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        required=False,
        help_text=_("Its name or postal code, e.g. Rennes or 35000."),
    )
    website = forms.URLField(label=_("Website (optional)"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What the organisation does (optional)"),
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    capacity_days = forms.IntegerField(
        label=_("Capacity (person-days per month)"),
        min_value=0,
        max_value=MAX_CAPACITY_DAYS,
        required=False,
        help_text=_("Days the organisation can give to network missions each month."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join the network?"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Tell the members why you want to join.")},
    )
    sign_charter = forms.BooleanField(
        label=_("We have read the charter and sign it."),
        error_messages={"required": _("Sign the charter to apply: admission rests on its values.")},
    )

    NEW_FIELDS = ("name", "kind", "siren", "city", "website", "description", "capacity_days")

    def __init__(self, *args: Any, eligible: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eligible = {o.slug: o for o in eligible}
        if self.eligible:
            choice = self.fields["organisation"]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = [
                *((slug, o.name) for slug, o in self.eligible.items()),
                (NEW, _("A new organisation, described below")),
            ]
            choice.initial = next(iter(self.eligible))
        else:
            del self.fields["organisation"]
        for row in range(1, SOFTWARE_ROWS + 1):
            self.fields[f"software_{row}"] = forms.CharField(
                label=_("Software %(number)s") % {"number": row}, max_length=160, required=False
            )
            self.fields[f"role_{row}"] = forms.ChoiceField(
                label=_("Role on software %(number)s") % {"number": row},
                choices=[("", "—"), *SoftwareRole.choices],
                required=False,
            )
        # Keep the page's order: the signature comes last.
        last = ("motivation", "sign_charter")
        self.order_fields([*(name for name in self.fields if name not in last), *last])

    def software_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"software_{r}"], self[f"role_{r}"]) for r in range(1, SOFTWARE_ROWS + 1)]

    @property
    def new_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NEW_FIELDS]

    def applies_for(self) -> Organisation | None:
        """The existing organisation chosen, or None for a new one."""
        choice = self.cleaned_data.get("organisation", NEW)
        return self.eligible.get(choice)

    def clean_siren(self) -> str:
        siren: str = re.sub(r"\s", "", self.cleaned_data["siren"])
        if siren:
            validate_siren(siren)
            if Organisation.objects.filter(siren=siren).exists():
                raise forms.ValidationError(
                    _("An organisation with this SIREN is already in the network."),
                    code="duplicate_siren",
                )
        return siren

    def clean_name(self) -> str:
        name: str = " ".join(self.cleaned_data["name"].split())
        if name and Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _(
                    "An organisation named “%(name)s” is already in the network. If it is "
                    "yours, ask its manager to add you; otherwise choose another name."
                ),
                code="duplicate_name",
                params={"name": name},
            )
        return name

    def clean_city(self) -> Commune | None:
        text: str = self.cleaned_data["city"].strip()
        if not text:
            return None
        commune = commune_from_text(text)
        if commune is None:
            raise forms.ValidationError(
                _(
                    "We do not know the city “%(city)s”. Check its spelling "
                    "or give its postal code."
                ),
                code="unknown_city",
                params={"city": text},
            )
        return commune

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_software(data)
        if "organisation" in self.fields and data.get("organisation") != NEW:
            # An existing organisation applies: what was typed about a new one does not count.
            for name in self.NEW_FIELDS:
                self.errors.pop(name, None)
            return data
        required = {
            "name": _("Give the name of the organisation."),
            "kind": _("Choose the kind of organisation."),
            "city": _("Give the city of the organisation."),
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, forms.ValidationError(message, code="required"))
        software_errors = any(name.startswith(("software_", "role_")) for name in self.errors)
        if not data["software"] and not software_errors:
            self.add_error(
                "software_1",
                forms.ValidationError(
                    _("Name at least one software the organisation knows."), code="required"
                ),
            )
        return data

    def _clean_software(self, data: dict[str, Any]) -> None:
        found: list[tuple[Software, str]] = []
        for row in range(1, SOFTWARE_ROWS + 1):
            text = (data.get(f"software_{row}") or "").strip()
            role = data.get(f"role_{row}") or ""
            if not text and not role:
                continue
            if not text:
                self.add_error(f"software_{row}", _("Name the software this role is about."))
                continue
            software = software_from_text(text)
            if software is None:
                message = _(
                    "No software named “%(name)s” in the catalogue: check its name in the "
                    "software catalogue."
                ) % {"name": text}
                refusal = f"{message} {did_you_mean(text)}".strip()
                self.add_error(
                    f"software_{row}", forms.ValidationError(refusal, code="unknown_software")
                )
            if not role:
                self.add_error(f"role_{row}", _("Choose the organisation's role on it."))
            if software is not None and role:
                found.append((software, role))
        data["software"] = found

    def new_organisation(self) -> NewOrganisation:
        data = self.cleaned_data
        return NewOrganisation(
            name=data["name"],
            kind=data["kind"],
            commune=data["city"],
            siren=data["siren"] or None,
            website=data["website"],
            description=data["description"],
            capacity_days=data["capacity_days"] or 0,
        )


class EvaluationForm(ErrorSummaryMixin, forms.Form):
    """An evaluator rates every value of the charter, with a comment each."""

    def __init__(self, *args: Any, charter: Charter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values = list(charter.values.order_by("position"))
        for value in self.values:
            self.fields[f"rating_{value.pk}"] = forms.ChoiceField(
                label=value.localized_title,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate this value.")},
            )
            self.fields[f"comment_{value.pk}"] = forms.CharField(
                label=_("Comment on “%(value)s”") % {"value": value.localized_title},
                widget=Textarea(attrs={"rows": 2}),
                max_length=2000,
                error_messages={"required": _("Say in a few words what your rating rests on.")},
            )

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(v, self[f"rating_{v.pk}"], self[f"comment_{v.pk}"]) for v in self.values]

    def ratings(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {v.pk: (data[f"rating_{v.pk}"], data[f"comment_{v.pk}"]) for v in self.values}


class ApplicationFilterForm(OwnFieldIds, forms.Form):
    """The coordinators' list, filtered by status and kind (read from the URL). It shares the
    page with the form that opens a re-evaluation, which has a "kind" too."""

    field_ids = "filter_%s"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *ApplicationStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *ApplicationKind.choices]
    )


class MembershipChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.person} — {obj.organisation}"


class AssignForm(ErrorSummaryMixin, forms.Form):
    """A coordinator asks a person of a member organisation to evaluate."""

    membership = MembershipChoiceField(
        label=_("Evaluator"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("People of admitted member organisations, with their organisation."),
        error_messages={"required": _("Choose the person who will evaluate.")},
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = Membership.objects.filter(organisation__is_member=True).select_related(
            "person", "organisation"
        )
        field = self.fields["membership"]
        assert isinstance(field, MembershipChoiceField)
        # Any member's person is accepted, so that the service says why one cannot evaluate;
        # the list offers only those who can.
        field.queryset = offered
        taken = set(application.assignments.values_list("evaluator_organisation_id", flat=True))
        applicant_people = set(
            Membership.objects.filter(organisation=application.organisation_id).values_list(
                "person_id", flat=True
            )
        )
        choices = [
            (m.pk, field.label_from_instance(m))
            for m in offered.order_by("organisation__name", "person__full_name")
            if m.organisation_id not in taken
            and m.person_id not in applicant_people
            and m.organisation_id != application.organisation_id
        ]
        field.widget.choices = [("", field.empty_label), *choices]


class PutToDecisionForm(ErrorSummaryMixin, forms.Form):
    """A coordinator puts an application to the associates' decision: a button, no field;
    the form carries the refusal, if any, to the page's error summary."""


class OpenForm(ErrorSummaryMixin, forms.Form):
    """A coordinator opens a re-evaluation of a member, or proposes its exclusion."""

    organisation = forms.ModelChoiceField(
        label=_("Member organisation"),
        queryset=Organisation.objects.filter(is_member=True).order_by("name"),
        empty_label=_("Choose a member"),
        error_messages={"required": _("Choose the member organisation.")},
    )
    kind = forms.ChoiceField(
        label=_("What to open"),
        choices=[
            (ApplicationKind.REEVALUATION, _("A periodic re-evaluation")),
            (ApplicationKind.EXCLUSION, _("An exclusion procedure")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required for an exclusion; the organisation reads it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ApplicationKind.EXCLUSION and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why an exclusion is proposed."))
        return data


class WithdrawForm(ErrorSummaryMixin, forms.Form):
    """A manager withdraws their organisation's application, ticking a box to confirm."""

    confirm = forms.BooleanField(
        label=_("I confirm that my organisation withdraws its application."),
        error_messages={
            "required": _(
                "Tick the box to confirm: a withdrawn application cannot be reopened, "
                "though your organisation may apply again later."
            )
        },
    )
