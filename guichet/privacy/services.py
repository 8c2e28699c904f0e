"""A person's right of access and right to erasure, over every app's declaration."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.registries.personal_data import declarations


def personal_data_export(*, person: Any) -> dict[str, Any]:
    """Everything the platform holds about a person, by app, ready for JSON."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "format": "guichet-personal-data/1",
    }
    for declaration in declarations():
        data[declaration.app] = declaration.export(person)
    audit_record(action="privacy.export", actor=person, target=person)
    return data


def personal_data_erase(*, person: Any, by: Any) -> dict[str, int]:
    """Erase or anonymise a person's data in every app, all or nothing."""
    touched: dict[str, int] = {}
    with transaction.atomic():
        for declaration in declarations():
            touched[declaration.app] = declaration.erase(person)
        audit_record(action="privacy.erase", actor=by, target=person, data=touched)
    return touched
