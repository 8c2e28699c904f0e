"""API endpoints of the network: the directory, the catalogue and who knows what.

Reads are public (the same data as the public pages and the open-data exports; no person
appears in them). Writes need a personal token or the browser session, and are checked per
object: a manager for their own organisation, coordinators for all; anyone else gets a 404.
Refusals answer 422 with one translated message per field, as the pages show them.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from guichet.accounts.access import is_coordinator
from guichet.core.api_errors import Errors, validation_errors
from guichet.network.access import organisations_managed_by
from guichet.network.forms import DirectoryForm
from guichet.network.forms_profile import ProfileForm
from guichet.network.models import (
    Certification,
    Evidence,
    Organisation,
    OtherNetwork,
    Software,
    SoftwareLink,
)
from guichet.network.models.links import ROLE_ORDER
from guichet.network.selectors import (
    organisation_public,
    organisations_search,
    software_links_public,
    software_listed,
)
from guichet.network.selectors_profile import software_named
from guichet.network.services.organisations import (
    EvidenceRow,
    LinkData,
    evidence_add,
    link_create,
    link_delete,
    organisation_update,
)

router = Router(tags=["network"])

PAGE_SIZE = 20


# What the endpoints answer.


class PlaceOut(Schema):
    city: str
    insee_code: str
    department: str
    department_code: str
    region: str


class EvidenceOut(Schema):
    id: int
    kind: str
    url: str
    note: str


class SoftwareRef(Schema):
    slug: str
    name: str


class OrganisationRef(Schema):
    slug: str
    name: str


def _place(organisation: Organisation) -> dict[str, str] | None:
    commune = organisation.commune
    if commune is None:
        return None
    department = commune.department
    return {
        "city": commune.name,
        "insee_code": commune.insee_code,
        "department": department.name,
        "department_code": department.code,
        "region": department.region.name,
    }


def _availability(capacity_days: int) -> str:
    """The band the public profile shows; the exact capacity stays with the organisation."""
    if capacity_days >= 40:
        return "40+"
    if capacity_days >= 10:
        return "10-39"
    if capacity_days > 0:
        return "1-9"
    return "0"


class OrganisationLinkOut(Schema):
    """A role on a software, with its public evidence, as an organisation's profile lists it."""

    id: int
    software: SoftwareRef
    role: str
    years_experience: int
    verified: bool = Field(description="Verified by a coordinator, and not expired yet.")
    verified_at: datetime | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_verified(obj: SoftwareLink) -> bool:
        return obj.is_verified

    @staticmethod
    def resolve_evidence(obj: SoftwareLink) -> list[Evidence]:
        return list(obj.evidence.all())


class LinkOut(OrganisationLinkOut):
    """An organisation's role on a software, with its public evidence."""

    organisation: OrganisationRef


class LinkWrittenOut(LinkOut):
    references: str


class RoleOn(Schema):
    software: SoftwareRef
    role: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    size: str
    availability: str = Field(
        description="Person-days available a month, as a band: 0, 1-9, 10-39 or 40+."
    )
    website: str
    place: PlaceOut | None
    profile_url: str

    @staticmethod
    def resolve_availability(obj: Organisation) -> str:
        return _availability(obj.capacity_days)

    @staticmethod
    def resolve_place(obj: Organisation) -> dict[str, str] | None:
        return _place(obj)

    @staticmethod
    def resolve_profile_url(obj: Organisation) -> str:
        return reverse("network:organisation", args=[obj.slug])


class OrganisationFoundOut(OrganisationOut):
    roles: list[RoleOn] = Field(
        description="Its roles on the software searched for (on all its software otherwise)."
    )

    @staticmethod
    def resolve_roles(obj: Organisation) -> list[SoftwareLink]:
        return list(getattr(obj, "shown_links", []))


class OrganisationDetailOut(OrganisationOut):
    description: str
    siren: str | None
    certifications: list[str]
    other_networks: list[str]
    links: list[OrganisationLinkOut]

    @staticmethod
    def resolve_certifications(obj: Organisation) -> list[str]:
        return [c.name for c in obj.certifications.all()]

    @staticmethod
    def resolve_other_networks(obj: Organisation) -> list[str]:
        return [n.name for n in obj.other_networks.all()]

    @staticmethod
    def resolve_links(obj: Organisation) -> list[SoftwareLink]:
        return list(obj.software_links.all())


