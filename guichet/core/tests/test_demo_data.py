"""The order the apps' demo modules load in: by their ORDER, then by INSTALLED_APPS."""

from __future__ import annotations

from django.apps import apps

from guichet.core.demo_data import demo_modules


def test_a_demo_module_without_order_loads_in_the_order_of_installed_apps() -> None:
    installed = [f"{config.name}.demo" for config in apps.get_app_configs()]
    names = [module.__name__ for module in demo_modules() if getattr(module, "ORDER", 0) == 0]

    assert names == sorted(names, key=installed.index)
    assert names[:2] == ["guichet.accounts.demo", "guichet.network.demo"]


def test_the_governance_demo_loads_after_the_associates_exist() -> None:
    names = [module.__name__ for module in demo_modules()]

    # Governance comes before the network in INSTALLED_APPS, yet its demo needs the
    # associates that the network's demo makes: its ORDER puts it after every other.
    assert names[-1] == "guichet.governance.demo"
    assert names.index("guichet.governance.demo") > names.index("guichet.network.demo")
