"""Applying from the public form: the organisation (new, or one the person manages), the
software it knows, then the application itself, which signs the charter.

Everything happens in one transaction: a refusal at the last step (the organisation already
has an application open, no charter is published) leaves nothing half-created behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from guichet.core.audit import audit_record
from guichet.network.models import (
    Application,
    Commune,
    Membership,
    Organisation,
    Software,
    SoftwareLink,
)
from guichet.network.services.admission import AdmissionError, application_submit


@dataclass(frozen=True)
class NewOrganisation:
    """The profile of an organisation created by its application."""

    name: str
    kind: str
    commune: Commune
    siren: str | None = None
    website: str = ""
    description: str = ""
    capacity_days: int = 0


def _free_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisation"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def application_apply(
    *,
    by: Any,
    organisation: Organisation | None = None,
    new: NewOrganisation | None = None,
    software: list[tuple[Software, str]] | None = None,
    motivation: str = "",
) -> Application:
    """Apply for an organisation the person manages, or for a new one they will manage.

    The software links are added (a link already there is kept as it is); the application
    signs the current charter on the organisation's behalf.
    """
    if (organisation is None) == (new is None):
        raise ValueError("Give either an existing organisation or a new one.")
    with transaction.atomic():
        if organisation is None:
            assert new is not None
            organisation = Organisation.objects.create(
                name=new.name.strip(),
                slug=_free_slug(new.name),
                kind=new.kind,
                siren=new.siren or None,
                commune=new.commune,
                city=new.commune.name,
                website=new.website,
                description=new.description.strip(),
                capacity_days=new.capacity_days,
            )
            Membership.objects.create(person=by, organisation=organisation, is_manager=True)
            audit_record(action="organisation.create", actor=by, target=organisation)
        elif not Membership.objects.filter(
            person=by, organisation=organisation, is_manager=True
        ).exists():
            raise AdmissionError("not_a_manager")
        for item, role in software or []:
            SoftwareLink.objects.get_or_create(organisation=organisation, software=item, role=role)
        return application_submit(organisation=organisation, by=by, motivation=motivation)