class OrganisationEditOut(Schema):
    """An organisation's editable profile, as its managers see it."""

    slug: str
    name: str
    kind: str
    siren: str | None
    siret: str
    description: str
    website: str
    place: PlaceOut | None
    size: str
    capacity_days: int
    certifications: list[str]
    other_networks: list[str]

    @staticmethod
    def resolve_place(obj: Organisation) -> dict[str, str] | None:
        return _place(obj)

    @staticmethod
    def resolve_certifications(obj: Organisation) -> list[str]:
        return [c.name for c in obj.certifications.all()]

    @staticmethod
    def resolve_other_networks(obj: Organisation) -> list[str]:
        return [n.name for n in obj.other_networks.all()]


class SoftwareOut(Schema):
    slug: str
    name: str
    function: str
    licence: str = Field(description="SPDX identifier or expression (older entries may differ).")
    repository_url: str
    website: str
    sector: str | None
    component: str | None
    sill_id: str | None
    wikidata_id: str
    comptoir_id: str
    known_by: int = Field(description="How many member organisations declare it.")

    @staticmethod
    def resolve_sector(obj: Software) -> str | None:
        return obj.component.sector.name if obj.component else None

    @staticmethod
    def resolve_component(obj: Software) -> str | None:
        return obj.component.name if obj.component else None


class KnownByOut(Schema):
    id: int
    organisation: OrganisationRef
    role: str
    verified: bool
    place: PlaceOut | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_verified(obj: SoftwareLink) -> bool:
        return obj.is_verified

    @staticmethod
    def resolve_place(obj: SoftwareLink) -> dict[str, str] | None:
        return _place(obj.organisation)

    @staticmethod
    def resolve_evidence(obj: SoftwareLink) -> list[Evidence]:
        return list(obj.evidence.all())


class SoftwareDetailOut(SoftwareOut):
    description: str
    description_en: str
    known: list[KnownByOut] = Field(description="Who knows it: editors first, then maintainers…")


# What the endpoints accept.


class DirectoryFilters(Schema):
    q: str = Field("", description="Words in the name or the description.")
    software: str = Field("", description="A software's name (or slug) in the catalogue.")
    role: list[str] = Field(default_factory=list, description="Roles on that software.")
    near: str = Field("", description="A city or a postal code.")
    radius: int = Field(50, description="Kilometres around `near`: 10, 25, 50, 100 or 200.")
    region: str = Field("", description="A region's INSEE code, e.g. 84.")
    department: str = Field("", description="A department's number, e.g. 69.")
    kind: str = ""
    sort: str = Field("relevance", description="relevance, name, distance or capacity.")


class SoftwareFilters(Schema):
    q: str = Field("", description="Words in the name, what it does or the description.")
    sector: str = Field("", description="A sector's slug.")


class LinkFilters(Schema):
    software: str = Field("", description="A software's slug.")
    organisation: str = Field("", description="An organisation's slug.")
    role: list[str] = Field(default_factory=list)
    verified: bool | None = Field(None, description="Only verified links, or only the others.")


class OrganisationPatch(Schema):
    """The fields to change; the others stay as they are."""

    name: str | None = None
    kind: str | None = None
    siren: str | None = Field(None, description="9 digits; an empty string removes it.")
    siret: str | None = Field(None, description="14 digits, beginning with the SIREN.")
    description: str | None = None
    website: str | None = None
    city: str | None = Field(
        None,
        description="A city name, `Name (department)` or a postal code; among namesakes, "
        "the most populated. An empty string removes it.",
    )
    size: str | None = None
    capacity_days: int | None = Field(None, description="0 to 2000 person-days a month.")
    certifications: list[str] | None = Field(
        None, description="Names from the list; coordinators may add new ones."
    )
    other_networks: list[str] | None = Field(
        None, description="Names from the list; coordinators may add new ones."
    )


class EvidenceIn(Schema):
    kind: str = Field(description="repository, commits, merge_requests, package, ...")
    url: str = Field(description="An http:// or https:// address.")
    note: str = ""


class LinkIn(Schema):
    software: str = Field(description="The software's name (or slug) in the catalogue.")
    role: str
    years_experience: int = 0
    references: str = ""
    evidence: list[EvidenceIn] = Field(default_factory=list)


def _unprocessable(errors: Mapping[str, Iterable[Any]], where: str = "body") -> ValidationError:
    """A 422 in django-ninja's shape, one translated message per field."""
    return ValidationError(
        [
            {
                "loc": [where] if key == NON_FIELD_ERRORS else [where, key],
                "msg": str(message),
                "type": "value_error",
            }
            for key, messages in errors.items()
            for message in messages
        ]
    )


