"""Coordinators keep the catalogue: add entries, edit them, merge duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conftest import ORG_X, ORG_Y
from guichet.core.models import AuditEntry
from guichet.network.models import Evidence, Organisation, Software, SoftwareLink
from guichet.network.services.catalogue import (
    SoftwareData,
    software_create,
    software_merge,
    software_update,
)

pytestmark = pytest.mark.django_db


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def entry_form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Logiciel Nouveau",
        "function": "Fait des choses utiles",
        "description": "Une description.",
        "description_en": "A description.",
        "licence": "AGPL-3.0-or-later",
        "repository_url": "https://forge.example.org/nouveau",
        "website": "https://nouveau.example.org",
        "component": "",
        "sill_id": "",
        "wikidata_id": "Q123",
        "comptoir_id": "",
    }
    data.update(changes)
    return data


def errors_of(response: Any, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# Adding and editing.


def test_a_coordinator_adds_an_entry(demo, client_as):
    response = client_as(demo["coordinator"]).post(
        en("network:coordination_software_add"), entry_form(sill_id="99001")
    )

    assert response.status_code == 302
    software = Software.objects.get(sill_id="99001")
    assert software.slug == "logiciel-nouveau"
    assert (software.licence, software.wikidata_id) == ("AGPL-3.0-or-later", "Q123")
    assert AuditEntry.objects.filter(action="software.create", object_id=str(software.pk)).exists()


def test_a_name_already_used_gets_a_slug_of_its_own(demo):
    software = software_create(data=SoftwareData(name="GLPI"), by=demo["coordinator"])

    assert software.slug == "glpi-2"


def test_a_duplicate_sill_id_is_refused(demo, client_as):
    glpi = Software.objects.get(slug="glpi")

    response = client_as(demo["coordinator"]).post(
        en("network:coordination_software_add"), entry_form(sill_id=glpi.sill_id)
    )

    assert response.status_code == 400
    assert f"already belongs to “{glpi.name}”" in errors_of(response, "sill_id")[0]
    assert not Software.objects.filter(name="Logiciel Nouveau").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licence", "GPL V2.0", "SPDX"),
        ("repository_url", "javascript:alert(1)", "http:// or https://"),
        ("website", "ftp://nouveau.example.org", "http:// or https://"),
        ("wikidata_id", "123", "Q followed by digits"),
        ("sill_id", "abc", "is a number"),
        ("name", "", "required"),
    ],
)
def test_bad_fields_are_refused_with_a_message(demo, client_as, field, value, message):
    response = client_as(demo["coordinator"]).post(
        en("network:coordination_software_add"), entry_form(**{field: value})
    )

    assert response.status_code == 400
    assert message in " ".join(errors_of(response, field))


def test_an_entry_with_a_legacy_licence_can_still_be_edited(demo, client_as):
    software = Software.objects.get(slug="glpi")
    Software.objects.filter(pk=software.pk).update(licence="GPL V2.0")

    response = client_as(demo["coordinator"]).post(
        en("network:coordination_software_edit", "glpi"),
        entry_form(name="GLPI", licence="GPL V2.0", sill_id=software.sill_id),
    )

    assert response.status_code == 302
    software.refresh_from_db()
    assert software.function == "Fait des choses utiles"
    assert software.slug == "glpi"  # the identifier never changes


def test_software_update_refuses_an_id_another_entry_holds(demo):
    glpi = Software.objects.get(slug="glpi")
    other = Software.objects.exclude(pk=glpi.pk).filter(sill_id__isnull=False).first()

    with pytest.raises(ValidationError) as refused:
        software_update(
            software=glpi, data=SoftwareData(name="GLPI", sill_id=other.sill_id), by=None
        )

    assert "sill_id" in refused.value.message_dict


@pytest.mark.parametrize("login", ["member", "associate", "member_other", "client"])
def test_the_catalogue_pages_do_not_exist_for_others(demo, client_as, login):
    client = client_as(demo[login])

    for url in (
        en("network:coordination_software_list"),
        en("network:coordination_software_add"),
        en("network:coordination_software_edit", "glpi"),
        en("network:coordination_software_merge", "glpi"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(en("network:coordination_software_add"), entry_form()).status_code == 404
    assert not Software.objects.filter(name="Logiciel Nouveau").exists()


def test_the_coordination_list_finds_entries_and_shows_merged_ones(demo, client_as):
    glpi = Software.objects.get(slug="glpi")
    Software.objects.create(slug="glpi-doublon", name="GLPI doublon", merged_into=glpi)

    response = client_as(demo["coordinator"]).get(
        en("network:coordination_software_list"), {"q": "glpi"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "GLPI doublon" in html
    assert "merged into GLPI" in html


# Merging.


@pytest.fixture
def duplicate(demo: dict[str, Any]) -> Software:
    """A second GLPI entry, with links of its own and ids the main entry lacks."""
    glpi = Software.objects.get(slug="glpi")
    Software.objects.filter(pk=glpi.pk).update(comptoir_id="")
    copy = Software.objects.create(
        slug="glpi-copie", name="GLPI (copie)", sill_id="99002", comptoir_id="35"
    )
    org_x, org_y = Organisation.objects.get(slug=ORG_X), Organisation.objects.get(slug=ORG_Y)
    # ORG_X maintains both entries: the two links become one.
    same = SoftwareLink.objects.create(
        organisation=org_x,
        software=copy,
        role="maintainer",
        years_experience=12,
        references="Département du Rhône.",
        verified_at=timezone.now(),
    )
    kept_url = SoftwareLink.objects.get(organisation=org_x, software=glpi).evidence.first().url
    Evidence.objects.create(link=same, kind="repository", url=kept_url)
    Evidence.objects.create(link=same, kind="commits", url="https://example.org/commits")
    # ORG_Y knows only the copy: its link moves.
    SoftwareLink.objects.create(organisation=org_y, software=copy, role="trainer")
    return copy


def test_merging_moves_links_combines_doubles_and_keeps_ids(demo, duplicate):
    glpi = Software.objects.get(slug="glpi")
    maintainer = SoftwareLink.objects.get(organisation__slug=ORG_X, software=glpi)
    SoftwareLink.objects.filter(pk=maintainer.pk).update(verified_at=None)

    report = software_merge(source=duplicate, target=glpi, by=demo["coordinator"])

    assert (report.links_moved, report.links_combined, report.evidence_added) == (1, 1, 1)
    assert not SoftwareLink.objects.filter(software=duplicate).exists()
    assert SoftwareLink.objects.filter(software=glpi, organisation__slug=ORG_Y).exists()
    maintainer.refresh_from_db()
    urls = list(maintainer.evidence.values_list("url", flat=True))
    assert len(urls) == len(set(urls)) == 2
    assert maintainer.years_experience == 12
    assert "Département du Rhône." in maintainer.references
    assert maintainer.verified_at is not None  # the more recent verification is kept
    duplicate.refresh_from_db()
    glpi.refresh_from_db()
    assert duplicate.merged_into == glpi
    assert glpi.comptoir_id == "35"  # taken from the duplicate, as the target lacked it
    assert glpi.sill_id != "99002"  # the target had its own SILL id: it keeps it
    entry = AuditEntry.objects.get(action="software.merge", object_id=str(duplicate.pk))
    assert entry.data["into"] == glpi.pk
    assert entry.actor_id == demo["coordinator"].pk


def test_a_target_without_a_sill_id_takes_the_duplicate_s(demo, duplicate):
    target = Software.objects.create(slug="glpi-nouveau", name="GLPI nouveau")

    software_merge(source=duplicate, target=target, by=demo["coordinator"])

    target.refresh_from_db()
    duplicate.refresh_from_db()
    assert target.sill_id == "99002"
    assert duplicate.sill_id is None


def test_entries_merged_earlier_follow_to_the_new_target(demo, duplicate):
    glpi = Software.objects.get(slug="glpi")
    older = Software.objects.create(slug="glpi-ancien", name="GLPI ancien", merged_into=duplicate)

    software_merge(source=duplicate, target=glpi, by=demo["coordinator"])

    older.refresh_from_db()
    assert older.merged_into == glpi


def test_merging_into_itself_or_into_a_merged_entry_is_refused(demo, duplicate):
    glpi = Software.objects.get(slug="glpi")
    with pytest.raises(ValidationError) as itself:
        software_merge(source=duplicate, target=duplicate, by=demo["coordinator"])
    assert "target" in itself.value.message_dict

    software_merge(source=duplicate, target=glpi, by=demo["coordinator"])
    other = Software.objects.create(slug="autre", name="Autre")

    with pytest.raises(ValidationError):
        software_merge(source=other, target=duplicate, by=demo["coordinator"])
    with pytest.raises(ValidationError):
        software_merge(source=duplicate, target=other, by=demo["coordinator"])


def test_the_merge_page_merges_then_the_old_address_leads_to_the_target(demo, client_as, duplicate):
    client = client_as(demo["coordinator"])

    response = client.post(
        en("network:coordination_software_merge", duplicate.slug), {"target": "glpi"}
    )

    assert response.status_code == 302
    target = reverse("network:coordination_software_edit", args=["glpi"])
    assert response["Location"].endswith(target)
    public = client.get(reverse("network:software", args=[duplicate.slug]))
    assert public.status_code == 301
    assert public["Location"] == reverse("network:software", args=["glpi"])


def test_the_merge_page_refuses_the_entry_itself_and_unknown_names(demo, client_as, duplicate):
    client = client_as(demo["coordinator"])
    url = en("network:coordination_software_merge", duplicate.slug)

    itself = client.post(url, {"target": duplicate.name})
    unknown = client.post(url, {"target": "Rien du tout"})

    assert itself.status_code == unknown.status_code == 400
    assert "cannot be merged into itself" in errors_of(itself, "target")[0]
    assert "No catalogue entry" in errors_of(unknown, "target")[0]
    misspelt = client.post(url, {"target": "Libre Office"})
    assert "Did you mean “LibreOffice”?" in errors_of(misspelt, "target")[0]
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_the_merge_page_names_the_entry_a_merged_target_went_to(demo, client_as, duplicate):
    glpi = Software.objects.get(slug="glpi")
    other = Software.objects.create(slug="autre", name="Autre")
    software_merge(source=duplicate, target=glpi, by=demo["coordinator"])

    response = client_as(demo["coordinator"]).post(
        en("network:coordination_software_merge", other.slug), {"target": duplicate.name}
    )

    assert response.status_code == 400
    assert "merge into that one" in errors_of(response, "target")[0]
