"""The missions' API: members read their missions and log days, invoices and contributions;
a client submits its evaluation with the token of its emailed link.

Two missions on a demo request: one with the demo member's organisation (libre-et-local,
which the demo member manages and the demo associate belongs to) and a third organisation,
one with the other member's organisation (atelier-du-code-commun) alone.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import ORG_X, ORG_Y
from guichet.accounts.services import api_token_create
from guichet.missions.models import (
    Contribution,
    DeliveredDays,
    Evaluation,
    Invoice,
    Mission,
    MissionMember,
    MissionRole,
    MissionStatus,
)
from guichet.missions.services.evaluations import evaluation_request, evaluation_token
from guichet.needs.models import Request
from guichet.network.models import Organisation, Software

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='Script')[1]}"}


def get(client: Client, path: str, user: Any = None) -> Any:
    return client.get(API + path, headers=bearer(user) if user else {})


def post(client: Client, path: str, body: Any, user: Any = None, **headers: str) -> Any:
    return client.post(
        API + path,
        json.dumps(body),
        content_type="application/json",
        headers={**(bearer(user) if user else {}), **headers},
    )


def messages_of(response: Any, field: str) -> list[str]:
    return [e["msg"] for e in response.json()["detail"] if e["loc"][-1] == field]


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def _mission(title: str, members: list[tuple[Organisation, str, str, str]]) -> Mission:
    mission = Mission.objects.create(
        request=Request.objects.order_by("pk").first(),
        title=title,
        status=MissionStatus.RUNNING,
    )
    for organisation, role, days, rate in members:
        MissionMember.objects.create(
            mission=mission,
            organisation=organisation,
            role=role,
            person_days=Decimal(days),
            day_rate=Decimal(rate),
        )
    return mission


@pytest.fixture
def org_x(demo: Any) -> Organisation:
    return Organisation.objects.get(slug=ORG_X)


@pytest.fixture
def third(org_x: Organisation) -> Organisation:
    return (
        Organisation.objects.filter(is_member=True)
        .exclude(slug__in=[ORG_X, ORG_Y])
        .order_by("pk")
        .first()
    )


@pytest.fixture
def ours(org_x: Organisation, third: Organisation) -> Mission:
    return _mission(
        "Déploiement GLPI",
        [
            (org_x, MissionRole.LEAD, "20", "650.00"),
            (third, MissionRole.CO_CONTRACTOR, "8.5", "587.50"),
        ],
    )


@pytest.fixture
def theirs(demo: Any) -> Mission:
    return _mission(
        "Partage de fichiers",
        [(Organisation.objects.get(slug=ORG_Y), MissionRole.PROVIDER, "12", "712.35")],
    )


def member_of(mission: Mission, organisation: Organisation) -> MissionMember:
    return mission.members.get(organisation=organisation)


# Reading.


def test_the_list_shows_only_the_missions_of_ones_organisations(
    client: Client, demo: Any, ours: Mission, theirs: Mission
) -> None:
    def ids(user: Any) -> set[int]:
        response = get(client, "/missions", demo[user])
        assert response.status_code == 200
        return {row["id"] for row in response.json()["items"]}

    assert ours.pk in ids("member")
    assert theirs.pk not in ids("member")
    assert theirs.pk in ids("member_other")
    assert ours.pk not in ids("member_other")
    assert {ours.pk, theirs.pk} <= ids("coordinator")
    assert ids("client") == set()
    (row,) = [
        r for r in get(client, "/missions", demo["member"]).json()["items"] if r["id"] == ours.pk
    ]
    assert row["reference"] == ours.reference
    assert row["request"] == ours.request.reference
    assert len(row["organisations"]) == 2


def test_the_list_needs_a_token(client: Client, ours: Mission) -> None:
    assert get(client, "/missions").status_code == 401


def test_the_detail_shows_members_with_days_rates_and_totals(
    client: Client, demo: Any, ours: Mission, third: Organisation
) -> None:
    response = get(client, f"/missions/{ours.pk}", demo["member"])

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == ours.reference
    assert body["status"] == "running"
    members = {m["organisation"]["slug"]: m for m in body["members"]}
    # The people of a mission share one contract: they see every member's rate.
    assert members[third.slug]["day_rate"] == "587.50"
    assert members[third.slug]["person_days"] == "8.5"
    assert members[third.slug]["total"] == "4993.75"
    assert members[ORG_X]["role"] == "lead"
    assert body["person_days"] == "28.5"
    assert body["total"] == "17993.75"
    assert body["invoices"] == []
    assert body["contributions"] == []


def test_another_organisations_mission_is_a_404(client: Client, demo: Any, theirs: Mission) -> None:
    response = get(client, f"/missions/{theirs.pk}", demo["member"])

    assert response.status_code == 404
    assert "712.35" not in response.content.decode()


# Delivered days.


def test_a_manager_records_the_days_of_its_organisation(
    client: Client, demo: Any, ours: Mission, org_x: Organisation
) -> None:
    member = member_of(ours, org_x)
    body = {"member": member.pk, "month": this_month(), "days": "6.5"}

    response = post(client, f"/missions/{ours.pk}/days", body, demo["member"])

    assert response.status_code == 200, response.content
    assert response.json()["delivered"] == [{"month": this_month(), "days": "6.5"}]
    assert response.json()["remaining_days"] == "13.5"
    # Recording the same month again corrects it.
    body["days"] = 7
    response = post(client, f"/missions/{ours.pk}/days", body, demo["member"])
    assert response.json()["delivered_days"] == "7.0"
    assert DeliveredDays.objects.get(member=member).days == Decimal("7.0")
    detail = get(client, f"/missions/{ours.pk}", demo["member"]).json()
    assert detail["delivered_days"] == "7.0"


@pytest.mark.parametrize(
    ("days", "month"),
    [("-1", None), (str(settings.GUICHET_MISSION_MAX_DAYS_PER_MONTH + 1), None)],
    ids=["negative", "over-the-monthly-maximum"],
)
def test_impossible_days_are_refused_with_a_message(
    client: Client, demo: Any, ours: Mission, org_x: Organisation, days: str, month: Any
) -> None:
    body = {"member": member_of(ours, org_x).pk, "month": month or this_month(), "days": days}

    response = post(client, f"/missions/{ours.pk}/days", body, demo["member"])

    assert response.status_code == 400
    assert messages_of(response, "days"), response.json()
    assert not DeliveredDays.objects.filter(member__mission=ours).exists()


def test_the_monthly_maximum_is_named_in_the_message(
    client: Client, demo: Any, ours: Mission, org_x: Organisation
) -> None:
    maximum = settings.GUICHET_MISSION_MAX_DAYS_PER_MONTH
    body = {"member": member_of(ours, org_x).pk, "month": this_month(), "days": maximum + 1}

    response = post(
        client, f"/missions/{ours.pk}/days", body, demo["member"], **{"Accept-Language": "en"}
    )

    assert messages_of(response, "days") == [
        "That is more days than one organisation can deliver in a month on one mission "
        f"({maximum} at most)."
    ]


def test_a_malformed_or_future_month_is_refused(
    client: Client, demo: Any, ours: Mission, org_x: Organisation
) -> None:
    member = member_of(ours, org_x).pk
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).strftime("%Y-%m")

    malformed = post(
        client,
        f"/missions/{ours.pk}/days",
        {"member": member, "month": "novembre", "days": "2"},
        demo["member"],
    )
    future = post(
        client,
        f"/missions/{ours.pk}/days",
        {"member": member, "month": next_month, "days": "2"},
        demo["member"],
    )

    assert malformed.status_code == 400
    assert messages_of(malformed, "month")
    assert future.status_code == 400
    assert messages_of(future, "month")
    assert not DeliveredDays.objects.filter(member__mission=ours).exists()


def test_a_person_who_does_not_manage_the_member_cannot_log_its_days(
    client: Client, demo: Any, ours: Mission, org_x: Organisation, third: Organisation
) -> None:
    mine = {"member": member_of(ours, org_x).pk, "month": this_month(), "days": "2"}
    other = {**mine, "member": member_of(ours, third).pk}

    not_manager = post(client, f"/missions/{ours.pk}/days", mine, demo["associate"])
    other_member = post(client, f"/missions/{ours.pk}/days", other, demo["member"])

    assert not_manager.status_code == 403
    assert not_manager.json()["detail"]
    assert other_member.status_code == 403
    assert not DeliveredDays.objects.filter(member__mission=ours).exists()


def test_logging_on_another_organisations_mission_is_a_404(
    client: Client, demo: Any, theirs: Mission
) -> None:
    body = {"member": theirs.members.get().pk, "month": this_month(), "days": "2"}

    assert post(client, f"/missions/{theirs.pk}/days", body, demo["member"]).status_code == 404


def test_a_member_of_another_mission_is_refused(
    client: Client, demo: Any, ours: Mission, theirs: Mission
) -> None:
    body = {"member": theirs.members.get().pk, "month": this_month(), "days": "2"}

    response = post(client, f"/missions/{ours.pk}/days", body, demo["coordinator"])

    assert response.status_code == 400
    assert messages_of(response, "member")


def test_a_coordinator_records_any_members_days(
    client: Client, demo: Any, ours: Mission, third: Organisation
) -> None:
    body = {"member": member_of(ours, third).pk, "month": this_month(), "days": "3"}

    response = post(client, f"/missions/{ours.pk}/days", body, demo["coordinator"])

    assert response.status_code == 200


# Invoices.


def test_an_invoice_keeps_exact_decimal_amounts(
    client: Client, demo: Any, ours: Mission, org_x: Organisation
) -> None:
    member = member_of(ours, org_x)
    body = {
        "member": member.pk,
        "number": "F-2026-014",
        "issued_on": f"{timezone.localdate():%Y-%m-%d}",
        "amount_excl_tax": "1234.56",
        "vat_rate": "20",
    }

    response = post(client, f"/missions/{ours.pk}/invoices", body, demo["member"])

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["amount_excl_tax"] == "1234.56"
    assert answer["vat_rate"] == "20.00"
    assert answer["vat"] == "246.91"
    assert answer["amount_incl_tax"] == "1481.47"
    invoice = Invoice.objects.get(member=member)
    assert invoice.amount_excl_tax == Decimal("1234.56")
    detail = get(client, f"/missions/{ours.pk}", demo["member"]).json()
    assert [i["number"] for i in detail["invoices"]] == ["F-2026-014"]


def test_an_invoice_number_is_recorded_once_and_bad_amounts_are_refused(
    client: Client, demo: Any, ours: Mission, org_x: Organisation
) -> None:
    body = {
        "member": member_of(ours, org_x).pk,
        "number": "F-1",
        "issued_on": f"{timezone.localdate():%Y-%m-%d}",
        "amount_excl_tax": "100.00",
    }
    assert post(client, f"/missions/{ours.pk}/invoices", body, demo["member"]).status_code == 201

    again = post(client, f"/missions/{ours.pk}/invoices", body, demo["member"])
    zero = post(
        client,
        f"/missions/{ours.pk}/invoices",
        {**body, "number": "F-2", "amount_excl_tax": "0"},
        demo["member"],
    )
    by_associate = post(
        client, f"/missions/{ours.pk}/invoices", {**body, "number": "F-3"}, demo["associate"]
    )

    assert again.status_code == 400
    assert messages_of(again, "number")
    assert zero.status_code == 400
    assert messages_of(zero, "amount_excl_tax")
    assert by_associate.status_code == 403
    assert Invoice.objects.filter(member__mission=ours).count() == 1


# Contributions.


@pytest.fixture
def software(demo: Any) -> Software:
    return Software.objects.filter(merged_into__isnull=True).order_by("pk").first()


def contribution(member: MissionMember, project: Software, **changes: Any) -> dict[str, Any]:
    return {
        "member": member.pk,
        "software": project.slug,
        "kind": "patch",
        "title": "Export CSV des tickets",
        "url": "https://gitlab.example/glpi/-/merge_requests/42",
        **changes,
    }


def test_any_person_of_the_organisation_logs_a_contribution(
    client: Client, demo: Any, ours: Mission, org_x: Organisation, software: Software
) -> None:
    body = contribution(member_of(ours, org_x), software, embargo_until="2030-01-31")

    response = post(client, f"/missions/{ours.pk}/contributions", body, demo["associate"])

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["software"]["slug"] == software.slug
    assert answer["status"] == "proposed"
    assert answer["embargo_until"] == "2030-01-31"
    detail = get(client, f"/missions/{ours.pk}", demo["member"]).json()
    assert [c["url"] for c in detail["contributions"]] == [body["url"]]


def test_a_contribution_needs_an_http_address_logged_once_and_a_known_project(
    client: Client, demo: Any, ours: Mission, org_x: Organisation, software: Software
) -> None:
    member = member_of(ours, org_x)
    path = f"/missions/{ours.pk}/contributions"
    assert post(client, path, contribution(member, software), demo["member"]).status_code == 201

    duplicate = post(
        client,
        path,
        contribution(member, software, url=contribution(member, software)["url"] + "/"),
        demo["member"],
    )
    not_http = post(
        client, path, contribution(member, software, url="ftp://example.org/patch"), demo["member"]
    )
    unknown = post(
        client,
        path,
        contribution(member, software, software="no-such-project", url="https://a.example/1"),
        demo["member"],
    )
    bad_date = post(
        client,
        path,
        contribution(member, software, url="https://a.example/2", embargo_until="31/01/2030"),
        demo["member"],
    )

    assert duplicate.status_code == 400
    assert messages_of(duplicate, "url")
    assert not_http.status_code == 400
    assert messages_of(not_http, "url")
    assert "url_not_http" not in messages_of(not_http, "url")  # a sentence, not a code
    assert unknown.status_code == 400
    assert messages_of(unknown, "software")
    assert bad_date.status_code == 400
    assert messages_of(bad_date, "embargo_until")
    assert Contribution.objects.filter(mission=ours).count() == 1


def test_another_organisations_member_cannot_log_contributions(
    client: Client, demo: Any, ours: Mission, third: Organisation, software: Software
) -> None:
    body = contribution(member_of(ours, third), software)

    response = post(client, f"/missions/{ours.pk}/contributions", body, demo["member"])

    assert response.status_code == 403
    assert not Contribution.objects.filter(mission=ours).exists()


# The client's evaluation.


def delivered(mission: Mission) -> str:
    """Deliver the mission, and return the token of the link emailed to its client."""
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.DELIVERED)
    mission.refresh_from_db()
    (evaluation,) = evaluation_request(mission=mission)
    return evaluation_token(evaluation)


RATINGS = {"quality": 5, "deadlines": 4, "communication": 4, "openness": "4"}


def test_the_client_evaluates_with_the_token_of_its_link(client: Client, ours: Mission) -> None:
    token = delivered(ours)

    response = post(
        client,
        f"/missions/evaluation/{token}",
        {**RATINGS, "would_recommend": True, "comment": "Très bon travail."},
    )

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["mission"] == ours.reference
    assert answer["score"] == "4.25"
    assert answer["editable"] is True
    evaluation = Evaluation.objects.get(mission=ours)
    assert (evaluation.quality, evaluation.openness) == (5, 4)
    assert evaluation.comment == "Très bon travail."
    ours.refresh_from_db()
    assert ours.status == MissionStatus.EVALUATED


def test_a_link_opens_its_own_mission_only(client: Client, ours: Mission, theirs: Mission) -> None:
    token = delivered(ours)
    delivered(theirs)

    response = post(client, f"/missions/evaluation/{token}", {**RATINGS, "would_recommend": False})

    assert response.json()["mission"] == ours.reference
    assert Evaluation.objects.get(mission=theirs).submitted_at is None
    assert "712.35" not in response.content.decode()


def test_a_forged_or_expired_link_answers_clearly(client: Client, ours: Mission) -> None:
    token = delivered(ours)
    body = {**RATINGS, "would_recommend": True}

    forged = post(client, f"/missions/evaluation/{token[:-3]}abc", body)
    Evaluation.objects.filter(mission=ours).update(expires_at=timezone.now() - timedelta(1))
    expired = post(client, f"/missions/evaluation/{token}", body, **{"Accept-Language": "en"})

    assert forged.status_code == 404
    assert expired.status_code == 410
    assert "expired" in expired.json()["detail"]
    assert Evaluation.objects.get(mission=ours).submitted_at is None


def test_missing_or_impossible_ratings_are_refused_by_field(client: Client, ours: Mission) -> None:
    token = delivered(ours)

    response = post(
        client,
        f"/missions/evaluation/{token}",
        {"quality": 6, "deadlines": "trois", "communication": 3},
    )

    assert response.status_code == 400
    for field in ("quality", "deadlines", "openness", "would_recommend"):
        assert messages_of(response, field), field
    assert not messages_of(response, "communication")
    assert Evaluation.objects.get(mission=ours).submitted_at is None


def test_a_running_mission_cannot_be_evaluated(client: Client, ours: Mission) -> None:
    token = delivered(ours)
    Mission.objects.filter(pk=ours.pk).update(status=MissionStatus.RUNNING)

    response = post(client, f"/missions/evaluation/{token}", {**RATINGS, "would_recommend": True})

    assert response.status_code == 400
    assert response.json()["detail"][0]["msg"] != "evaluation_not_open"
    assert Evaluation.objects.get(mission=ours).submitted_at is None


def test_the_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    assert set(paths[f"{API}/missions"]) == {"get"}
    assert set(paths[f"{API}/missions/{{mission_id}}"]) == {"get"}
    for action in ("days", "invoices", "contributions"):
        assert paths[f"{API}/missions/{{mission_id}}/{action}"]["post"]["security"]
    assert "security" not in paths[f"{API}/missions/evaluation/{{token}}"]["post"]


def test_a_too_long_comment_is_refused_with_its_limit(client: Client, ours: Mission) -> None:
    token = delivered(ours)
    body = {**RATINGS, "would_recommend": True, "comment": "x" * 5001}

    response = post(client, f"/missions/evaluation/{token}", body, **{"Accept-Language": "en"})

    assert response.status_code == 400
    assert messages_of(response, "comment") == [
        "The comment is too long: write at most 5000 characters."
    ]
    assert Evaluation.objects.get(mission=ours).submitted_at is None
