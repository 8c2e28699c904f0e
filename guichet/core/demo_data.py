"""The demo data: each app's `demo.py` has a `load()` that creates its part, idempotently.

`manage.py load_demo` runs them in the order of INSTALLED_APPS, so an app finds the data of
the apps it depends on. A module may declare `ORDER = <int>` (0 when it does not) to load
later than its place in INSTALLED_APPS says: governance sits low in the dependency order but
its demo needs the associates that the network demo creates, so it declares `ORDER = 100`.
Modules load sorted by (ORDER, place in INSTALLED_APPS). The browser suite loads the same
demo, so the demo always shows every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps

DEMO_PASSWORD = "demo-guichet-2026"  # noqa: S105 - printed to whoever runs the demo, on purpose


@dataclass(frozen=True)
class DemoLogin:
    """A demo account, keyed by the role it shows (coordinator, member, client…)."""

    key: str
    email: str
    description: str
    password: str = DEMO_PASSWORD


def demo_modules() -> list[ModuleType]:
    """The apps' demo modules, in the order they load: by ORDER, then INSTALLED_APPS."""
    found: list[tuple[int, int, ModuleType]] = []
    for place, config in enumerate(apps.get_app_configs()):
        if not config.name.startswith("guichet."):
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        found.append((int(getattr(module, "ORDER", 0)), place, module))
    return [module for _order, _place, module in sorted(found, key=lambda f: f[:2])]


def load_all() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for module in demo_modules():
        logins.extend(module.load() or [])
    return logins
