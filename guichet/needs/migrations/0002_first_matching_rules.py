"""The first version of the matching rules, as published on the "how we match" page."""

from typing import Any

from django.db import migrations

PARAMETERS = {
    "weights": {
        "fit": 0.45,
        "proximity": 0.2,
        "capacity": 0.1,
        "satisfaction": 0.15,
        "spread": 0.1
    },
    "role_weights": {
        "editor": 1.0,
        "maintainer": 0.9,
        "core_contributor": 0.8,
        "contributor": 0.6,
        "integrator": 0.45,
        "trainer": 0.4,
        "host": 0.35
    },
    "verified_factor": 1.0,
    "evidenced_factor": 0.85,
    "unproven_factor": 0.7,
    "onsite_radius_km": 150.0,
    "proximity_half_km": 200.0,
    "satisfaction_prior_mean": 3.0,
    "satisfaction_prior_weight": 5.0,
    "spread_window_days": 365,
    "spread_half_days": 40.0,
    "default_lot_months": 3.0
}


def create(apps: Any, schema_editor: Any) -> None:
    MatchingRules = apps.get_model("needs", "MatchingRules")
    MatchingRules.objects.get_or_create(
        version=1,
        defaults={"parameters": PARAMETERS, "note": "First version of the rules."},
    )


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
