"""An organisation's private space."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ORG_X, ORG_Y
from guichet.network.models import Membership, Organisation
from guichet.network.tests.factories import MembershipFactory


def space(slug: str) -> str:
    return reverse("network:organisation_space", args=[slug])


def test_the_space_lists_the_organisation_s_people_managers_first(
    demo: dict[str, Any], client_as: Any
) -> None:
    response = client_as(demo["associate"]).get(space(ORG_X))

    assert response.status_code == 200
    people = [m.person for m in response.context["memberships"]]
    # The demo's manager of ORG_X, then everyone else there by name (the associate among them).
    others = sorted(
        (m.person for m in Membership.objects.filter(organisation__slug=ORG_X, is_manager=False)),
        key=lambda person: person.full_name,
    )
    assert demo["associate"] in others
    assert people == [demo["member"], *others]
    assert not response.context["can_manage"]


def test_a_manager_is_told_they_can_manage_their_organisation(
    demo: dict[str, Any], client_as: Any
) -> None:
    response = client_as(demo["member"]).get(space(ORG_X))

    assert response.context["can_manage"]


def test_another_organisation_s_space_looks_like_a_page_that_does_not_exist(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["member"])

    hidden = client.get(space(ORG_Y))
    missing = client.get(space("no-such-organisation"))

    assert hidden.status_code == missing.status_code == 404
    for key in ("title", "explanation"):
        assert hidden.context[key] == missing.context[key]


def test_the_space_costs_the_same_queries_however_many_people_it_has(
    demo: dict[str, Any], client_as: Any
) -> None:
    client = client_as(demo["coordinator"])
    organisation = Organisation.objects.get(slug=ORG_X)
    with CaptureQueriesContext(connection) as few:
        assert client.get(space(ORG_X)).status_code == 200
    MembershipFactory.create_batch(5, organisation=organisation)

    with CaptureQueriesContext(connection) as many:
        assert client.get(space(ORG_X)).status_code == 200

    assert len(many) == len(few)
