"""A client asks a member by name: from the member's public profile, the request form opens
with the member named; the request carries it, and matching ranks it for every lot as a
provider the client brings. Only admitted members can be named, whatever the address says.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from conftest import ORG_X
from guichet.core.models import AuditEntry
from guichet.needs.domain.matching import rank, ranking_to_dict
from guichet.needs.messages import error_message
from guichet.needs.models import Request
from guichet.needs.selectors_matching import lot_need, matching_candidates, rules_current
from guichet.needs.services.intake import IntakeError, RequestData, request_submit
from guichet.needs.services.matching import EXPLAINED, lot_rank, run_result
from guichet.needs.tests.test_intake import TITLE, form_data, submit
from guichet.needs.tests.test_matching import _lot
from guichet.network.models import Commune, Organisation
from guichet.network.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NOT_A_MEMBER = "ville-de-saint-aubin"  # the demo client's organisation: in the directory only
FORM = reverse("needs:request_new")


def french(message: str) -> str:
    """A template's words in French, as the page writes them (not escaped)."""
    with translation.override("fr"):
        return gettext(message)


def hidden_member(value: str) -> str:
    return f'type="hidden" name="member" value="{value}"'


# The profile's link, and the form it opens.


def test_a_member_s_profile_offers_to_submit_a_request_to_that_member(client: Client) -> None:
    response = client.get(reverse("network:organisation", args=[ORG_X]))

    page = response.content.decode()
    assert f'href="{FORM}?membre={ORG_X}"' in page
    assert "Déposer une demande auprès de ce membre" in page


def test_the_form_opened_from_a_profile_names_the_member_and_says_so(client: Client) -> None:
    member = Organisation.objects.get(slug=ORG_X)

    response = client.get(FORM, {"membre": ORG_X})

    assert response.status_code == 200
    assert response.context["named_member"] == member
    page = response.content.decode()
    assert hidden_member(ORG_X) in page
    assert f'Vous demandez <a href="{reverse("network:organisation", args=[ORG_X])}">' in page
    assert escape(member.name) in page
    assert french("Ask the whole network instead") in page


@pytest.mark.parametrize("slug", [NOT_A_MEMBER, "no-such-organisation"])
def test_an_address_names_no_hidden_or_unknown_organisation(client: Client, slug: str) -> None:
    response = client.get(FORM, {"membre": slug})

    assert response.status_code == 200
    assert response.context["named_member"] is None
    page = response.content.decode()
    assert 'name="member"' not in page
    # The same words whether the organisation exists or not: nothing learnt about it.
    assert (
        french(
            "No member of the network answers to the address you followed: your request goes to "
            "the whole network."
        )
        in page
    )
    assert "Saint-Aubin" not in page


def test_the_plain_form_names_nobody(client: Client) -> None:
    response = client.get(FORM)

    assert response.context["named_member"] is None
    assert french("Ask the whole network instead") not in response.content.decode()


# Sending it.


def test_the_request_sent_carries_the_member_named(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, member=ORG_X)

    assert response.status_code == 302
    request = Request.objects.get(title=TITLE)
    assert request.named_provider == Organisation.objects.get(slug=ORG_X)
    entry = AuditEntry.objects.get(action="request.submit", object_id=str(request.pk))
    assert entry.data["named_provider"] == request.named_provider_id


def test_a_request_without_a_member_names_nobody(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    submit(client, django_capture_on_commit_callbacks)

    assert Request.objects.get(title=TITLE).named_provider is None


def test_a_posted_non_member_is_refused_and_nothing_typed_is_lost(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, member=NOT_A_MEMBER)

    assert response.status_code == 400
    assert not Request.objects.filter(title=TITLE).exists()
    page = response.content.decode()
    with translation.override("fr"):
        assert escape(error_message("member_not_nameable")) in page
    assert escape(TITLE) in page
    # Shown again without the member: sending it again asks the whole network.
    assert hidden_member(NOT_A_MEMBER) not in page
    again = submit(client, django_capture_on_commit_callbacks)
    assert again.status_code == 302
    assert Request.objects.get(title=TITLE).named_provider is None


def test_the_service_refuses_to_name_an_organisation_that_is_not_a_member() -> None:
    data = RequestData(
        client_name="Commune de Test",
        client_kind="public_body",
        contact_name="Jeanne Martin",
        contact_email="dsi@test.example",
        title=TITLE,
        description="Un besoin.",
        services=("support",),
        commune=Commune.objects.get(name="Lyon"),
        named_provider=Organisation.objects.get(slug=NOT_A_MEMBER),
    )

    with pytest.raises(IntakeError) as refused:
        request_submit(data=data, language="fr")

    assert refused.value.code == "member_not_nameable"
    assert not Request.objects.filter(title=TITLE).exists()


def test_the_api_takes_a_member_named_by_its_identifier(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    body = {
        **{k: v for k, v in form_data().items() if k not in {"website", "software"}},
        "software": ["GLPI"],
        "member": ORG_X,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api-1:needs_requests"), body, content_type="application/json"
        )

    assert response.status_code == 201, response.content
    assert Request.objects.get(title=TITLE).named_provider.slug == ORG_X


# Matching.


def _stranger_near(lot: Any) -> Organisation:
    """A member next door to the lot that knows none of its software: never a candidate."""
    commune = lot.commune or lot.request.commune
    return OrganisationFactory.create(name="Coopérative Nommée", commune=commune)


@pytest.mark.parametrize("position", [1, 2])
def test_matching_ranks_the_member_the_client_named_for_every_lot(demo: Any, position: int) -> None:
    lot = _lot(position)
    named = _stranger_near(lot)
    before = run_result(lot_rank(lot=lot, by=demo["coordinator"]))
    assert named.pk not in [entry["organisation"] for entry in before["ranked"]]

    lot.request.named_provider = named
    lot.request.save()
    result = run_result(lot_rank(lot=lot, by=demo["coordinator"]))

    (entry,) = [e for e in result["ranked"] if e["organisation"] == named.pk]
    assert entry["brought_by_client"] is True
    # The reference engine, over candidates read by plain queries, agrees.
    rules = rules_current()[1]
    need = lot_need(lot)
    reference = rank(need, matching_candidates(lot, need, rules), rules, explain=EXPLAINED)
    assert result == ranking_to_dict(reference)
