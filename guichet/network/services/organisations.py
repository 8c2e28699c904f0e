"""Editing an organisation: its profile, its people, what software it knows and the evidence.

Each service checks the rules again (a form or an API call may have skipped one), writes in
one transaction and leaves an audit record that names fields and ids, never personal data.
Refusals are `ValidationError`s keyed by field, with translated messages, so that the pages
and the API show them next to what was wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import is_coordinator
from guichet.core.audit import audit_record
from guichet.network.domain import identifiers
from guichet.network.models import (
    Certification,
    Commune,
    Evidence,
    EvidenceKind,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    OtherNetwork,
    Software,
    SoftwareLink,
    SoftwareRole,
)
from guichet.network.models.organisations import MAX_CAPACITY_DAYS
from guichet.network.validators import MESSAGES as IDENTIFIER_MESSAGES
from guichet.network.validators import validate_web_url

MAX_YEARS_EXPERIENCE = 60
Errors = dict[str, list[Any]]


def _add(errors: Errors, key: str, message: Any) -> None:
    errors.setdefault(key, []).append(message)


# The profile.


@dataclass(frozen=True)
class Profile:
    """What the profile form or the API sends: every editable field of an organisation."""

    name: str
    kind: str
    siren: str = ""
    siret: str = ""
    description: str = ""
    website: str = ""
    commune: Commune | None = None
    size: str = ""
    capacity_days: int = 0
    certifications: tuple[Certification, ...] = ()
    other_networks: tuple[OtherNetwork, ...] = ()
    # Names that are not in the lists yet: only coordinators may add them.
    new_certifications: tuple[str, ...] = ()
    new_networks: tuple[str, ...] = ()


def profile_problems(*, organisation: Organisation, profile: Profile, by: Any) -> Errors:
    """Every rule the profile breaks, by field; empty when it may be saved.

    Forms call it too, so that a page shows all the problems at once.
    """
    errors: Errors = {}
    name = profile.name.strip()
    if not name:
        _add(errors, "name", _("Give the organisation's name."))
    elif Organisation.objects.filter(name__iexact=name).exclude(pk=organisation.pk).exists():
        _add(
            errors,
            "name",
            _(
                "Another organisation is already called “%(name)s”: choose a name that tells "
                "them apart (add the city, for example)."
            )
            % {"name": name},
        )
    if profile.kind not in OrganisationKind.values:
        _add(errors, "kind", _("Choose a kind of organisation in the list."))
    if profile.size and profile.size not in OrganisationSize.values:
        _add(errors, "size", _("Choose a size in the list."))
    siren = siret = ""
    if profile.siren:
        try:
            siren = identifiers.validate_siren(profile.siren)
        except identifiers.IdentifierError as error:
            _add(errors, "siren", IDENTIFIER_MESSAGES[error.code])
        else:
            taken = Organisation.objects.filter(siren=siren).exclude(pk=organisation.pk)
            if taken.exists():
                _add(
                    errors,
                    "siren",
                    _("Another organisation of the network already has this SIREN."),
                )
    if profile.siret:
        try:
            siret = identifiers.validate_siret(profile.siret)
        except identifiers.IdentifierError as error:
            _add(errors, "siret", IDENTIFIER_MESSAGES[error.code])
    if siren and siret and not siret.startswith(siren):
        _add(
            errors,
            "siret",
            _(
                "This SIRET does not belong to the SIREN above: a SIRET begins with the "
                "9 digits of its SIREN (here %(siren)s)."
            )
            % {"siren": siren},
        )
    if not 0 <= profile.capacity_days <= MAX_CAPACITY_DAYS:
        _add(
            errors,
            "capacity_days",
            _("Give a capacity between 0 and %(max)s person-days a month.")
            % {"max": MAX_CAPACITY_DAYS},
        )
    if profile.website:
        try:
            validate_web_url(profile.website)
        except ValidationError as error:
            errors.setdefault("website", []).extend(error.messages)
    if (profile.new_certifications or profile.new_networks) and not is_coordinator(by):
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Only coordinators may add certifications or networks to the lists."),
        )
    return errors


def _named(model: type[Certification] | type[OtherNetwork], names: Iterable[str]) -> list[Any]:
    """The entries of a list with these names, created when missing (case is ignored)."""
    found = []
    for raw in names:
        name = " ".join(raw.split())[:120]
        if not name:
            continue
        existing = model.objects.filter(name__iexact=name).first()
        found.append(existing or model.objects.create(name=name))
    return found


def organisation_update(*, organisation: Organisation, profile: Profile, by: Any) -> Organisation:
    """Save an organisation's profile; nothing changes when a rule is broken.

    The slug stays: the organisation's addresses keep working after a rename.
    """
    errors = profile_problems(organisation=organisation, profile=profile, by=by)
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "name": profile.name.strip(),
        "kind": profile.kind,
        "siren": identifiers.normalise(profile.siren) or None,
        "siret": identifiers.normalise(profile.siret),
        "description": profile.description.strip(),
        "website": profile.website.strip(),
        "commune": profile.commune,
        "city": profile.commune.name if profile.commune else "",
        "size": profile.size,
        "capacity_days": profile.capacity_days,
    }
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        locked.full_clean(exclude=["slug"])
        locked.save()
        certifications = {
            *profile.certifications,
            *_named(Certification, profile.new_certifications),
        }
        networks = {*profile.other_networks, *_named(OtherNetwork, profile.new_networks)}
        if set(locked.certifications.all()) != certifications:
            locked.certifications.set(certifications)
            changed.append("certifications")
        if set(locked.other_networks.all()) != networks:
            locked.other_networks.set(networks)
            changed.append("other_networks")
        audit_record(
            action="organisation.update",
            actor=by,
            target=locked,
            data={"fields": sorted(set(changed))},
        )
    organisation.refresh_from_db()
    return organisation


# People.


def membership_add(
    *, organisation: Organisation, person: Any, is_manager: bool, by: Any
) -> Membership:
    """Bring an existing account into the organisation, as a member or a manager."""
    with transaction.atomic():
        if Membership.objects.filter(organisation=organisation, person=person).exists():
            raise ValidationError(
                {"email": _("This person already belongs to the organisation.")},
            )
        membership = Membership.objects.create(
            organisation=organisation, person=person, is_manager=is_manager
        )
        audit_record(
            action="organisation.member_add",
            actor=by,
            target=organisation,
            data={"person": person.pk, "manager": is_manager},
        )
    return membership


def _managers_left_without(membership: Membership) -> int:
    return (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, is_manager=True)
        .exclude(pk=membership.pk)
        .count()
    )


LAST_MANAGER = _(
    "%(name)s is the organisation's last manager: name another manager first, so that "
    "someone can still edit its profile."
)


def membership_remove(*, membership: Membership, by: Any) -> None:
    """Take a person out of an organisation; the last manager always stays."""
    with transaction.atomic():
        if membership.is_manager and _managers_left_without(membership) == 0:
            raise ValidationError(LAST_MANAGER % {"name": membership.person}, code="last_manager")
        organisation, person_id = membership.organisation, membership.person_id
        membership.delete()
        audit_record(
            action="organisation.member_remove",
            actor=by,
            target=organisation,
            data={"person": person_id},
        )


def membership_set_manager(*, membership: Membership, is_manager: bool, by: Any) -> Membership:
    """Make a person a manager, or a plain member; the last manager stays a manager."""
    with transaction.atomic():
        if membership.is_manager == is_manager:
            return membership
        if not is_manager and _managers_left_without(membership) == 0:
            raise ValidationError(LAST_MANAGER % {"name": membership.person}, code="last_manager")
        membership.is_manager = is_manager
        membership.save(update_fields=["is_manager"])
        audit_record(
            action="organisation.member_role",
            actor=by,
            target=membership.organisation,
            data={"person": membership.person_id, "manager": is_manager},
        )
    return membership


# Software links and their evidence.


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence as sent: its kind, its address, an optional note."""

    kind: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class LinkData:
    """A link as the form or the API sends it (the software is chosen apart)."""

    role: str
    years_experience: int = 0
    references: str = ""
    evidence: tuple[EvidenceRow, ...] = field(default_factory=tuple)


