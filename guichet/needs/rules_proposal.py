"""The text of a proposal of new matching rules, in Markdown: what adopting it does, why, and
every number of the rules, the ones that change shown with their value in force.

The caller builds it in the site's default language: the associates read one text together.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from guichet.needs.domain.matching import COMPONENTS, DEFAULT_ROLE_WEIGHTS, Rules
from guichet.needs.forms_matching import other_parameter_labels
from guichet.needs.models import MatchingRules
from guichet.needs.reasons import COMPONENT_LABELS
from guichet.network.models.links import SoftwareRole
from guichet.network.proposal_text import markdown_text

FACTORS = ("verified_factor", "evidenced_factor", "unproven_factor")


def shown(value: float) -> str:
    """A number of the rules as people read it: 0,45 or 150, never 0.450000000001."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return number_format(int(amount))
    return number_format(amount.normalize())


def _line(label: Any, proposed: float, in_force: float) -> str:
    if float(proposed) == float(in_force):
        return _("%(label)s: %(value)s (unchanged)") % {"label": label, "value": shown(proposed)}
    return _("%(label)s: **%(value)s** (instead of %(before)s)") % {
        "label": label,
        "value": shown(proposed),
        "before": shown(in_force),
    }


def rules_title(current: MatchingRules) -> str:
    return _("New matching rules: version %(version)s") % {"version": current.version + 1}


def rules_text(parameters: Mapping[str, Any], note: str, current: MatchingRules) -> str:
    """What the associates decide on: the new numbers, next to those in force."""
    in_force = Rules.from_dict({**current.parameters, "version": current.version})
    role_labels = dict(SoftwareRole.choices)
    others = other_parameter_labels()
    groups = [
        (
            _("Weight of each component"),
            [
                _line(COMPONENT_LABELS[c], parameters["weights"][c], in_force.weights[c])
                for c in COMPONENTS
            ],
        ),
        (
            _("Weight of each role on a software (software fit)"),
            [
                _line(
                    role_labels.get(role, role),
                    parameters["role_weights"][role],
                    in_force.role_weights[role],
                )
                for role in DEFAULT_ROLE_WEIGHTS
            ],
        ),
        (
            _("How much of its role's weight a link keeps, by its proof"),
            [_line(others[n], parameters[n], getattr(in_force, n)) for n in FACTORS],
        ),
        (
            _("Distances, satisfaction, fair spread and capacity"),
            [
                _line(label, parameters[name], getattr(in_force, name))
                for name, label in others.items()
                if name not in FACTORS
            ],
        ),
    ]
    lines = [
        _(
            "Adopting this proposal publishes version %(version)s of the matching rules, with "
            "the numbers below: it applies to every ranking made from then on, and is shown "
            "publicly with the note. If it is not adopted, the rules in force (version "
            "%(current)s) stay."
        )
        % {"version": current.version + 1, "current": current.version},
        "",
        f"## {_('What changed and why')}",
        "",
        markdown_text(note, quote=True),
    ]
    for heading, items in groups:
        lines += ["", f"## {heading}", "", *(f"- {item}" for item in items)]
    return "\n".join(lines) + "\n"
