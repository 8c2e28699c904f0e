"""The personal-data registry: what each app holds about a person, and how to export and erase it.

Each app declares its part in its own `personal_data.py`. The privacy app runs every
declaration to give a person all their data, or to erase it while keeping the records
that must stay (the ledger, the decision log, the audit log) intact and anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    """One app's declaration.

    `fields` names the model fields that hold personal data ("app.Model.field"), for the
    register of processing and for tests; `export(person)` returns JSON-ready data;
    `erase(person)` deletes or anonymises it and returns how many records it touched.
    """

    app: str
    fields: tuple[str, ...]
    export: Callable[[Any], dict[str, Any] | list[Any]]
    erase: Callable[[Any], int]
    # Run order for erasure: lower first (the account itself goes last).
    order: int = 100


_registry: dict[str, PersonalData] = {}


def register(declaration: PersonalData) -> PersonalData:
    if declaration.app in _registry:
        raise ValueError(f"Personal data of {declaration.app!r} is declared twice.")
    _registry[declaration.app] = declaration
    return declaration


def declarations() -> list[PersonalData]:
    return sorted(_registry.values(), key=lambda d: (d.order, d.app))