def evidence_problems(rows: Sequence[EvidenceRow], *, existing: Iterable[str] = ()) -> list[Any]:
    """What is wrong with evidence rows: a kind out of the list, an address that is not a web
    address, the same address twice on one link."""
    problems: list[Any] = []
    seen = {url.strip().lower() for url in existing}
    for row in rows:
        if row.kind not in EvidenceKind.values:
            problems.append(_("Choose the kind of each piece of evidence in the list."))
        try:
            validate_web_url(row.url.strip())
        except ValidationError as error:
            problems.extend(error.messages)
        key = row.url.strip().lower()
        if key in seen:
            problems.append(
                _("The address %(url)s is given twice: each piece of evidence only once.")
                % {"url": row.url.strip()}
            )
        seen.add(key)
    return problems


def _link_problems(
    *, organisation: Organisation, software: Software, data: LinkData, link: SoftwareLink | None
) -> Errors:
    errors: Errors = {}
    if software.merged_into_id is not None:
        _add(
            errors,
            "software",
            _("This catalogue entry was merged into another one: choose “%(name)s”.")
            % {"name": software.merged_into},
        )
    if data.role not in SoftwareRole.values:
        _add(errors, "role", _("Choose a role in the list."))
    else:
        same = SoftwareLink.objects.filter(
            organisation=organisation, software=software, role=data.role
        )
        if link is not None:
            same = same.exclude(pk=link.pk)
        if same.exists():
            _add(
                errors,
                "role",
                _("The organisation already declares this role on %(software)s.")
                % {"software": software.name},
            )
    if not 0 <= data.years_experience <= MAX_YEARS_EXPERIENCE:
        _add(
            errors,
            "years_experience",
            _("Give a number of years between 0 and %(max)s.") % {"max": MAX_YEARS_EXPERIENCE},
        )
    problems = evidence_problems(data.evidence)
    if problems:
        errors["evidence"] = problems
    return errors


