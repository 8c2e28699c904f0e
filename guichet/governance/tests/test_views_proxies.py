"""The proxies page: giving a proxy for a proposal or a period, the statutes' cap, revoking
and declining; only those who take part find it. Read in English (under /en/)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import College, Role, User
from guichet.accounts.services import role_grant
from guichet.accounts.tests.factories import UserFactory
from guichet.governance.models import Proposal, Proxy
from guichet.governance.services.common import statutes_current
from guichet.governance.services.proposals import proposal_open
from guichet.governance.services.proxies import proxy_give

pytestmark = pytest.mark.django_db


def address(query: str = "") -> str:
    with translation.override("en"):
        return reverse("governance:proxies") + query


def associate(name: str) -> User:
    person = UserFactory.create(full_name=name)
    role_grant(user=person, role=Role.ASSOCIATE, college=College.objects.get(slug="contributeurs"))
    return person


@pytest.fixture
def giver() -> User:
    return associate("Gaëlle Donneuse")


@pytest.fixture
def holder() -> User:
    return associate("Hervé Porteur")


@pytest.fixture
def proposal(giver: User) -> Proposal:
    return proposal_open(by=giver, title="Une proposition ouverte", text="Texte.")


def body(response: Any) -> str:
    return str(response.content.decode())


def give(http: Any, **data: Any) -> Any:
    return http.post(address(), {"action": "give", **data})


@pytest.mark.parametrize("login", ["member", "client"])
def test_people_who_take_no_part_find_no_proxies_page(
    client_as: Any, demo: Any, login: str
) -> None:
    assert client_as(demo[login]).get(address()).status_code == 404


def test_signing_in_is_needed(client: Any) -> None:
    assert client.get(address()).status_code == 302


def test_the_page_says_the_statutes_cap(client_as: Any, giver: User) -> None:
    statutes = statutes_current()
    statutes.max_proxies = 2
    statutes.save()
    page = body(client_as(giver).get(address()))
    assert "at most 2 proxies at a time" in page
    assert "You have given no proxy." in page


def test_an_associate_gives_a_proxy_for_a_proposal_and_the_holder_sees_it(
    client_as: Any, giver: User, holder: User, proposal: Proposal
) -> None:
    answer = give(client_as(giver), holder=holder.pk, scope="proposal", proposal=proposal.reference)
    assert answer.status_code == 302
    proxy = Proxy.objects.get(giver=giver)
    assert (proxy.holder, proxy.proposal) == (holder, proposal)
    assert "Hervé Porteur" in body(client_as(giver).get(address()))
    held = body(client_as(holder).get(address()))
    assert "Gaëlle Donneuse" in held
    assert proposal.reference in held


def test_a_proxy_for_a_period_needs_its_dates(client_as: Any, giver: User, holder: User) -> None:
    answer = give(client_as(giver), holder=holder.pk, scope="period")
    assert answer.status_code == 400
    assert "Give the date." in body(answer)
    assert not Proxy.objects.filter(giver=giver).exists()
    today = timezone.localdate()
    done = give(
        client_as(giver),
        holder=holder.pk,
        scope="period",
        starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=30)).isoformat(),
    )
    assert done.status_code == 302
    proxy = Proxy.objects.get(giver=giver)
    assert (proxy.proposal, proxy.ends_on) == (None, today + timedelta(days=30))


def test_a_proxy_beyond_the_cap_is_refused_with_the_reason(
    client_as: Any, giver: User, holder: User, proposal: Proposal
) -> None:
    statutes = statutes_current()
    statutes.max_proxies = 1
    statutes.save()
    proxy_give(giver=associate("Première Donneuse"), holder=holder, proposal=proposal)
    answer = give(client_as(giver), holder=holder.pk, scope="proposal", proposal=proposal.reference)
    assert answer.status_code == 400
    assert "already holds as many proxies as the statutes allow" in body(answer)
    assert not Proxy.objects.filter(giver=giver).exists()


def test_one_cannot_give_a_proxy_to_oneself(
    client_as: Any, giver: User, proposal: Proposal
) -> None:
    # Oneself is not offered among the holders: the form refuses the choice.
    answer = give(client_as(giver), holder=giver.pk, scope="proposal", proposal=proposal.reference)
    assert answer.status_code == 400
    assert not Proxy.objects.filter(giver=giver).exists()


def test_the_proposal_can_be_chosen_from_its_page(
    client_as: Any, giver: User, proposal: Proposal
) -> None:
    page = body(client_as(giver).get(address(f"?proposal={proposal.reference}")))
    assert f'<option value="{proposal.reference}" selected>' in page


def test_the_giver_revokes_and_the_holder_declines(
    client_as: Any, giver: User, holder: User, proposal: Proposal
) -> None:
    proxy = proxy_give(giver=giver, holder=holder, proposal=proposal)
    answer = client_as(giver).post(address(), {"action": "revoke", "proxy": proxy.pk})
    assert answer.status_code == 302
    proxy.refresh_from_db()
    assert proxy.revoked_at is not None
    assert "revoked on" in body(client_as(giver).get(address()))
    again = proxy_give(giver=giver, holder=holder, proposal=proposal)
    client_as(holder).post(address(), {"action": "revoke", "proxy": again.pk})
    again.refresh_from_db()
    assert again.revoked_at is not None


def test_nobody_else_revokes_a_proxy(
    client_as: Any, giver: User, holder: User, proposal: Proposal
) -> None:
    proxy = proxy_give(giver=giver, holder=holder, proposal=proposal)
    answer = client_as(associate("Ivan Tiers")).post(
        address(), {"action": "revoke", "proxy": proxy.pk}
    )
    assert answer.status_code == 404
    proxy.refresh_from_db()
    assert proxy.revoked_at is None


def test_a_coordinator_who_is_not_an_associate_gives_no_proxy(client_as: Any, demo: Any) -> None:
    page = client_as(demo["staff"]).get(address())
    assert page.status_code == 200
    assert "Only associates give proxies." in body(page)
    assert 'value="give"' not in body(page)


def test_an_unknown_action_is_a_bad_request(client_as: Any, giver: User) -> None:
    assert client_as(giver).post(address(), {"action": "nonsense"}).status_code == 400
