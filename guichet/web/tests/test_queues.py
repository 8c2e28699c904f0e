"""What waits for a person, in "My space" and on the coordinators' home: each queue with its
count and its page, for the parts the person plays, and nobody else's.

The demo is loaded: two requests to qualify, a shortlist sent with a proposal for the
"member" login's organisation still unanswered, an admission evaluation asked of that
login, a round awaiting the associates' positions.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ORG_X, ORG_Y
from guichet.core.registries.queues import Waiting
from guichet.governance.selectors import waiting_rounds
from guichet.missions.models import Mission, MissionStatus
from guichet.missions.selectors import ready_to_start
from guichet.needs.models import MemberResponse, Request, RequestStatus, ShortlistEntry
from guichet.needs.services.shortlists import member_respond
from guichet.network.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db

COORDINATOR_QUEUES = [
    "needs.requests_to_qualify",
    "needs.requests_to_shortlist",
    "missions.to_start",
    "network.applications_to_assign",
    "network.applications_to_decide",
    "network.reevaluations_due",
]


def waiting(client: Client) -> dict[str, Waiting]:
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return {q.key: q for audience in response.context["waiting"] for q in audience.queues}


def audiences(client: Client) -> list[str]:
    return [a.key for a in client.get(reverse("web:dashboard")).context["waiting"]]


def pending_for(slug: str) -> Any:
    return ShortlistEntry.objects.filter(
        organisation__slug=slug,
        sent_at__isnull=False,
        member_response=MemberResponse.PENDING,
        lot__request__status=RequestStatus.SHORTLISTED,
    )


# A coordinator.


def test_a_coordinator_finds_the_request_queue_in_my_space(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])

    queues = waiting(client)

    assert list(queues)[: len(COORDINATOR_QUEUES)] == COORDINATOR_QUEUES
    to_qualify = queues["needs.requests_to_qualify"]
    submitted = Request.objects.filter(status=RequestStatus.SUBMITTED)
    assert to_qualify.count == submitted.count() == 2
    assert to_qualify.url == reverse("needs:coordination_requests") + "?status=submitted"
    listed = client.get(to_qualify.url)
    assert [r.pk for r in listed.context["page"]] == sorted(
        submitted.values_list("pk", flat=True), reverse=True
    )
    page = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{to_qualify.url}"' in page
    assert "2 en attente" in page
    assert f'href="{reverse("web:coordination")}"' in page


def test_a_request_confirmed_joins_the_queue_and_leaves_it_once_qualified(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])
    before = waiting(client)["needs.requests_to_qualify"].count
    request = Request.objects.filter(status=RequestStatus.SUBMITTED).first()

    Request.objects.filter(pk=request.pk).update(status=RequestStatus.QUALIFIED)

    after = waiting(client)
    assert after["needs.requests_to_qualify"].count == before - 1
    qualified = Request.objects.filter(status=RequestStatus.QUALIFIED).count()
    assert after["needs.requests_to_shortlist"].count == qualified


def test_the_missions_to_start_are_those_the_missions_page_offers_to_start(
    demo: dict[str, Any], client_as: Any
) -> None:
    queue = waiting(client_as(demo["coordinator"]))["missions.to_start"]

    ready = ready_to_start()
    assert queue.count == len(ready["consortia"]) + len(ready["entries"]) > 0
    assert queue.url == reverse("missions:list") + "#ready"


def test_applications_waiting_for_the_coordinators_are_counted_by_status(
    demo: dict[str, Any], client_as: Any
) -> None:
    queues = waiting(client_as(demo["coordinator"]))

    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()
    assert queues["network.applications_to_assign"].count == submitted
    assert queues["network.applications_to_assign"].url.endswith("?status=submitted")
    # Awaiting a decision, and not yet put to the associates.
    awaiting = Application.objects.filter(
        status=ApplicationStatus.AWAITING_DECISION, proposal__isnull=True
    ).count()
    assert queues["network.applications_to_decide"].count == awaiting


def test_the_coordinators_home_lists_their_queues_and_leads_to_every_tool(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])

    response = client.get(reverse("web:coordination"))

    assert response.status_code == 200
    assert [q.key for q in response.context["queues"]] == COORDINATOR_QUEUES
    page = response.content.decode()
    tools = page[page.index('id="tools-title"') :]
    links = [part.split('"', 1)[0] for part in tools.split('href="')[1:]]
    for name in (
        "needs:coordination_requests",
        "network:coordination_applications",
        "network:coordination_software_list",
        "network:coordination_charter",
        "needs:matching_rules",
        "missions:list",
    ):
        assert reverse(name) in links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_only_staff_are_offered_to_propose_new_matching_rules(
    demo: dict[str, Any], client_as: Any
) -> None:
    new_rules = f'href="{reverse("needs:matching_rules_new")}"'
    home = reverse("web:coordination")
    assert new_rules not in client_as(demo["coordinator"]).get(home).content.decode()
    assert new_rules in client_as(demo["staff"]).get(home).content.decode()


# A member organisation's people.


def test_a_manager_finds_the_proposals_waiting_for_an_answer(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["member"])  # manages ORG_X
    expected = pending_for(ORG_X).count()
    assert expected >= 1

    queue = waiting(client)["needs.proposals_to_answer"]

    assert queue.count == expected
    assert queue.url == reverse("needs:member_entries")
    listed = {entry.pk for entry in client.get(queue.url).context["page"]}
    assert set(pending_for(ORG_X).values_list("pk", flat=True)) <= listed


def test_an_answer_takes_the_proposal_out_of_the_queue(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["member"])
    before = waiting(client)["needs.proposals_to_answer"].count

    member_respond(entry=pending_for(ORG_X).first(), accepted=True, by=demo["member"])

    assert waiting(client)["needs.proposals_to_answer"].count == before - 1


def test_another_organisation_s_proposals_are_not_counted(
    demo: dict[str, Any], client_as: Any
) -> None:
    other = pending_for(ORG_Y).count()
    mine = waiting(client_as(demo["member"]))["needs.proposals_to_answer"].count
    ShortlistEntry.objects.filter(organisation__slug=ORG_Y, sent_at__isnull=False).update(
        member_response=MemberResponse.PENDING
    )

    assert waiting(client_as(demo["member"]))["needs.proposals_to_answer"].count == mine
    assert waiting(client_as(demo["member_other"]))["needs.proposals_to_answer"].count >= other


def test_a_member_who_does_not_manage_has_no_proposals_to_answer(
    demo: dict[str, Any], client_as: Any
) -> None:
    queues = waiting(client_as(demo["associate"]))  # a member of ORG_X, not its manager

    assert "needs.proposals_to_answer" not in queues
    assert "missions.evaluations_to_read" in queues


def test_a_client_s_evaluation_waits_to_be_read_by_the_mission_s_members(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["member"])
    before = waiting(client)["missions.evaluations_to_read"].count
    mission = (
        Mission.objects.filter(members__organisation__slug=ORG_X)
        .exclude(status=MissionStatus.EVALUATED)
        .first()
    )

    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.EVALUATED)

    queue = waiting(client)["missions.evaluations_to_read"]
    assert queue.count == before + 1
    assert mission in client.get(queue.url).context["page"].object_list


def test_an_evaluator_finds_the_admissions_to_evaluate(
    demo: dict[str, Any], client_as: Any
) -> None:
    queue = waiting(client_as(demo["member"]))["network.evaluations_to_give"]

    assert queue.count == 1
    assert queue.url == reverse("web:dashboard") + "#evaluations-title"


# Associates, clients, and the cost of it all.


def test_an_associate_finds_the_rounds_awaiting_their_position(
    demo: dict[str, Any], client_as: Any
) -> None:
    associate = demo["associate"]

    queue = waiting(client_as(associate))["governance.rounds_to_position_on"]

    assert queue.count == waiting_rounds(associate).count() >= 1
    assert queue.url == reverse("governance:proposals")


def test_a_client_is_shown_no_queue_of_the_others(demo: dict[str, Any], client_as: Any) -> None:
    client = client_as(demo["client"])

    assert waiting(client) == {}
    assert 'id="waiting-title"' not in client.get(reverse("web:dashboard")).content.decode()


def test_a_member_is_shown_no_coordinators_queue(demo: dict[str, Any], client_as: Any) -> None:
    assert audiences(client_as(demo["member"])) == ["organisations", "evaluations"]
    assert not set(COORDINATOR_QUEUES) & set(waiting(client_as(demo["member"])))


def test_an_empty_queue_says_nothing_waits(demo: dict[str, Any], client_as: Any) -> None:
    client = client_as(demo["member_other"])
    assert waiting(client)["needs.proposals_to_answer"].count == 0

    assert "rien en attente" in client.get(reverse("web:dashboard")).content.decode()


def test_my_space_counts_every_queue_in_the_same_number_of_queries_whatever_waits(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])
    client.get(reverse("web:dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:dashboard"))
    template = Request.objects.filter(status=RequestStatus.SUBMITTED).first()
    for number in range(5):
        template.pk = None
        template.title = f"Encore une demande {number}"
        template.created_at = timezone.now()
        template.save()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("web:dashboard"))

    assert waiting(client)["needs.requests_to_qualify"].count == 7
    assert len(many) == len(few)