# Reads, public.


@router.get(
    "/organisations",
    auth=None,
    response={200: list[OrganisationFoundOut], 422: Errors},
    url_name="organisations",
    summary="Member organisations (the directory)",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def organisations(request: HttpRequest, filters: Query[DirectoryFilters]) -> Any:
    """The directory's search, with its filters: software and roles, distance from a city,
    region, department, kind, words. Only member organisations are listed."""
    values = filters.dict()
    form = DirectoryForm({**values, "radius": str(values["radius"])})
    if not form.is_valid():
        raise _unprocessable(form.errors, "query")
    return organisations_search(form.query())


@router.get(
    "/organisations/{slug}",
    auth=None,
    response=OrganisationDetailOut,
    url_name="organisation",
    summary="A member organisation's public profile, with its software and evidence",
)
def organisation(request: HttpRequest, slug: str) -> Any:
    try:
        return organisation_public(slug)
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing


@router.get(
    "/software",
    auth=None,
    response=list[SoftwareOut],
    url_name="software_list",
    summary="The software catalogue",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def software_list(request: HttpRequest, filters: Query[SoftwareFilters]) -> Any:
    found = software_listed()
    text = filters.q.strip()[:100]
    if text:
        found = found.filter(
            Q(name__icontains=text) | Q(function__icontains=text) | Q(description__icontains=text)
        )
    if filters.sector:
        found = found.filter(component__sector__slug=filters.sector)
    return found.order_by("name")


@router.get(
    "/software/{slug}",
    auth=None,
    response=SoftwareDetailOut,
    url_name="software",
    summary="A software, and who knows it (editors first)",
)
def software(request: HttpRequest, slug: str) -> Any:
    """A merged entry answers with the entry that replaced it (see its `slug`)."""
    entry = get_object_or_404(Software.objects.select_related("merged_into"), slug=slug)
    if entry.merged_into is not None:
        entry = entry.merged_into
    listed = software_listed().get(pk=entry.pk)
    listed.known = software_links_public(listed)  # type: ignore[attr-defined]
    return listed


def _links_public() -> QuerySet[SoftwareLink]:
    return (
        SoftwareLink.objects.filter(
            organisation__is_member=True, software__merged_into__isnull=True
        )
        .select_related("organisation", "software")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("kind", "url")))
    )


@router.get(
    "/links",
    auth=None,
    response=list[LinkOut],
    url_name="links",
    summary="Who knows what: member organisations' roles on software, with evidence",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def links(request: HttpRequest, filters: Query[LinkFilters]) -> Any:
    found = _links_public()
    if filters.software:
        found = found.filter(software__slug=filters.software)
    if filters.organisation:
        found = found.filter(organisation__slug=filters.organisation)
    if filters.role:
        found = found.filter(role__in=filters.role)
    if filters.verified is not None:
        # As `SoftwareLink.is_verified` says: verified less than a period ago.
        since = timezone.now() - timedelta(days=settings.GUICHET_LINK_VERIFICATION_DAYS)
        still = Q(verified_at__gt=since)
        found = found.filter(still) if filters.verified else found.exclude(still)
    rank = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)],
        output_field=IntegerField(),
    )
    # Per software, editors first, as on the software's page.
    return found.annotate(rank=rank).order_by("software__name", "rank", "organisation__name", "pk")


# Writes: a manager for their own organisation, coordinators for all.


