"""Proxies as services: given by an associate to another, for one decision or a period,
capped by the statutes, revoked but never erased, and kept with each decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from guichet.governance.models import Proxy
from guichet.governance.services.common import GovernanceError, statutes_current
from guichet.governance.services.positions import position_take
from guichet.governance.services.proposals import proposal_withdraw
from guichet.governance.services.proxies import proxy_give, proxy_revoke
from guichet.governance.tests.factories import (
    associate,
    associates,
    closed,
    discussed,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def refused(code: str) -> Any:
    return pytest.raises(GovernanceError, match=f"^{code}$")


def max_proxies(count: int) -> None:
    statutes = statutes_current()
    statutes.max_proxies = count
    statutes.save()


def test_an_associate_gives_a_proxy_for_one_proposal_to_an_associate_of_any_college(
    cleared: dict[str, Any],
) -> None:
    giver, holder = associate("fondateurs"), associate("partenaires")
    item = proposal(giver)

    proxy = proxy_give(giver=giver, holder=holder, proposal=item)

    assert (proxy.giver, proxy.holder, proxy.proposal) == (giver, holder, item)
    assert (proxy.starts_on, proxy.ends_on, proxy.revoked_at) == (None, None, None)


def test_a_proxy_is_given_for_a_period_with_its_dates(cleared: dict[str, Any]) -> None:
    giver, holder = associates(2)
    today = timezone.localdate()

    proxy = proxy_give(giver=giver, holder=holder, starts_on=today, ends_on=today + timedelta(30))

    assert (proxy.proposal, proxy.starts_on, proxy.ends_on) == (None, today, today + timedelta(30))


def test_a_proxy_needs_a_proposal_or_a_sensible_period(cleared: dict[str, Any]) -> None:
    giver, holder = associates(2)
    today = timezone.localdate()

    with refused("proxy_needs_scope"):
        proxy_give(giver=giver, holder=holder, starts_on=today)
    with refused("proxy_period_invalid"):
        proxy_give(giver=giver, holder=holder, starts_on=today, ends_on=today - timedelta(1))
    with refused("proxy_period_invalid"):
        proxy_give(giver=giver, holder=holder, starts_on=today, ends_on=today + timedelta(400))
    with refused("proxy_period_past"):
        proxy_give(
            giver=giver,
            holder=holder,
            starts_on=today - timedelta(10),
            ends_on=today - timedelta(1),
        )
    assert not Proxy.objects.exists()


def test_proxies_are_between_associates_and_never_to_oneself(cleared: dict[str, Any]) -> None:
    giver = associate()
    item = proposal(giver)

    with refused("proxy_between_associates"):
        proxy_give(giver=giver, holder=cleared["member"], proposal=item)
    with refused("proxy_between_associates"):
        proxy_give(giver=cleared["member"], holder=giver, proposal=item)
    with refused("proxy_to_oneself"):
        proxy_give(giver=giver, holder=giver, proposal=item)


def test_no_proxy_for_a_decided_or_withdrawn_proposal(cleared: dict[str, Any]) -> None:
    giver, holder = associates(2)
    item = proposal_withdraw(proposal=proposal(giver), by=giver)

    with refused("proposal_closed"):
        proxy_give(giver=giver, holder=holder, proposal=item)


def test_one_proxy_per_giver_and_decision(cleared: dict[str, Any]) -> None:
    giver, holder, other = associates(3)
    item = proposal(giver)
    proxy_give(giver=giver, holder=holder, proposal=item)

    with refused("proxy_already_given"):
        proxy_give(giver=giver, holder=other, proposal=item)


def test_nobody_holds_more_proxies_than_the_statutes_allow(cleared: dict[str, Any]) -> None:
    max_proxies(2)
    holder, first, second, third = associates(4)
    item = proposal(holder)
    proxy_give(giver=first, holder=holder, proposal=item)
    proxy_give(giver=second, holder=holder, proposal=item)

    with refused("holder_at_cap"):
        proxy_give(giver=third, holder=holder, proposal=item)
    assert holder.proxies_held.count() == 2


def test_a_holder_who_gave_their_own_vote_away_cannot_hold_another(
    cleared: dict[str, Any],
) -> None:
    giver, holder, elsewhere = associates(3)
    item = proposal(giver)
    proxy_give(giver=holder, holder=elsewhere, proposal=item)

    with refused("holder_gave_proxy"):
        proxy_give(giver=giver, holder=holder, proposal=item)


def test_a_revoked_proxy_stays_in_the_register_and_frees_a_place(
    cleared: dict[str, Any],
) -> None:
    holder, first, second, stranger = associates(4)
    item = proposal(holder)
    proxy = proxy_give(giver=first, holder=holder, proposal=item)

    with refused("not_your_proxy"):
        proxy_revoke(proxy=proxy, by=stranger)
    proxy_revoke(proxy=proxy, by=first)
    with refused("proxy_already_revoked"):
        proxy_revoke(proxy=proxy, by=first)
    proxy_give(giver=second, holder=holder, proposal=item)

    assert Proxy.objects.filter(pk=proxy.pk, revoked_at__isnull=False).exists()
    assert holder.proxies_held.count() == 2


def test_the_holder_may_decline_a_proxy(cleared: dict[str, Any]) -> None:
    giver, holder = associates(2)
    proxy = proxy_give(giver=giver, holder=holder, proposal=proposal(giver))

    assert proxy_revoke(proxy=proxy, by=holder).revoked_at is not None


# --- Proxies in rounds -----------------------------------------------------------------------


def test_a_revoked_proxy_no_longer_lets_its_holder_vote(cleared: dict[str, Any]) -> None:
    giver, holder, _silent = associates(3)
    item = discussed(proposal(giver))
    proxy = proxy_give(giver=giver, holder=holder, proposal=item)
    running = opened(item)
    proxy_revoke(proxy=proxy, by=giver)

    with refused("no_proxy"):
        position_take(round=running, by=holder, value="consent", on_behalf=giver)


def test_a_position_taken_by_proxy_stops_counting_when_the_proxy_is_revoked(
    cleared: dict[str, Any],
) -> None:
    giver, holder, _silent = associates(3)
    item = discussed(proposal(giver))
    proxy = proxy_give(giver=giver, holder=holder, proposal=item)
    running = opened(item)
    position_take(round=running, by=holder, value="consent", on_behalf=giver)
    proxy_revoke(proxy=proxy, by=giver)

    result = closed(running)

    assert result.participation == 0
    assert result.proxy_register == []


def test_a_proxy_for_a_period_covers_the_rounds_closing_within_it(
    cleared: dict[str, Any],
) -> None:
    giver, holder, _silent = associates(3)
    item = discussed(proposal(giver))
    today = timezone.localdate()
    proxy_give(giver=giver, holder=holder, starts_on=today, ends_on=today + timedelta(days=20))
    running = opened(item)

    position_take(round=running, by=holder, value="consent", on_behalf=giver)
    result = closed(running)

    assert result.participation == 1
    assert result.proxy_register[0]["giver"] == giver.pk


def test_the_register_of_proxies_is_kept_with_the_decision(cleared: dict[str, Any]) -> None:
    holder, first, second, _silent = associates(4)
    item = discussed(proposal(holder))
    max_proxies(2)
    kept = proxy_give(giver=first, holder=holder, proposal=item)
    also = proxy_give(giver=second, holder=holder, proposal=item)
    running = opened(item)
    position_take(round=running, by=holder, value="consent", on_behalf=first)

    result = closed(running)
    proxy_revoke(proxy=also, by=second)  # after the close: the register does not move

    result.refresh_from_db()
    assert result.proxy_register == [
        {"giver": first.pk, "holder": holder.pk, "proxy": kept.pk, "accepted": True},
        {"giver": second.pk, "holder": holder.pk, "proxy": also.pk, "accepted": True},
    ]


def test_a_proxy_beyond_the_cap_is_refused_at_the_close_and_never_counts(
    cleared: dict[str, Any],
) -> None:
    holder, first, second, _silent = associates(4)
    item = discussed(proposal(holder))
    proxy_give(giver=first, holder=holder, proposal=item)
    # Given past the service (as an import or the admin might): two for a cap of one.
    beyond = Proxy.objects.create(giver=second, holder=holder, proposal=item)
    running = opened(item)
    position_take(round=running, by=holder, value="consent", on_behalf=first)
    with refused("no_proxy"):
        position_take(round=running, by=holder, value="abstain", on_behalf=second)

    result = closed(running)

    assert result.participation == 1
    assert [entry["accepted"] for entry in result.proxy_register] == [True, False]
    assert result.proxy_register[1]["proxy"] == beyond.pk


def test_two_proxies_between_the_same_people_are_told_apart_in_the_register(
    cleared: dict[str, Any],
) -> None:
    giver, holder, _silent = associates(3)
    item = discussed(proposal(giver))
    today = timezone.localdate()
    max_proxies(2)
    first = proxy_give(giver=giver, holder=holder, proposal=item)
    second = proxy_give(giver=giver, holder=holder, starts_on=today, ends_on=today + timedelta(30))
    running = opened(item)
    position_take(round=running, by=holder, value="consent", on_behalf=giver)

    result = closed(running)

    assert result.participation == 1
    assert result.proxy_register == [
        {"giver": giver.pk, "holder": holder.pk, "proxy": first.pk, "accepted": True},
        {"giver": giver.pk, "holder": holder.pk, "proxy": second.pk, "accepted": False},
    ]


def test_a_position_by_a_proxy_since_revoked_does_not_make_the_round_complete(
    cleared: dict[str, Any],
) -> None:
    author, holder, giver = associates(3)
    item = discussed(proposal(author))
    running = opened(item)
    proxy = proxy_give(giver=giver, holder=holder, proposal=item)
    position_take(round=running, by=holder, value="consent", on_behalf=giver)
    proxy_revoke(proxy=proxy, by=giver)

    position_take(round=running, by=author, value="consent")
    position_take(round=running, by=holder, value="consent")

    running.refresh_from_db()
    assert running.closed_at is None  # the giver's vote no longer counts: it is not complete
    position_take(round=running, by=giver, value="consent")
    running.refresh_from_db()
    assert (running.closed_at is not None, running.participation) == (True, 3)
