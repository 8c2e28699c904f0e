"""Editing an organisation: its profile, its people, its software links and their evidence.

Pages are asked in English (/en/): the messages are then the source ones, whatever the state
of the French catalogue.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from conftest import ORG_X, ORG_Y
from guichet.core.models import AuditEntry
from guichet.network.domain.identifiers import luhn_valid
from guichet.network.forms_profile import ProfileForm
from guichet.network.models import (
    Certification,
    Commune,
    Department,
    Evidence,
    Membership,
    Organisation,
    Software,
    SoftwareLink,
)
from guichet.network.services.organisations import (
    EvidenceRow,
    LinkData,
    Profile,
    link_update,
    link_verify,
    membership_remove,
    membership_set_manager,
    organisation_update,
)
from guichet.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def profile_data(organisation: Organisation, user: Any, **changes: Any) -> dict[str, Any]:
    """What the profile form sends when nothing is touched, with `changes` on top."""
    form = ProfileForm(organisation=organisation, user=user)
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        if name in ("certifications", "other_networks"):
            value = [item.pk for item in value]
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def with_check_digit(body: str) -> str:
    """`body` followed by the digit that makes the Luhn checksum right."""
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


@pytest.fixture
def org_x(demo: dict[str, Any]) -> Organisation:
    return Organisation.objects.get(slug=ORG_X)


def edit(client: Any, organisation: Organisation, user: Any, **changes: Any) -> Any:
    return client.post(
        en("network:organisation_edit", organisation.slug),
        profile_data(organisation, user, **changes),
    )


def errors_of(response: Any, field: str = "__all__") -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# The profile.


def test_a_manager_edits_the_profile_and_it_is_audited(demo, client_as, org_x):
    client = client_as(demo["member"])

    response = edit(
        client,
        org_x,
        demo["member"],
        description="Nouvelle description.",
        city="Villeurbanne",
        capacity_days=75,
        size="2-9",
    )

    assert response.status_code == 302
    org_x.refresh_from_db()
    assert org_x.description == "Nouvelle description."
    assert org_x.commune.insee_code == "69266"
    assert org_x.city == "Villeurbanne"
    assert (org_x.capacity_days, org_x.size) == (75, "2-9")
    entry = AuditEntry.objects.filter(action="organisation.update").latest("sequence")
    assert entry.actor_id == demo["member"].pk
    assert set(entry.data["fields"]) >= {"description", "commune", "city", "capacity_days"}


def test_saving_the_form_untouched_changes_nothing(demo, client_as, org_x):
    before = Organisation.objects.values().get(pk=org_x.pk)

    response = edit(client_as(demo["member"]), org_x, demo["member"])

    assert response.status_code == 302
    after = Organisation.objects.values().get(pk=org_x.pk)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_a_duplicate_name_is_refused_clearly_and_nothing_is_lost(demo, client_as, org_x):
    response = edit(
        client_as(demo["member"]),
        org_x,
        demo["member"],
        name="atelier du code commun",
        description="Ce texte ne doit pas être enregistré.",
    )

    assert response.status_code == 400
    assert "Another organisation is already called" in errors_of(response, "name")[0]
    org_x.refresh_from_db()
    assert org_x.name == "Libre et Local"
    assert org_x.description != "Ce texte ne doit pas être enregistré."
    # The page comes back with what was typed, and an error summary that links to the field.
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_name"' in html
    assert "Ce texte ne doit pas être enregistré." in html
    assert 'aria-describedby="id_name_error"' in html


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("12345", "exactly 9 digits"),
        ("123456789", "check its digits"),
        ("12345678A", "exactly 9 digits"),
    ],
)
def test_a_malformed_siren_is_refused_with_its_reason(demo, client_as, org_x, siren, message):
    response = edit(client_as(demo["member"]), org_x, demo["member"], siren=siren)

    assert response.status_code == 400
    assert message in errors_of(response, "siren")[0]


def test_a_siren_is_accepted_with_spaces_and_stored_as_digits(demo, client_as, org_x):
    siren = with_check_digit("73282932")

    edit(
        client_as(demo["member"]),
        org_x,
        demo["member"],
        siren=f"{siren[:3]} {siren[3:6]} {siren[6:]}",
    )

    org_x.refresh_from_db()
    assert org_x.siren == siren


def test_a_siret_that_does_not_begin_with_the_siren_is_refused(demo, client_as, org_x):
    other_siret = with_check_digit("7328293200001")
    assert not other_siret.startswith(org_x.siren)

    response = edit(client_as(demo["member"]), org_x, demo["member"], siret=other_siret)

    assert response.status_code == 400
    assert "does not belong to the SIREN" in errors_of(response, "siret")[0]


def test_a_siret_of_the_siren_is_accepted(demo, client_as, org_x):
    siret = with_check_digit(org_x.siren + "0001")

    response = edit(client_as(demo["member"]), org_x, demo["member"], siret=siret)

    assert response.status_code == 302
    org_x.refresh_from_db()
    assert org_x.siret == siret


def test_a_siren_another_organisation_has_is_refused(demo, client_as, org_x):
    taken = Organisation.objects.get(slug=ORG_Y).siren

    response = edit(client_as(demo["member"]), org_x, demo["member"], siren=taken)

    assert response.status_code == 400
    assert "already has this SIREN" in errors_of(response, "siren")[0]


def test_an_unknown_city_is_refused_clearly(demo, client_as, org_x):
    response = edit(client_as(demo["member"]), org_x, demo["member"], city="Zzyzx-sur-Mer")

    assert response.status_code == 400
    assert "We do not know the city “Zzyzx-sur-Mer”" in errors_of(response, "city")[0]
    org_x.refresh_from_db()
    assert org_x.commune.insee_code == "69123"


def test_a_city_may_be_given_by_its_postal_code(demo, client_as, org_x):
    edit(client_as(demo["member"]), org_x, demo["member"], city="69100")

    org_x.refresh_from_db()
    assert org_x.commune.name == "Villeurbanne"


@pytest.fixture
def namesakes(demo: dict[str, Any]) -> list[Commune]:
    """Two communes called Saint-Testville, the bigger one in the Rhône."""
    rhone, jura = Department.objects.get(code="69"), Department.objects.first()
    return [
        Commune.objects.create(
            insee_code=code,
            name="Saint-Testville",
            search_name="saint testville",
            department=department,
            postal_codes=postal,
            population=population,
        )
        for code, department, postal, population in [
            ("69999", rhone, "69990", 5000),
            ("99998", jura, "99980", 300),
        ]
    ]


def test_a_city_with_namesakes_asks_which_one_then_saves_the_choice(
    demo, client_as, org_x, namesakes
):
    client = client_as(demo["member"])

    asked = edit(client, org_x, demo["member"], city="Saint-Testville")

    assert asked.status_code == 400
    assert "Several cities match" in errors_of(asked, "city")[0]
    form = asked.context["form"]
    assert [c.insee_code for c in form.candidates] == ["69999", "99998"]  # most populated first
    assert form.initial["commune"] == "69999"
    html = asked.content.decode()
    assert 'value="99998"' in html

    chosen = edit(client, org_x, demo["member"], city="Saint-Testville", commune="99998")

    assert chosen.status_code == 302
    org_x.refresh_from_db()
    assert org_x.commune.insee_code == "99998"


def test_a_city_typed_with_its_department_needs_no_choice(demo, client_as, org_x, namesakes):
    edit(client_as(demo["member"]), org_x, demo["member"], city="Saint-Testville (69)")

    org_x.refresh_from_db()
    assert org_x.commune.insee_code == "69999"


def test_an_unchanged_city_is_never_swapped_for_a_bigger_namesake(demo, client_as, org_x):
    Commune.objects.create(
        insee_code="69998",
        name="Lyon",
        search_name="lyon",
        department=org_x.commune.department,
        population=10_000_000,
    )

    response = edit(client_as(demo["member"]), org_x, demo["member"], description="Autre.")

    assert response.status_code == 302
    org_x.refresh_from_db()
    assert org_x.commune.insee_code == "69123"


@pytest.mark.parametrize("capacity", [2001, -1, 100000])
def test_a_capacity_out_of_range_is_refused(demo, client_as, org_x, capacity):
    response = edit(client_as(demo["member"]), org_x, demo["member"], capacity_days=capacity)

    assert response.status_code == 400
    assert "between 0 and 2000" in errors_of(response, "capacity_days")[0]


def test_a_website_must_be_a_web_address(demo, client_as, org_x):
    response = edit(client_as(demo["member"]), org_x, demo["member"], website="javascript:alert(1)")

    assert response.status_code == 400
    assert "http:// or https://" in errors_of(response, "website")[0]


def test_only_coordinators_may_add_names_to_the_lists(demo, client_as, org_x):
    manager_form = ProfileForm(organisation=org_x, user=demo["member"])
    assert "new_certifications" not in manager_form.fields
    with pytest.raises(ValidationError):
        organisation_update(
            organisation=org_x,
            profile=Profile(name=org_x.name, kind=org_x.kind, new_certifications=("Label X",)),
            by=demo["member"],
        )

    response = edit(
        client_as(demo["coordinator"]),
        org_x,
        demo["coordinator"],
        new_certifications="Label Numérique Responsable, qualiopi",
    )

    assert response.status_code == 302
    names = set(org_x.certifications.values_list("name", flat=True))
    assert "Label Numérique Responsable" in names
    assert "Qualiopi" in names  # an existing name, whatever its case, is not added twice
    assert Certification.objects.filter(name__iexact="qualiopi").count() == 1


def test_certifications_and_networks_are_picked_from_the_lists(demo, client_as, org_x):
    iso = Certification.objects.get(name="ISO 27001")

    edit(
        client_as(demo["member"]), org_x, demo["member"], certifications=[iso.pk], other_networks=[]
    )

    assert list(org_x.certifications.all()) == [iso]
    assert not org_x.other_networks.exists()


# Who may edit.


@pytest.mark.parametrize(
    ("login", "slug", "status"),
    [
        ("member", ORG_X, 200),  # a manager, their own organisation
        ("member", ORG_Y, 404),  # a manager, another organisation
        ("associate", ORG_X, 404),  # a member of ORG_X who is not a manager
        ("member_other", ORG_X, 404),
        ("coordinator", ORG_X, 200),
        ("coordinator", ORG_Y, 200),
        ("client", "ville-de-saint-aubin", 200),  # a client's manager edits their own too
    ],
)
def test_only_managers_and_coordinators_may_edit(demo, client_as, login, slug, status):
    client = client_as(demo[login])

    assert client.get(en("network:organisation_edit", slug)).status_code == status
    assert client.get(en("network:organisation_links", slug)).status_code == status


def test_a_manager_cannot_change_another_organisation_by_posting(demo, client_as):
    org_y = Organisation.objects.get(slug=ORG_Y)

    response = edit(client_as(demo["member"]), org_y, demo["member"], name="Pris")

    assert response.status_code == 404
    org_y.refresh_from_db()
    assert org_y.name == "Atelier du Code Commun"


def test_the_space_links_managers_to_the_edit_pages_only(demo, client_as):
    edit_url = reverse("network:organisation_edit", args=[ORG_X])

    assert (
        edit_url
        in client_as(demo["member"])
        .get(reverse("network:organisation_space", args=[ORG_X]))
        .content.decode()
    )
    assert (
        edit_url
        not in client_as(demo["associate"])
        .get(reverse("network:organisation_space", args=[ORG_X]))
        .content.decode()
    )


# People.


def test_a_manager_adds_an_existing_account_by_email(demo, client_as, org_x):
    response = client_as(demo["member"]).post(
        en("network:organisation_person_add", ORG_X),
        {"email": "MEMBRE2@demo.guichet.test", "role": "manager"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(organisation=org_x, person=demo["member_other"])
    assert membership.is_manager


def test_an_email_without_an_account_is_refused_clearly(demo, client_as):
    response = client_as(demo["member"]).post(
        en("network:organisation_person_add", ORG_X),
        {"email": "personne@nulle-part.test", "role": "member"},
    )

    assert response.status_code == 400
    assert "No account uses this address" in response.content.decode()


def test_someone_already_there_is_not_added_twice(demo, client_as):
    response = client_as(demo["member"]).post(
        en("network:organisation_person_add", ORG_X),
        {"email": demo["associate"].email, "role": "member"},
    )

    assert response.status_code == 400
    assert "already belongs" in response.content.decode()


def test_a_manager_removes_a_member(demo, client_as, org_x):
    membership = Membership.objects.get(organisation=org_x, person=demo["associate"])

    response = client_as(demo["member"]).post(
        en("network:organisation_person_remove", ORG_X, membership.pk)
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_manager_can_be_neither_removed_nor_demoted(demo, client_as, org_x):
    manager = Membership.objects.get(organisation=org_x, person=demo["member"])
    assert org_x.memberships.filter(is_manager=True).count() == 1
    client = client_as(demo["member"])

    removed = client.post(en("network:organisation_person_remove", ORG_X, manager.pk))
    demoted = client.post(
        en("network:organisation_person_role", ORG_X, manager.pk), {"role": "member"}
    )

    assert removed.status_code == demoted.status_code == 400
    assert "last manager" in removed.content.decode()
    manager.refresh_from_db()
    assert manager.is_manager
    with pytest.raises(ValidationError):
        membership_remove(membership=manager, by=demo["member"])
    with pytest.raises(ValidationError):
        membership_set_manager(membership=manager, is_manager=False, by=demo["member"])


def test_with_a_second_manager_the_first_may_step_down(demo, client_as, org_x):
    MembershipFactory.create(organisation=org_x, is_manager=True)
    manager = Membership.objects.get(organisation=org_x, person=demo["member"])

    response = client_as(demo["member"]).post(
        en("network:organisation_person_role", ORG_X, manager.pk), {"role": "member"}
    )

    # No longer a manager: back to the organisation's space, which they still see.
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("network:organisation_space", args=[ORG_X]))
    manager.refresh_from_db()
    assert not manager.is_manager


def test_another_organisation_s_membership_is_a_404(demo, client_as):
    theirs = Membership.objects.filter(organisation__slug=ORG_Y).first()

    response = client_as(demo["member"]).post(
        en("network:organisation_person_remove", ORG_X, theirs.pk)
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


# Software links and evidence.


def link_form(**changes: Any) -> dict[str, Any]:
    data = {
        "software": "PostgreSQL",
        "role": "contributor",
        "years_experience": 4,
        "references": "Une métropole.",
        "evidence-TOTAL_FORMS": 2,
        "evidence-INITIAL_FORMS": 0,
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 20,
        "evidence-0-kind": "commits",
        "evidence-0-url": "https://git.postgresql.org/commits?author=libre",
        "evidence-1-kind": "repository",
        "evidence-1-url": "",
    }
    data.update(changes)
    return data


def test_a_manager_declares_a_software_with_its_evidence(demo, client_as, org_x):
    response = client_as(demo["member"]).post(en("network:organisation_links", ORG_X), link_form())

    assert response.status_code == 302
    link = SoftwareLink.objects.get(organisation=org_x, software__name="PostgreSQL")
    assert (link.role, link.years_experience) == ("contributor", 4)
    assert [(e.kind, e.url) for e in link.evidence.all()] == [
        ("commits", "https://git.postgresql.org/commits?author=libre")
    ]
    assert not link.is_verified
    assert AuditEntry.objects.filter(action="link.create", object_id=str(link.pk)).exists()


def test_an_unknown_software_is_refused_with_a_way_to_ask_for_it(demo, client_as):
    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X), link_form(software="Logiciel Imaginaire")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "“Logiciel Imaginaire” is not in the catalogue" in html
    assert 'href="mailto:' in html
    assert "ask a coordinator" in html


def test_a_software_name_typed_another_way_is_offered_in_the_catalogue_s_spelling(demo, client_as):
    client = client_as(demo["member"])

    french = client.post(
        reverse("network:organisation_links", args=[ORG_X]), link_form(software="libre-office")
    )
    english = client.post(
        en("network:organisation_links", ORG_X), link_form(software="Libre Office")
    )

    assert english.status_code == french.status_code == 400
    assert "Did you mean “LibreOffice”?" in english.content.decode()
    assert "Vouliez-vous dire «\u00a0LibreOffice\u00a0»\u00a0?" in french.content.decode()


def test_a_software_name_is_escaped_in_the_message(demo, client_as):
    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X), link_form(software="<b>x</b>")
    )

    assert "<b>x</b>" not in response.content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://ftp.example.org/pub", "example"])
def test_evidence_that_is_not_a_web_address_is_refused(demo, client_as, url):
    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X), link_form(**{"evidence-0-url": url})
    )

    assert response.status_code == 400
    assert "http:// or https://" in response.content.decode()
    assert not SoftwareLink.objects.filter(
        organisation__slug=ORG_X, software__name="PostgreSQL"
    ).exists()


def test_the_same_evidence_twice_on_one_link_is_refused(demo, client_as):
    url = "https://github.com/postgres/postgres"

    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X),
        link_form(**{"evidence-0-url": url, "evidence-1-url": url + " "}),
    )

    assert response.status_code == 400
    assert "is given twice" in response.content.decode()


def test_the_same_role_on_the_same_software_is_refused(demo, client_as):
    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X), link_form(software="GLPI", role="maintainer")
    )

    assert response.status_code == 400
    assert "already declares this role on GLPI" in response.content.decode()


@pytest.fixture
def verified_link(demo: dict[str, Any]) -> SoftwareLink:
    link = SoftwareLink.objects.get(organisation__slug=ORG_X, software__slug="glpi")
    link_verify(link=link, by=demo["coordinator"])
    return link


def edit_link_form(link: SoftwareLink, **changes: Any) -> dict[str, Any]:
    evidence = list(link.evidence.all())
    data: dict[str, Any] = {
        "role": link.role,
        "years_experience": link.years_experience,
        "references": link.references,
        "evidence-TOTAL_FORMS": len(evidence) + 1,
        "evidence-INITIAL_FORMS": len(evidence),
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 20,
    }
    for i, e in enumerate(evidence):
        data[f"evidence-{i}-kind"] = e.kind
        data[f"evidence-{i}-url"] = e.url
    data[f"evidence-{len(evidence)}-kind"] = "commits"
    data[f"evidence-{len(evidence)}-url"] = ""
    data.update(changes)
    return data


def test_changing_years_or_references_keeps_the_verification(demo, client_as, verified_link):
    response = client_as(demo["member"]).post(
        en("network:organisation_link", ORG_X, verified_link.pk),
        edit_link_form(verified_link, years_experience=9, references="Autre référence."),
    )

    assert response.status_code == 302
    verified_link.refresh_from_db()
    assert verified_link.years_experience == 9
    assert verified_link.is_verified


def test_changing_the_role_clears_the_verification(demo, client_as, verified_link):
    client_as(demo["member"]).post(
        en("network:organisation_link", ORG_X, verified_link.pk),
        edit_link_form(verified_link, role="editor"),
    )

    verified_link.refresh_from_db()
    assert verified_link.role == "editor"
    assert verified_link.verified_at is None
    assert not verified_link.is_verified


def test_adding_or_removing_evidence_clears_the_verification(demo, client_as, verified_link):
    client = client_as(demo["member"])
    client.post(
        en("network:organisation_link", ORG_X, verified_link.pk),
        edit_link_form(verified_link, **{"evidence-1-url": "https://example.org/mr/1"}),
    )
    verified_link.refresh_from_db()
    assert verified_link.evidence.count() == 2
    assert not verified_link.is_verified

    link_verify(link=verified_link, by=demo["coordinator"])
    client.post(
        en("network:organisation_link", ORG_X, verified_link.pk),
        edit_link_form(verified_link, **{"evidence-0-DELETE": "on"}),
    )

    verified_link.refresh_from_db()
    assert verified_link.evidence.count() == 1
    assert not verified_link.is_verified


def test_bad_evidence_on_an_edit_changes_nothing(demo, client_as, verified_link):
    response = client_as(demo["member"]).post(
        en("network:organisation_link", ORG_X, verified_link.pk),
        edit_link_form(verified_link, role="editor", **{"evidence-1-url": "ftp://x.org/a"}),
    )

    assert response.status_code == 400
    verified_link.refresh_from_db()
    assert verified_link.role == "maintainer"
    assert verified_link.is_verified


def test_another_organisation_s_link_is_a_404(demo, client_as):
    theirs = SoftwareLink.objects.filter(organisation__slug=ORG_Y).first()
    client = client_as(demo["member"])

    assert client.get(en("network:organisation_link", ORG_X, theirs.pk)).status_code == 404
    assert client.get(en("network:organisation_link", ORG_Y, theirs.pk)).status_code == 404
    assert client.post(en("network:organisation_link_remove", ORG_X, theirs.pk)).status_code == 404
    assert SoftwareLink.objects.filter(pk=theirs.pk).exists()


def test_a_manager_removes_a_link_after_confirming(demo, client_as):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X).first()
    client = client_as(demo["member"])

    asked = client.get(en("network:organisation_link_remove", ORG_X, link.pk))
    done = client.post(en("network:organisation_link_remove", ORG_X, link.pk))

    assert asked.status_code == 200
    assert done.status_code == 302
    assert not SoftwareLink.objects.filter(pk=link.pk).exists()
    assert not Evidence.objects.filter(link_id=link.pk).exists()


# Verification.


def test_a_coordinator_marks_a_link_verified_and_it_is_audited(demo, client_as):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X).first()
    SoftwareLink.objects.filter(pk=link.pk).update(verified_at=None)

    response = client_as(demo["coordinator"]).post(
        en("network:organisation_link_verify", ORG_X, link.pk)
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.is_verified
    assert link.verified_by == demo["coordinator"]
    assert AuditEntry.objects.filter(action="link.verify", object_id=str(link.pk)).exists()


def test_a_manager_cannot_verify_their_own_link(demo, client_as):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X).first()
    SoftwareLink.objects.filter(pk=link.pk).update(verified_at=None)

    response = client_as(demo["member"]).post(
        en("network:organisation_link_verify", ORG_X, link.pk)
    )

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.verified_at is None
    with pytest.raises(ValidationError):
        link_verify(link=link, by=demo["member"])


def test_a_verification_expires_after_the_configured_period(demo, verified_link):
    verified_at = verified_link.verified_at

    with time_machine.travel(verified_at + timedelta(days=364), tick=False):
        assert verified_link.is_verified
    with time_machine.travel(verified_at + timedelta(days=365, seconds=1), tick=False):
        assert not verified_link.is_verified
    with (
        override_settings(GUICHET_LINK_VERIFICATION_DAYS=30),
        time_machine.travel(verified_at + timedelta(days=31), tick=False),
    ):
        assert not verified_link.is_verified


def test_the_links_page_shows_an_expired_verification(demo, client_as):
    link = SoftwareLink.objects.filter(organisation__slug=ORG_X).first()
    SoftwareLink.objects.filter(pk=link.pk).update(verified_at=timezone.now() - timedelta(days=400))

    html = client_as(demo["member"]).get(en("network:organisation_links", ORG_X)).content.decode()

    assert "expired" in html


def test_link_update_replaces_the_evidence(demo, verified_link):
    link_update(
        link=verified_link,
        data=LinkData(
            role="maintainer",
            years_experience=3,
            evidence=(EvidenceRow(kind="package", url="https://pypi.org/project/x/"),),
        ),
        by=demo["member"],
    )

    assert [e.url for e in verified_link.evidence.all()] == ["https://pypi.org/project/x/"]


def test_a_merged_software_cannot_be_linked(demo, client_as):
    glpi = Software.objects.get(slug="glpi")
    duplicate = Software.objects.create(slug="glpi-bis", name="GLPI bis", merged_into=glpi)

    response = client_as(demo["member"]).post(
        en("network:organisation_links", ORG_X), link_form(software=duplicate.slug)
    )

    assert response.status_code == 400
    assert not SoftwareLink.objects.filter(software=duplicate).exists()


def test_the_links_page_costs_the_same_queries_however_many_links(
    demo, client_as, django_assert_max_num_queries
):
    client = client_as(demo["member"])
    url = en("network:organisation_links", ORG_X)
    client.get(url)
    organisation = Organisation.objects.get(slug=ORG_X)
    for software in Software.objects.exclude(links__organisation=organisation)[:10]:
        link = SoftwareLink.objects.create(
            organisation=organisation, software=software, role="host"
        )
        Evidence.objects.create(link=link, kind="other", url=f"https://example.org/{software.pk}")

    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_capacity_help_follows_the_page_s_language(demo, client_as, org_x):
    client = client_as(demo["member"])
    english = client.get(en("network:organisation_edit", ORG_X)).content.decode()
    with translation.override("fr"):
        french = client.get(reverse("network:organisation_edit", args=[ORG_X])).content.decode()
    assert "Days the organisation can give to network missions each month, 0 to 2000." in english
    assert "peut consacrer chaque mois aux missions du réseau, de 0 à 2000." in french
