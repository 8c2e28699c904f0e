"""The demo data: each app's `demo.py` has a `load()` that creates its part, idempotently.

`manage.py load_demo` runs them in the order of INSTALLED_APPS, so an app finds the data of
the apps it depends on. The browser suite loads the same demo, so the demo always shows
every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

DEMO_PASSWORD = "demo-guichet-2026"  # noqa: S105 - printed to whoever runs the demo, on purpose


@dataclass(frozen=True)
class DemoLogin:
    """A demo account, keyed by the role it shows (coordinator, member, client…)."""

    key: str
    email: str
    description: str
    password: str = DEMO_PASSWORD


def load_all() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet."):
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        logins.extend(import_module(module_name).load() or [])
    return logins
