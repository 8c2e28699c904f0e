"""Coordinators see the members due for their periodic re-evaluation, and open those due.

In the demo no member is due within 60 days (the soonest is about three months away): each
test sets the due dates it needs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guichet.network.messages import error_message
from guichet.network.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Charter,
    Organisation,
)
from guichet.network.services.admission import application_submit, reevaluations_open_due

URL = "network:coordination_reevaluations"


def as_person(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def due_in(slug: str, days: int) -> Organisation:
    organisation = Organisation.objects.get(slug=slug)
    organisation.next_evaluation_due = timezone.localdate() + timedelta(days=days)
    organisation.save(update_fields=["next_evaluation_due"])
    return organisation


def listed(response: Any) -> list[str]:
    return [o.slug for o in response.context["page"].object_list]


@pytest.fixture
def due(db: None) -> dict[str, Organisation]:
    """Members overdue, due today and due soon; one just beyond the 60 days; a non-member."""
    organisations = {
        "overdue": due_in("cartolibre", -10),
        "today": due_in("nuage-citoyen", 0),
        "soon": due_in("alpes-devops", 60),
        "later": due_in("formalibre", 61),
    }
    outsider = Organisation.objects.get(slug="studio-caennais")
    outsider.next_evaluation_due = timezone.localdate() - timedelta(days=5)
    outsider.save(update_fields=["next_evaluation_due"])
    return organisations


def test_the_list_shows_members_due_within_60_days_soonest_first(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    response = as_person(demo["coordinator"]).get(reverse(URL))

    assert response.status_code == 200
    assert listed(response) == ["cartolibre", "nuage-citoyen", "alpes-devops"]
    assert response.context["to_open"] == 2  # overdue and due today, none open yet
    html = response.content.decode()
    assert "Formalibre" not in html  # due in 61 days
    assert "Studio Caennais" not in html  # not a member
    assert f'action="{reverse(URL)}"' in html


def test_the_list_links_to_a_reevaluation_already_open(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    reevaluation = application_submit(
        organisation=due["soon"], by=demo["coordinator"], kind=ApplicationKind.REEVALUATION
    )

    response = as_person(demo["coordinator"]).get(reverse(URL))

    rows = {o.slug: o.open_reevaluation for o in response.context["page"].object_list}
    assert rows == {"cartolibre": None, "nuage-citoyen": None, "alpes-devops": reevaluation.pk}
    link = reverse("network:coordination_application", args=[reevaluation.pk])
    assert f'href="{link}"' in response.content.decode()


def test_opening_the_reevaluations_due_now_opens_each_once_and_says_how_many(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    client = as_person(demo["coordinator"])

    # In English (/en/), so that the messages read as written here once translated.
    english = f"/en{reverse(URL)}"

    first = client.post(english, follow=True)

    opened = Application.objects.filter(kind=ApplicationKind.REEVALUATION)
    assert {a.organisation.slug for a in opened} == {"cartolibre", "nuage-citoyen"}
    assert all(a.status == ApplicationStatus.SUBMITTED for a in opened)
    assert all(a.submitted_by == demo["coordinator"] for a in opened)
    assert first.redirect_chain == [(english, 302)]
    assert [str(m) for m in first.context["messages"]] == [
        "2 re-evaluations opened: assign their evaluators."
    ]
    assert first.context["to_open"] == 0
    html = first.content.decode()
    for application in opened:
        link = reverse("network:coordination_application", args=[application.pk])
        assert f'href="{link}"' in html

    again = client.post(english, follow=True)

    assert Application.objects.filter(kind=ApplicationKind.REEVALUATION).count() == 2
    assert [str(m) for m in again.context["messages"]] == [
        "No re-evaluation to open: no member is due today without one in progress."
    ]


@pytest.mark.parametrize("key", ["member", "associate", "applicant", "client", "member_other"])
def test_only_coordinators_find_the_page_and_open_reevaluations(
    demo: dict[str, Any], due: dict[str, Organisation], key: str
) -> None:
    client = as_person(demo[key])

    shown = client.get(reverse(URL))
    posted = client.post(reverse(URL))

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert not Application.objects.filter(kind=ApplicationKind.REEVALUATION).exists()


def test_without_a_published_charter_nothing_is_opened_and_the_coordinator_is_told(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    Charter.objects.update(published_at=None)

    response = as_person(demo["coordinator"]).post(reverse(URL), follow=True)

    with translation.override("fr"):
        expected = str(error_message("no_published_charter"))
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert not Application.objects.filter(kind=ApplicationKind.REEVALUATION).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().post(reverse(URL))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Application.objects.filter(kind=ApplicationKind.REEVALUATION).exists()


def test_the_list_is_paginated(
    demo: dict[str, Any], due: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("guichet.network.views.admission.PAGE_SIZE", 2)
    client = as_person(demo["coordinator"])

    first = client.get(reverse(URL))
    second = client.get(reverse(URL), {"page": 2})

    assert listed(first) == ["cartolibre", "nuage-citoyen"]
    assert listed(second) == ["alpes-devops"]
    assert 'rel="next"' in first.content.decode()


def test_the_list_costs_the_same_queries_with_more_members_due(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    client = as_person(demo["coordinator"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(URL))
    for days, slug in enumerate(["teclib-sud-est", "infra-coop", "geo-littoral", "formalibre"]):
        organisation = due_in(slug, days)
        application_submit(
            organisation=organisation, by=demo["coordinator"], kind=ApplicationKind.REEVALUATION
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(URL))

    assert len(listed(response)) == 7
    assert len(many) == len(few)


def test_a_member_with_another_procedure_open_is_still_reevaluated(
    demo: dict[str, Any], due: dict[str, Organisation]
) -> None:
    member = due["overdue"]
    closed = application_submit(
        organisation=member, by=demo["coordinator"], kind=ApplicationKind.REEVALUATION
    )
    Application.objects.filter(pk=closed.pk).update(status=ApplicationStatus.ACCEPTED)
    application_submit(
        organisation=member,
        by=demo["coordinator"],
        kind=ApplicationKind.EXCLUSION,
        motivation="Manquements.",
    )

    opened = reevaluations_open_due(today=timezone.localdate(), by=demo["coordinator"])

    assert member in [application.organisation for application in opened]