def _evidence_create(link: SoftwareLink, rows: Iterable[EvidenceRow]) -> None:
    Evidence.objects.bulk_create(
        [
            Evidence(link=link, kind=row.kind, url=row.url.strip(), note=row.note.strip()[:200])
            for row in rows
        ]
    )


def link_create(
    *, organisation: Organisation, software: Software, data: LinkData, by: Any
) -> SoftwareLink:
    """Declare that the organisation knows a software, in a role, with its evidence."""
    with transaction.atomic():
        errors = _link_problems(organisation=organisation, software=software, data=data, link=None)
        if errors:
            raise ValidationError(errors)
        link = SoftwareLink.objects.create(
            organisation=organisation,
            software=software,
            role=data.role,
            years_experience=data.years_experience,
            references=data.references.strip(),
        )
        _evidence_create(link, data.evidence)
        audit_record(
            action="link.create",
            actor=by,
            target=link,
            data={"organisation": organisation.pk, "software": software.pk, "role": data.role},
        )
    return link


def link_update(*, link: SoftwareLink, data: LinkData, by: Any) -> SoftwareLink:
    """Change a link and replace its evidence. A new role or new evidence has not been
    checked by anyone: the link's verification is cleared."""
    with transaction.atomic():
        errors = _link_problems(
            organisation=link.organisation, software=link.software, data=data, link=link
        )
        if errors:
            raise ValidationError(errors)
        before = {(e.kind, e.url) for e in link.evidence.all()}
        after = {(row.kind, row.url.strip()) for row in data.evidence}
        notes_before = {e.url: e.note for e in link.evidence.all()}
        notes_after = {row.url.strip(): row.note.strip()[:200] for row in data.evidence}
        role_changed = link.role != data.role
        evidence_changed = before != after
        link.role = data.role
        link.years_experience = data.years_experience
        link.references = data.references.strip()
        if (role_changed or evidence_changed) and link.verified_at is not None:
            link.verified_at = None
            link.verified_by = None
        link.save()
        if evidence_changed or notes_before != notes_after:
            link.evidence.all().delete()
            _evidence_create(link, data.evidence)
        audit_record(
            action="link.update",
            actor=by,
            target=link,
            data={"role_changed": role_changed, "evidence_changed": evidence_changed},
        )
    return link


def link_delete(*, link: SoftwareLink, by: Any) -> None:
    """Withdraw a link, and its evidence with it."""
    with transaction.atomic():
        audit_record(
            action="link.delete",
            actor=by,
            target=link,
            data={
                "organisation": link.organisation_id,
                "software": link.software_id,
                "role": link.role,
            },
        )
        link.delete()


def evidence_add(*, link: SoftwareLink, row: EvidenceRow, by: Any) -> Evidence:
    """Add one piece of evidence to a link; its verification is cleared."""
    with transaction.atomic():
        existing = link.evidence.values_list("url", flat=True)
        problems = evidence_problems([row], existing=existing)
        if problems:
            raise ValidationError({"url": problems})
        evidence = Evidence.objects.create(
            link=link, kind=row.kind, url=row.url.strip(), note=row.note.strip()[:200]
        )
        if link.verified_at is not None:
            link.verified_at = None
            link.verified_by = None
            link.save(update_fields=["verified_at", "verified_by", "updated_at"])
        audit_record(action="link.evidence_add", actor=by, target=link, data={"kind": row.kind})
    return evidence


def link_verify(*, link: SoftwareLink, by: Any) -> SoftwareLink:
    """A coordinator checked the role and its evidence: the link shows as verified for
    GUICHET_LINK_VERIFICATION_DAYS (a year by default)."""
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators verify links."), code="not_coordinator")
    with transaction.atomic():
        link.verified_at = timezone.now()
        link.verified_by = by
        link.save(update_fields=["verified_at", "verified_by", "updated_at"])
        audit_record(action="link.verify", actor=by, target=link)
    return link
