"""The form staff put a new version of the matching rules to the associates' decision with.

One number input per parameter of the engine's Rules, prefilled with the rules in force; the
field checks say in plain words what each number may be, and the engine checks the whole
(`matching_rules_put_to_decision` refuses what it cannot use, before any decision opens).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import Textarea
from guichet.needs.domain.matching import COMPONENTS, DEFAULT_ROLE_WEIGHTS, Rules
from guichet.needs.reasons import COMPONENT_LABELS
from guichet.network.models.links import SoftwareRole

if TYPE_CHECKING:  # django-stubs' name for a lazy string; a development dependency only
    from django_stubs_ext import StrOrPromise

ZERO, ONE = Decimal(0), Decimal(1)


def _between_0_and_1(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(ZERO), MaxValueValidator(ONE)],
        error_messages={
            "min_value": _("Enter a number between 0 and 1."),
            "max_value": _("Enter a number between 0 and 1."),
        },
    )


def _positive(
    label: StrOrPromise, help_text: StrOrPromise, *, decimal_places: int = 1, max_digits: int = 6
) -> forms.DecimalField:
    step = Decimal(1).scaleb(-decimal_places)
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=max_digits,
        decimal_places=decimal_places,
        validators=[MinValueValidator(step)],
        error_messages={"min_value": _("Enter a number greater than 0.")},
    )


# Parameters that are neither a weight nor a role weight: (name, field), in the page's order.
def _other_fields() -> dict[str, forms.Field]:
    return {
        "verified_factor": _between_0_and_1(
            _("Link verified by a coordinator"),
            _("The share of its role's weight a verified link keeps, between 0 and 1."),
        ),
        "evidenced_factor": _between_0_and_1(
            _("Link with evidence"),
            _("The share kept by a link with evidence but not verified, between 0 and 1."),
        ),
        "unproven_factor": _between_0_and_1(
            _("Link only declared"),
            _("The share kept by a link without evidence, between 0 and 1."),
        ),
        "onsite_radius_km": _positive(
            _("Radius for on-site work (km)"),
            _("On-site lots exclude members farther than this, in kilometres."),
        ),
        "proximity_half_km": _positive(
            _("Distance at which proximity is worth one half (km)"),
            _("In kilometres; the larger, the less distance matters."),
        ),
        "satisfaction_prior_mean": forms.DecimalField(
            label=_("Neutral satisfaction (out of 5)"),
            help_text=_("The rating a member with no evaluation is given, from 1 to 5."),
            max_digits=3,
            decimal_places=1,
            validators=[MinValueValidator(ONE), MaxValueValidator(Decimal(5))],
            error_messages={
                "min_value": _("Enter a number between 1 and 5."),
                "max_value": _("Enter a number between 1 and 5."),
            },
        ),
        "satisfaction_prior_weight": _positive(
            _("Weight of the neutral satisfaction (evaluations)"),
            _("How many neutral evaluations every member's mean is pulled toward."),
        ),
        "spread_window_days": forms.IntegerField(
            label=_("Period of recent work (days)"),
            help_text=_("The work received over this many days lowers the fair-spread bonus."),
            min_value=1,
            max_value=3650,
        ),
        "spread_half_days": _positive(
            _("Days of recent work that halve the fair-spread bonus (days)"),
            _("In person-days received over the period above."),
        ),
        "default_lot_months": _positive(
            _("Duration assumed for a lot without dates (months)"),
            _("Its days are spread over this many months to compare with capacity."),
        ),
    }


class MatchingRulesForm(forms.Form):
    """Every parameter of the rules, then what changed and why."""

    note = forms.CharField(
        label=_("What changed and why"),
        help_text=_("Shown publicly with the version: say what you changed and why."),
        widget=Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args: Any, rules: Rules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for component in COMPONENTS:
            self.fields[f"weight_{component}"] = _between_0_and_1(COMPONENT_LABELS[component])
            self.initial[f"weight_{component}"] = _decimal(rules.weights[component])
        role_labels: dict[str, StrOrPromise] = dict(SoftwareRole.choices)
        for role in DEFAULT_ROLE_WEIGHTS:
            self.fields[f"role_{role}"] = _between_0_and_1(role_labels.get(role, role))
            self.initial[f"role_{role}"] = _decimal(rules.role_weights[role])
        for name, field in _other_fields().items():
            self.fields[name] = field
            self.initial[name] = _decimal(getattr(rules, name))
        # The note comes last, after the numbers.
        self.order_fields([name for name in self.fields if name != "note"])

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{component}"] for component in COMPONENTS]

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{role}"] for role in DEFAULT_ROLE_WEIGHTS]

    def factor_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("verified_factor", "evidenced_factor", "unproven_factor")]

    def other_fields(self) -> list[forms.BoundField]:
        factors = {"verified_factor", "evidenced_factor", "unproven_factor"}
        return [self[name] for name in _other_fields() if name not in factors]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(f"weight_{component}") for component in COMPONENTS]
        if all(weight is not None for weight in weights) and not any(weights):
            raise forms.ValidationError(
                _("At least one component must weigh more than 0."), code="no_weight"
            )
        if not self.errors and self.parameters() == _comparable(self.rules):
            raise forms.ValidationError(
                _("These are the rules in force already: change at least one number."),
                code="unchanged",
            )
        return data

    def parameters(self) -> dict[str, Any]:
        """The rules' parameters as the engine takes them (without the version)."""
        data = self.cleaned_data
        parameters: dict[str, Any] = {
            "weights": {c: float(data[f"weight_{c}"]) for c in COMPONENTS},
            "role_weights": {r: float(data[f"role_{r}"]) for r in DEFAULT_ROLE_WEIGHTS},
        }
        for name in _other_fields():
            value = data[name]
            parameters[name] = int(value) if name == "spread_window_days" else float(value)
        return parameters


def other_parameter_labels() -> dict[str, StrOrPromise]:
    """The label of each parameter that is neither a weight nor a role weight, in the page's
    order: what the proposal of new rules names them."""
    return {name: field.label or name for name, field in _other_fields().items()}


def _decimal(value: float | int) -> Decimal:
    """A parameter as the form shows it: 0.45, not 0.450000000001."""
    return Decimal(str(value)).normalize() if value != int(value) else Decimal(int(value))


def _comparable(rules: Rules) -> dict[str, Any]:
    data = rules.to_dict()
    data.pop("version")
    data["weights"] = {c: float(v) for c, v in data["weights"].items()}
    data["role_weights"] = {r: float(v) for r, v in data["role_weights"].items()}
    for name in _other_fields():
        data[name] = int(data[name]) if name == "spread_window_days" else float(data[name])
    return data