def _managed(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(
        organisations_managed_by(request.user).select_related("commune__department__region"),
        slug=slug,
    )


def _names_to_ids(
    model: type[Certification] | type[OtherNetwork], names: list[str]
) -> tuple[list[str], list[str]]:
    """(ids of the names in the list, names not in it), ignoring case."""
    known = {n.name.lower(): str(n.pk) for n in model.objects.all()}
    ids, unknown = [], []
    for name in names:
        key = " ".join(name.split()).lower()
        if key in known:
            ids.append(known[key])
        elif key:
            unknown.append(name.strip())
    return ids, unknown


# Form fields whose errors the API reports under another name.
API_FIELD = {
    "commune": "city",
    "new_certifications": "certifications",
    "new_networks": "other_networks",
}


@router.patch(
    "/organisations/{slug}",
    response={200: OrganisationEditOut, 422: Errors},
    url_name="organisation",
    summary="Change an organisation's profile (its managers, coordinators)",
)
def organisation_patch(request: HttpRequest, slug: str, changes: OrganisationPatch) -> Any:
    """Validated as the profile page validates it: the same rules, the same messages."""
    target = _managed(request, slug)
    form = ProfileForm(organisation=target, user=request.user)
    data: dict[str, Any] = {
        name: form.initial.get(name) for name in form.fields if name not in API_FIELD
    }
    data["certifications"] = [str(c.pk) for c in form.initial["certifications"]]
    data["other_networks"] = [str(n.pk) for n in form.initial["other_networks"]]
    sent = changes.dict(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    for name, value in sent.items():
        if name in ("certifications", "other_networks"):
            model = Certification if name == "certifications" else OtherNetwork
            ids, unknown = _names_to_ids(model, value or [])
            data[name] = ids
            if unknown and is_coordinator(request.user):
                data["new_" + ("certifications" if model is Certification else "networks")] = (
                    ", ".join(unknown)
                )
            elif unknown:
                errors.setdefault(name, []).append(_unknown_names_message(unknown))
        else:
            data[name] = "" if value is None else value
    form = ProfileForm(data, organisation=target, user=request.user, pick_most_populated=True)
    if not form.is_valid() or errors:
        for name, messages in form.errors.items():
            errors.setdefault(API_FIELD.get(name, name), []).extend(str(m) for m in messages)
        raise _unprocessable(errors)
    try:
        organisation_update(organisation=target, profile=form.profile, by=request.user)
    except DjangoValidationError as error:
        raise _unprocessable(validation_errors(error)) from error
    return Organisation.objects.select_related("commune__department__region").get(pk=target.pk)


def _unknown_names_message(unknown: list[str]) -> str:
    return _("Not in the list: %(names)s. Only coordinators may add new names.") % {
        "names": ", ".join(unknown)
    }


@router.post(
    "/organisations/{slug}/links",
    response={201: LinkWrittenOut, 422: Errors},
    url_name="organisation_links",
    summary="Declare a software the organisation knows, its role and evidence",
)
def organisation_link_create(request: HttpRequest, slug: str, link: LinkIn) -> Any:
    target = _managed(request, slug)
    found = software_named(link.software)
    if len(found) != 1:
        raise _unprocessable({"software": [_software_message(link.software, found)]})
    data = LinkData(
        role=link.role,
        years_experience=link.years_experience,
        references=link.references,
        evidence=tuple(EvidenceRow(kind=e.kind, url=e.url, note=e.note) for e in link.evidence),
    )
    try:
        created = link_create(organisation=target, software=found[0], data=data, by=request.user)
    except DjangoValidationError as error:
        raise _unprocessable(validation_errors(error)) from error
    return Status(201, created)


def _software_message(text: str, found: list[Software]) -> str:
    if not found:
        return _(
            "“%(name)s” is not in the catalogue: check its name, or ask a coordinator to add "
            "it (%(contact)s)."
        ) % {"name": text, "contact": settings.GUICHET_OPERATOR_CONTACT}
    return _("Several software match “%(name)s” (%(names)s): give the exact name.") % {
        "name": text,
        "names": ", ".join(s.name for s in found[:5]),
    }


@router.delete(
    "/organisations/{slug}/links/{link_id}",
    response={204: None},
    url_name="organisation_link",
    summary="Withdraw one of the organisation's software links, with its evidence",
)
def organisation_link_delete(request: HttpRequest, slug: str, link_id: int) -> Any:
    target = _managed(request, slug)
    found = get_object_or_404(SoftwareLink, pk=link_id, organisation=target)
    link_delete(link=found, by=request.user)
    return Status(204, None)


@router.post(
    "/links/{link_id}/evidence",
    response={201: EvidenceOut, 422: Errors},
    url_name="link_evidence",
    summary="Add a piece of evidence to a link (its verification is cleared)",
)
def link_evidence_add(request: HttpRequest, link_id: int, evidence: EvidenceIn) -> Any:
    found = get_object_or_404(
        SoftwareLink.objects.filter(organisation__in=organisations_managed_by(request.user)),
        pk=link_id,
    )
    row = EvidenceRow(kind=evidence.kind, url=evidence.url, note=evidence.note)
    try:
        created = evidence_add(link=found, row=row, by=request.user)
    except DjangoValidationError as error:
        raise _unprocessable(validation_errors(error)) from error
    return Status(201, created)
