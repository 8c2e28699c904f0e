"""Admission by peers through its pages: applying, evaluating, putting to the associates'
decision, and what each person may see. The demo is loaded: Numérique Solidaire Rennes (the
"applicant" login) is being evaluated, Opale Conseil awaits its decision, Studio Caennais has
just applied. The associates' decision itself is taken through the governance services
(tests/deciding.py): its pages belong to governance.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guichet.accounts.tests.factories import UserFactory
from guichet.governance.models import ProposalStatus
from guichet.network.demo import siren_for
from guichet.network.messages import error_message
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    CharterSignature,
    EvaluatorAssignment,
    Membership,
    Organisation,
    SoftwareLink,
    ValueRating,
)
from guichet.network.services.admission import application_submit
from guichet.network.services.charter import current_charter
from guichet.network.services.decisions import application_put_to_decision
from guichet.network.tests.deciding import decided

CANDIDATE = "numerique-solidaire-rennes"
AWAITING = "opale-conseil"


def admission_of(slug: str) -> Application:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION)


def french(message: Any) -> str:
    """A message as a French page shows it (escaped as in HTML)."""
    with translation.override("fr"):
        return escape(str(message))


def application_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Coopérative des Essais",
        "kind": "cooperative",
        "siren": "",
        "city": "Rennes",
        "website": "https://essais.example",
        "description": "Intégration de logiciels libres.",
        "capacity_days": "12",
        "software_1": "GLPI",
        "role_1": "integrator",
        "motivation": "Nous voulons répondre ensemble aux besoins des collectivités.",
        "sign_charter": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def every_value(application: Application, rating: str = "respects") -> dict[str, str]:
    data = {}
    for value in application.charter.values.all():
        data[f"rating_{value.pk}"] = rating
        data[f"comment_{value.pk}"] = f"Vu dans ses projets ({value.position})."
    return data


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


# The whole journey.


def test_an_organisation_applies_is_evaluated_by_three_members_is_accepted_and_is_listed(
    demo: dict[str, Any],
) -> None:
    applicant = UserFactory.create()
    page = as_person(applicant)
    coordination = as_person(demo["coordinator"])

    applied = page.post(reverse("network:apply"), application_data(siren=siren_for(500)))

    organisation = Organisation.objects.get(name="Coopérative des Essais")
    application = Application.objects.get(organisation=organisation)
    assert applied.status_code == 302
    assert applied["Location"] == reverse("network:application", args=[application.pk])
    assert organisation.memberships.get().person == applicant
    assert organisation.memberships.get().is_manager
    assert organisation.commune is not None
    assert organisation.commune.name == "Rennes"
    assert SoftwareLink.objects.filter(
        organisation=organisation, software__name="GLPI", role="integrator"
    ).exists()
    assert CharterSignature.objects.filter(
        organisation=organisation, charter=current_charter()
    ).exists()
    assert application.status == ApplicationStatus.SUBMITTED

    evaluators = [
        Membership.objects.get(person=demo["member"], organisation__slug="libre-et-local"),
        Membership.objects.get(
            person=demo["member_other"], organisation__slug="atelier-du-code-commun"
        ),
        Membership.objects.filter(organisation__slug="cartolibre").first(),
    ]
    for membership in evaluators:
        assigned = coordination.post(
            reverse("network:coordination_assign", args=[application.pk]),
            {"membership": membership.pk},
        )
        assert assigned.status_code == 302
    assignments = EvaluatorAssignment.objects.filter(application=application)
    assert assignments.count() == 3

    for assignment in assignments:
        evaluated = as_person(assignment.evaluator).post(
            reverse("network:evaluation", args=[assignment.pk]), every_value(application)
        )
        assert evaluated.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DECISION

    put = coordination.post(reverse("network:coordination_decide", args=[application.pk]))

    assert put.status_code == 302
    application.refresh_from_db()
    assert application.proposal is not None
    assert not Organisation.objects.get(pk=organisation.pk).is_member  # not before they decide

    proposal = decided(application.proposal)

    assert proposal.status == ProposalStatus.ADOPTED
    organisation.refresh_from_db()
    assert organisation.is_member
    directory = Client().get(reverse("network:directory"), {"q": "Essais"})
    assert "Coopérative des Essais" in directory.content.decode()
    application.refresh_from_db()
    status = page.get(reverse("network:application", args=[application.pk]))
    html = status.content.decode()
    assert escape(application.rationale) in html
    assert reverse("governance:log_entry", args=[proposal.reference]) in html


# Applying: bad input is refused with a message on its field, nothing is created, and what
# was typed comes back.


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        pytest.param({"name": "libre ET local"}, "name", "duplicate_name", id="duplicate-name"),
        pytest.param({"siren": "123456789"}, "siren", "siren_checksum", id="malformed-siren"),
        pytest.param({"siren": "12345"}, "siren", "siren_format", id="short-siren"),
        pytest.param({"city": "Zzyzx-sur-Mer"}, "city", "unknown_city", id="unknown-city"),
        pytest.param(
            {"software_1": "Logiciel Imaginaire"}, "software_1", "unknown_software", id="software"
        ),
        pytest.param({"sign_charter": None}, "sign_charter", "required", id="no-signature"),
        pytest.param({"capacity_days": "5000"}, "capacity_days", "max_value", id="capacity"),
        pytest.param({"software_1": "", "role_1": ""}, "software_1", "required", id="no-software"),
    ],
)
def test_a_refused_application_says_why_on_the_field_and_creates_nothing(
    demo: dict[str, Any], changes: dict[str, Any], field: str, code: str
) -> None:
    applicant = UserFactory.create()
    organisations, applications = Organisation.objects.count(), Application.objects.count()

    response = as_person(applicant).post(reverse("network:apply"), application_data(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error(field, code)
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert 'role="alert"' in html
    assert f'href="#id_{field}"' in html  # the summary leads to the field
    assert f'id="id_{field}_error"' in html  # the field names its error
    for message in form.errors[field]:
        assert escape(message) in html
    assert Organisation.objects.count() == organisations
    assert Application.objects.count() == applications
    assert "Nous voulons répondre ensemble aux besoins des collectivités." in html


def test_a_software_typed_another_way_is_offered_in_its_catalogue_spelling(
    demo: dict[str, Any],
) -> None:
    data = application_data(software_1="Libre Office")

    response = as_person(UserFactory.create()).post(reverse("network:apply"), data)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["software_1"])
    assert "Vouliez-vous dire «\u00a0LibreOffice\u00a0»\u00a0?" in errors


def test_a_duplicate_name_is_explained_in_plain_words(demo: dict[str, Any]) -> None:
    response = as_person(UserFactory.create()).post(
        reverse("network:apply"), application_data(name="Libre et Local")
    )

    # The message quotes the name as typed, so the person sees which one is taken.
    assert "Libre et Local" in response.context["form"].errors["name"][0]


def test_a_city_can_be_given_by_its_postal_code(demo: dict[str, Any]) -> None:
    applicant = UserFactory.create()

    response = as_person(applicant).post(reverse("network:apply"), application_data(city="69001"))

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Coopérative des Essais")
    assert organisation.commune is not None
    assert organisation.commune.insee_code == "69123"


def test_a_manager_applies_for_the_organisation_they_already_manage(demo: dict[str, Any]) -> None:
    manager = UserFactory.create()
    organisation = Organisation.objects.create(
        name="Atelier Candidat", slug="atelier-candidat", kind="company"
    )
    Membership.objects.create(person=manager, organisation=organisation, is_manager=True)

    response = as_person(manager).post(
        reverse("network:apply"),
        application_data(
            organisation="atelier-candidat", name="", city="", software_1="", role_1=""
        ),
    )

    assert response.status_code == 302
    application = Application.objects.get(organisation=organisation)
    assert application.kind == ApplicationKind.ADMISSION
    assert CharterSignature.objects.filter(organisation=organisation).exists()


def test_an_organisation_with_an_application_in_progress_is_not_offered_again(
    demo: dict[str, Any],
) -> None:
    response = as_person(demo["applicant"]).get(reverse("network:apply"))

    assert response.status_code == 200
    assert "organisation" not in response.context["form"].fields
    assert admission_of(CANDIDATE) in response.context["applications"]


def test_an_anonymous_visitor_is_told_how_to_apply_and_where_to_sign_in(db: None) -> None:
    response = Client().get(reverse("network:apply"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{reverse('account_signup')}?next=/adhesion/" in html
    assert f"{reverse('account_login')}?next=/adhesion/" in html
    assert '<form method="post" novalidate>' not in html


# The applicant's view of their application.


def test_the_applicant_sees_the_status_and_how_many_evaluations_are_done_but_no_evaluation(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)
    done = application.assignments.filter(completed_at__isnull=False)
    comment = ValueRating.objects.filter(assignment__application=application).first()
    assert comment is not None
    assert comment.comment

    response = as_person(demo["applicant"]).get(
        reverse("network:application", args=[application.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["application"].evaluations_done == done.count() == 2
    assert comment.comment not in html
    for assignment in application.assignments.select_related("evaluator"):
        assert assignment.evaluator.full_name not in html
        assert assignment.evaluator_organisation.name not in html


def test_a_rejected_applicant_reads_the_rationale_and_the_public_decision(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    decided(proposal, adopted=False)
    manager = Membership.objects.get(organisation__slug=AWAITING, is_manager=True).person

    response = as_person(manager).get(reverse("network:application", args=[application.pk]))

    shown = response.context["application"]
    html = response.content.decode()
    assert shown.status == ApplicationStatus.REJECTED
    assert proposal.reference in shown.rationale
    assert escape(shown.rationale) in html
    assert reverse("governance:log_entry", args=[proposal.reference]) in html


def test_the_applicant_reads_that_the_associates_are_deciding(demo: dict[str, Any]) -> None:
    application = admission_of(AWAITING)
    proposal = application_put_to_decision(application=application, by=demo["coordinator"])
    manager = Membership.objects.get(organisation__slug=AWAITING, is_manager=True).person

    response = as_person(manager).get("/en" + reverse("network:application", args=[application.pk]))

    html = response.content.decode()
    assert response.context["under_decision"]
    assert "The associates are deciding" in html
    assert proposal.reference in html
    # The proposal's page is the associates'; the applicant is not sent there.
    assert reverse("governance:proposal", args=[proposal.reference]) not in html


def test_a_decision_recorded_by_a_coordinator_before_governance_shows_as_it_was(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.ACCEPTED,
        decided_at=application.submitted_at,
        decided_by=demo["coordinator"],
        decided_through="coordinator",
        rationale="Décidé par la coordination.",
    )
    manager = Membership.objects.get(organisation__slug=AWAITING, is_manager=True).person
    status_url = "/en" + reverse("network:application", args=[application.pk])
    coordination_url = "/en" + reverse("network:coordination_application", args=[application.pk])

    applicant = as_person(manager).get(status_url)
    coordination = as_person(demo["coordinator"]).get(coordination_url)

    assert "Décidé par la coordination." in applicant.content.decode()
    assert "(coordinator)" in applicant.content.decode()
    assert "public decision log" not in applicant.content.decode()
    html = coordination.content.decode()
    assert "Décidé par la coordination." in html
    assert f"by {demo['coordinator'].full_name} (coordinator)" in " ".join(html.split())
    assert coordination.context["decision_form"] is None


def test_an_applicant_cannot_see_another_application(demo: dict[str, Any]) -> None:
    other = admission_of(AWAITING)

    response = as_person(demo["applicant"]).get(reverse("network:application", args=[other.pk]))

    assert response.status_code == 404


def test_an_applicant_cannot_open_an_evaluation_of_their_own_application(
    demo: dict[str, Any],
) -> None:
    assignment = admission_of(CANDIDATE).assignments.first()

    response = as_person(demo["applicant"]).get(reverse("network:evaluation", args=[assignment.pk]))

    assert response.status_code == 404


def test_a_coordinator_is_sent_to_the_coordination_page(demo: dict[str, Any]) -> None:
    application = admission_of(CANDIDATE)

    response = as_person(demo["coordinator"]).get(
        reverse("network:application", args=[application.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "network:coordination_application", args=[application.pk]
    )


# Evaluating.


def member_assignment(demo: dict[str, Any]) -> EvaluatorAssignment:
    return EvaluatorAssignment.objects.get(
        application=admission_of(CANDIDATE), evaluator=demo["member"]
    )


def test_an_evaluation_rating_only_some_values_is_refused_and_keeps_what_was_typed(
    demo: dict[str, Any],
) -> None:
    assignment = member_assignment(demo)
    application = assignment.application
    data = every_value(application)
    _first, *others = list(application.charter.values.order_by("position"))
    for value in others:
        del data[f"rating_{value.pk}"]

    response = as_person(demo["member"]).post(
        reverse("network:evaluation", args=[assignment.pk]), data
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert all(form.has_error(f"rating_{v.pk}", "required") for v in others)
    html = response.content.decode()
    assert f'href="#id_rating_{others[0].pk}_0"' in html
    assert f'id="id_rating_{others[0].pk}_error"' in html
    assert escape(f"Vu dans ses projets ({others[-1].position}).") in html
    assert not assignment.ratings.exists()
    assignment.refresh_from_db()
    assert assignment.completed_at is None


def test_an_evaluator_changes_their_evaluation_and_a_bad_change_loses_nothing_saved(
    demo: dict[str, Any],
) -> None:
    assignment = member_assignment(demo)
    client = as_person(demo["member"])
    url = reverse("network:evaluation", args=[assignment.pk])
    client.post(url, every_value(assignment.application))
    changed = every_value(assignment.application, rating="partly")
    value = assignment.application.charter.values.order_by("position").first()
    changed[f"comment_{value.pk}"] = ""

    refused = client.post(url, changed)

    assert refused.status_code == 400
    assert refused.context["form"].has_error(f"comment_{value.pk}", "required")
    assert set(assignment.ratings.values_list("rating", flat=True)) == {"respects"}

    accepted = client.post(url, every_value(assignment.application, rating="partly"))

    assert accepted.status_code == 302
    assert set(assignment.ratings.values_list("rating", flat=True)) == {"partly"}


def test_a_decided_application_can_no_longer_be_evaluated(demo: dict[str, Any]) -> None:
    assignment = member_assignment(demo)
    Application.objects.filter(pk=assignment.application_id).update(status="withdrawn")
    client = as_person(demo["member"])
    url = reverse("network:evaluation", args=[assignment.pk])

    shown = client.get(url)
    sent = client.post(url, every_value(assignment.application))

    assert shown.status_code == 200
    assert 'method="post"' not in shown.content.decode().split("<main")[1]
    assert sent.status_code == 400
    assert french(error_message("application_not_open_for_evaluation")) in sent.content.decode()
    assert not assignment.ratings.exists()


def test_only_the_assigned_evaluator_opens_the_evaluation(demo: dict[str, Any]) -> None:
    url = reverse("network:evaluation", args=[member_assignment(demo).pk])

    for key in ("associate", "member_other", "coordinator", "client"):
        assert as_person(demo[key]).get(url).status_code == 404, key


def test_my_space_lists_the_evaluation_i_have_to_do(demo: dict[str, Any]) -> None:
    response = as_person(demo["member"]).get(reverse("web:dashboard"))

    assert member_assignment(demo) in response.context["evaluations"]
    assert reverse("network:evaluation", args=[member_assignment(demo).pk]) in (
        response.content.decode()
    )


# Coordinating.


def test_an_evaluator_from_the_organisation_under_evaluation_is_refused_with_the_reason(
    demo: dict[str, Any],
) -> None:
    reevaluation = application_submit(
        organisation=Organisation.objects.get(slug="libre-et-local"),
        by=demo["coordinator"],
        kind=ApplicationKind.REEVALUATION,
    )
    own = Membership.objects.get(person=demo["associate"], organisation__slug="libre-et-local")

    response = as_person(demo["coordinator"]).post(
        reverse("network:coordination_assign", args=[reevaluation.pk]), {"membership": own.pk}
    )

    assert response.status_code == 400
    assert response.context["assign_form"].has_error("membership")
    assert french(error_message("evaluator_from_applicant")) in response.content.decode()
    assert not reevaluation.assignments.exists()


def test_an_organisation_never_evaluates_the_same_application_twice(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)
    second = Membership.objects.create(
        person=UserFactory.create(),
        organisation=Organisation.objects.get(slug="libre-et-local"),
    )

    response = as_person(demo["coordinator"]).post(
        reverse("network:coordination_assign", args=[application.pk]), {"membership": second.pk}
    )

    assert response.status_code == 400
    assert french(error_message("organisation_already_evaluates")) in response.content.decode()
    assert application.assignments.count() == 3


def test_the_evaluator_list_offers_neither_the_applicant_nor_organisations_already_evaluating(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)

    response = as_person(demo["coordinator"]).get(
        reverse("network:coordination_application", args=[application.pk])
    )

    offered = [
        value for value, _ in response.context["assign_form"].fields["membership"].widget.choices
    ]
    offered_organisations = set(
        Membership.objects.filter(pk__in=[v for v in offered if v]).values_list(
            "organisation__slug", flat=True
        )
    )
    assert offered_organisations
    assert not offered_organisations & {
        CANDIDATE,
        "libre-et-local",
        "atelier-du-code-commun",
        "cartolibre",
    }


def test_an_application_still_evaluated_cannot_be_put_to_decision(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)

    response = as_person(demo["coordinator"]).post(
        reverse("network:coordination_decide", args=[application.pk])
    )

    assert response.status_code == 400
    assert french(error_message("application_not_awaiting_decision")) in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    application.refresh_from_db()
    assert application.proposal is None
    assert application.status == ApplicationStatus.EVALUATING


def test_a_coordinator_puts_an_application_to_the_associates_and_follows_it(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    client = as_person(demo["coordinator"])
    url = reverse("network:coordination_application", args=[application.pk])
    before = client.get("/en" + url)
    assert before.context["decision_form"] is not None
    assert f'action="{reverse("network:coordination_decide", args=[application.pk])}"' in (
        before.content.decode()
    )

    put = client.post(reverse("network:coordination_decide", args=[application.pk]), follow=True)

    application.refresh_from_db()
    proposal = application.proposal
    assert proposal is not None
    assert [(path.removeprefix("/en"), code) for path, code in put.redirect_chain] == [(url, 302)]
    html = client.get("/en" + url).content.decode()
    assert "The application is before the associates" in html
    assert f'href="{reverse("governance:proposal", args=[proposal.reference])}"' in html
    assert f'action="{reverse("network:coordination_decide", args=[application.pk])}"' not in html
    # Putting it again is refused, with the reason.
    # (The English page just read left English active: reverse() gives its /en/ address.)
    again = client.post(reverse("network:coordination_decide", args=[application.pk]))
    assert again.status_code == 400
    with translation.override("en"):
        assert escape(str(error_message("application_under_decision"))) in again.content.decode()

    decided(proposal)

    after = client.get("/en" + url)
    html = after.content.decode()
    assert after.context["application"].status == ApplicationStatus.ACCEPTED
    assert f"by the associates (decision {proposal.reference})" in html
    assert f'href="{reverse("governance:log_entry", args=[proposal.reference])}"' in html


def test_an_evaluator_cannot_change_an_evaluation_the_associates_are_reading(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)
    assignment = application.assignments.select_related("evaluator").first()
    assert assignment is not None
    application_put_to_decision(application=application, by=demo["coordinator"])
    client = as_person(assignment.evaluator)
    url = reverse("network:evaluation", args=[assignment.pk])

    shown = client.get("/en" + url)
    sent = client.post(url, every_value(application, rating="does_not"))

    assert 'method="post"' not in shown.content.decode().split("<main")[1]
    assert "before the associates' decision" in shown.content.decode().replace("&#x27;", "'")
    assert sent.status_code == 400
    assert french(error_message("evaluation_under_decision")) in sent.content.decode()
    assert not assignment.ratings.filter(rating="does_not").exists()
    dashboard = client.get(reverse("web:dashboard"))
    assert assignment not in dashboard.context["evaluations"]


def test_the_coordination_page_sums_the_ratings_value_by_value_with_each_comment(
    demo: dict[str, Any],
) -> None:
    application = admission_of(AWAITING)

    response = as_person(demo["coordinator"]).get(
        reverse("network:coordination_application", args=[application.pk])
    )

    rows = response.context["rows"]
    assert len(rows) == application.charter.values.count()
    assert all(row.counts == {"respects": 3, "partly": 0, "does_not": 0} for row in rows)
    assert all(len(row.comments) == 3 for row in rows)
    assert response.context["decision_form"] is not None


def test_the_coordination_list_filters_by_status_and_kind(demo: dict[str, Any]) -> None:
    client = as_person(demo["coordinator"])

    awaiting = client.get(
        reverse("network:coordination_applications"), {"status": "awaiting_decision"}
    )
    exclusions = client.get(reverse("network:coordination_applications"), {"kind": "exclusion"})

    assert [a.organisation.slug for a in awaiting.context["page"]] == [AWAITING]
    assert list(exclusions.context["page"]) == []


def test_a_coordinator_opens_a_reevaluation_and_an_exclusion_needs_a_reason(
    demo: dict[str, Any],
) -> None:
    client = as_person(demo["coordinator"])
    member = Organisation.objects.get(slug="cartolibre")

    refused = client.post(
        reverse("network:coordination_open"),
        {"organisation": member.pk, "kind": "exclusion", "reason": ""},
    )
    opened = client.post(
        reverse("network:coordination_open"), {"organisation": member.pk, "kind": "reevaluation"}
    )

    assert refused.status_code == 400
    assert refused.context["open_form"].has_error("reason")
    assert not Application.objects.filter(organisation=member, kind="exclusion").exists()
    reevaluation = Application.objects.get(organisation=member, kind="reevaluation")
    assert opened["Location"] == reverse("network:coordination_application", args=[reevaluation.pk])


def test_a_coordinator_withdraws_an_application(demo: dict[str, Any]) -> None:
    application = admission_of("studio-caennais")

    response = as_person(demo["coordinator"]).post(
        reverse("network:coordination_withdraw", args=[application.pk])
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


@pytest.mark.parametrize("key", ["member", "associate", "applicant", "client", "member_other"])
def test_coordination_pages_do_not_exist_for_anyone_but_coordinators(
    demo: dict[str, Any], key: str
) -> None:
    application = admission_of(AWAITING)
    client = as_person(demo[key])

    pages = [
        client.get(reverse("network:coordination_applications")),
        client.get(reverse("network:coordination_application", args=[application.pk])),
        client.post(reverse("network:coordination_decide", args=[application.pk])),
    ]

    assert [page.status_code for page in pages] == [404, 404, 404]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DECISION
    assert application.proposal is None


def test_a_coordinator_can_open_a_procedure_from_a_member_s_space(demo: dict[str, Any]) -> None:
    coordinator = as_person(demo["coordinator"]).get(
        reverse("network:organisation_space", args=["libre-et-local"])
    )
    member = as_person(demo["member"]).get(
        reverse("network:organisation_space", args=["libre-et-local"])
    )

    assert f'action="{reverse("network:coordination_open")}"' in coordinator.content.decode()
    assert f'action="{reverse("network:coordination_open")}"' not in member.content.decode()


# Queries: the pages cost the same whatever the number of applications or evaluators.


def test_the_coordination_list_costs_the_same_queries_with_more_applications(
    demo: dict[str, Any],
) -> None:
    client = as_person(demo["coordinator"])
    url = reverse("network:coordination_applications")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for slug in ("cartolibre", "nuage-citoyen", "alpes-devops"):
        application_submit(
            organisation=Organisation.objects.get(slug=slug),
            by=demo["coordinator"],
            kind=ApplicationKind.REEVALUATION,
        )

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_the_coordination_page_costs_the_same_queries_with_more_evaluators(
    demo: dict[str, Any], settings: Any
) -> None:
    settings.GUICHET_MIN_EVALUATORS = 10  # the application stays open to more evaluators
    application = admission_of(CANDIDATE)
    client = as_person(demo["coordinator"])
    url = reverse("network:coordination_application", args=[application.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for slug in ("nuage-citoyen", "alpes-devops"):
        membership = Membership.objects.filter(organisation__slug=slug).first()
        client.post(
            reverse("network:coordination_assign", args=[application.pk]),
            {"membership": membership.pk},
        )
        assignment = application.assignments.get(evaluator_organisation__slug=slug)
        as_person(assignment.evaluator).post(
            reverse("network:evaluation", args=[assignment.pk]), every_value(application)
        )
    assert application.assignments.count() == 5

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
