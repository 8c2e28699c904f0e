"""An organisation withdraws its own application, from its application page.

The demo is loaded: the "applicant" login manages Numérique Solidaire Rennes, whose admission
is being evaluated; Opale Conseil awaits its decision; the "member" login manages Libre et
Local, a member, and the "associate" login belongs to it without managing it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guichet.accounts.tests.factories import UserFactory
from guichet.core.models import AuditEntry
from guichet.network.messages import error_message
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Membership,
    Organisation,
)
from guichet.network.services.admission import (
    AdmissionError,
    application_submit,
    application_withdraw_by_applicant,
)

CANDIDATE = "numerique-solidaire-rennes"
AWAITING = "opale-conseil"
CONFIRMED = {"confirm": "on"}


def admission_of(slug: str) -> Application:
    return Application.objects.get(organisation__slug=slug, kind=ApplicationKind.ADMISSION)


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def french(message: Any) -> str:
    with translation.override("fr"):
        return escape(str(message))


def withdraw_url(application: Application) -> str:
    return reverse("network:application_withdraw", args=[application.pk])


def reevaluation_of(slug: str, by: Any) -> Application:
    return application_submit(
        organisation=Organisation.objects.get(slug=slug), by=by, kind=ApplicationKind.REEVALUATION
    )


# Through the pages.


def test_the_applicant_withdraws_their_application_after_confirming(demo: dict[str, Any]) -> None:
    application = admission_of(CANDIDATE)
    client = as_person(demo["applicant"])
    status_url = reverse("network:application", args=[application.pk])

    page = client.get(status_url).content.decode()
    assert f'action="{withdraw_url(application)}"' in page
    assert 'type="checkbox" name="confirm"' in page

    response = client.post(withdraw_url(application), CONFIRMED)

    assert response.status_code == 302
    assert response["Location"] == status_url
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert AuditEntry.objects.filter(
        action="application.withdraw",
        actor_id=demo["applicant"].pk,
        object_id=str(application.pk),
    ).exists()
    after = client.get(status_url)
    html = after.content.decode()
    assert after.context["application"].status == ApplicationStatus.WITHDRAWN
    assert 'class="messages" role="status"' in html
    assert f'action="{withdraw_url(application)}"' not in html
    # The way is free to apply again.
    assert application.organisation in [
        *client.get(reverse("network:apply")).context["form"].eligible.values()
    ]


def test_without_the_confirmation_nothing_is_withdrawn_and_the_box_says_why(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)

    response = as_person(demo["applicant"]).post(withdraw_url(application), {})

    assert response.status_code == 400
    assert response.context["form"].has_error("confirm", "required")
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_confirm"' in html  # the summary leads to the box
    assert 'id="id_confirm_error"' in html
    assert 'aria-invalid="true"' in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVALUATING


def test_another_organisation_s_application_is_not_found(demo: dict[str, Any]) -> None:
    other = admission_of(AWAITING)

    for key in ("applicant", "member", "coordinator"):
        response = as_person(demo[key]).post(withdraw_url(other), CONFIRMED)
        assert response.status_code == 404, key

    other.refresh_from_db()
    assert other.status == ApplicationStatus.AWAITING_DECISION


def test_an_organisation_cannot_withdraw_its_own_reevaluation(demo: dict[str, Any]) -> None:
    reevaluation = reevaluation_of("libre-et-local", demo["coordinator"])
    client = as_person(demo["member"])

    page = client.get(reverse("network:application", args=[reevaluation.pk]))
    response = client.post(withdraw_url(reevaluation), CONFIRMED)

    assert f'action="{withdraw_url(reevaluation)}"' not in page.content.decode()
    assert response.status_code == 400
    assert french(error_message("withdrawal_only_for_admission")) in response.content.decode()
    assert 'href="#id_confirm"' not in response.content.decode()  # no box to tick here
    reevaluation.refresh_from_db()
    assert reevaluation.status == ApplicationStatus.SUBMITTED


def test_a_person_of_the_organisation_who_does_not_manage_it_cannot_withdraw(
    demo: dict[str, Any],
) -> None:
    application = admission_of(CANDIDATE)
    colleague = UserFactory.create()
    Membership.objects.create(
        person=colleague, organisation=application.organisation, is_manager=False
    )
    client = as_person(colleague)

    page = client.get(reverse("network:application", args=[application.pk]))
    response = client.post(withdraw_url(application), CONFIRMED)

    assert page.status_code == 200
    assert f'action="{withdraw_url(application)}"' not in page.content.decode()
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVALUATING


def test_an_application_already_closed_cannot_be_withdrawn_again(demo: dict[str, Any]) -> None:
    application = admission_of(CANDIDATE)
    client = as_person(demo["applicant"])
    client.post(withdraw_url(application), CONFIRMED)

    again = client.post(withdraw_url(application), CONFIRMED)

    assert again.status_code == 400
    assert french(error_message("application_not_open")) in again.content.decode()


def test_withdrawal_asks_for_a_post(demo: dict[str, Any]) -> None:
    application = admission_of(CANDIDATE)

    response = as_person(demo["applicant"]).get(withdraw_url(application))

    assert response.status_code == 405
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVALUATING


# The service.


@pytest.mark.parametrize("kind", [ApplicationKind.REEVALUATION, ApplicationKind.EXCLUSION])
def test_the_service_refuses_the_organisation_a_reevaluation_or_an_exclusion(
    demo: dict[str, Any], kind: str
) -> None:
    application = application_submit(
        organisation=Organisation.objects.get(slug="libre-et-local"),
        by=demo["coordinator"],
        kind=kind,
        motivation="Manquements répétés.",
    )

    with pytest.raises(AdmissionError) as error:
        application_withdraw_by_applicant(application=application, by=demo["member"])

    assert error.value.code == "withdrawal_only_for_admission"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
