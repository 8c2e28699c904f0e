"""Shortlists and choice: who may be proposed, what the client and members are told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import Lot, MemberResponse, Request, RequestStatus, ShortlistEntry
from guichet.needs.services.matching import lot_rank, run_result
from guichet.needs.services.shortlists import (
    ShortlistError,
    client_choose,
    member_respond,
    shortlist_add,
    shortlist_propose,
    shortlist_remove,
    shortlist_send,
)
from guichet.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(demo: Any) -> Request:
    return Request.objects.get(title=QUALIFIED_TITLE)


def _lots(request: Request) -> list[Lot]:
    return list(request.lots.select_related("request", "commune", "request__commune"))


def _propose_all(request: Request, by: Any, size: int = 3) -> None:
    for lot in _lots(request):
        shortlist_propose(lot=lot, run=lot_rank(lot=lot, by=by), by=by, size=size)


def test_the_best_ranked_members_are_proposed_with_their_reasons(
    demo: Any, request_: Request
) -> None:
    lot = _lots(request_)[0]
    run = lot_rank(lot=lot, by=demo["coordinator"])
    entries = shortlist_propose(lot=lot, run=run, by=demo["coordinator"], size=3)
    assert [entry.organisation.name for entry in entries] == [
        e["name"] for e in run_result(run)["ranked"][:3]
    ]
    assert [entry.rank for entry in entries] == [1, 2, 3]
    assert entries[0].explanation["components"][0]["name"] == "fit"
    # Proposing again tops the list up, never duplicates.
    assert shortlist_propose(lot=lot, run=run, by=demo["coordinator"], size=3) == []


def test_an_excluded_organisation_cannot_be_shortlisted(demo: Any, request_: Request) -> None:
    lot = _lots(request_)[0]
    run = lot_rank(lot=lot, by=demo["coordinator"])
    far = Organisation.objects.get(slug="tickets-libres")
    with pytest.raises(ShortlistError) as error:
        shortlist_add(lot=lot, organisation=far, run=run, by=demo["coordinator"])
    assert error.value.code == "organisation_not_ranked"


def test_sending_needs_every_lot_shortlisted(demo: Any, request_: Request) -> None:
    first, _second = _lots(request_)
    shortlist_propose(lot=first, run=lot_rank(lot=first, by=None), by=demo["coordinator"])
    with pytest.raises(ShortlistError) as error:
        shortlist_send(request=request_, by=demo["coordinator"])
    assert error.value.code == "lot_without_shortlist"
    assert not ShortlistEntry.objects.filter(lot__request=request_, sent_at__isnull=False).exists()


def test_sending_tells_the_client_and_each_member(
    demo: Any, request_: Request, django_capture_on_commit_callbacks: Any
) -> None:
    _propose_all(request_, demo["coordinator"], size=2)
    with django_capture_on_commit_callbacks(execute=True):
        sent = shortlist_send(request=request_, by=demo["coordinator"])
    assert sent == 4
    request_.refresh_from_db()
    assert request_.status == RequestStatus.SHORTLISTED
    to_client = [m for m in mail.outbox if m.to == [request_.contact_email]]
    assert len(to_client) == 1
    assert "/demande/suivi/" in to_client[0].body
    member_mails = [m for m in mail.outbox if "/espace/propositions/" in m.body]
    assert len(member_mails) >= 4


def test_sending_again_with_nothing_new_emails_nobody(
    demo: Any, request_: Request, django_capture_on_commit_callbacks: Any
) -> None:
    _propose_all(request_, demo["coordinator"], size=2)
    shortlist_send(request=request_, by=demo["coordinator"])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ShortlistError) as error:
        shortlist_send(request=request_, by=demo["coordinator"])

    assert error.value.code == "shortlist_nothing_new"
    assert [m for m in mail.outbox if m.to == [request_.contact_email]] == []


def test_a_member_that_declines_cannot_be_chosen_and_is_excluded_next_time(
    demo: Any, request_: Request
) -> None:
    _propose_all(request_, demo["coordinator"])
    shortlist_send(request=request_, by=demo["coordinator"])
    lot = _lots(request_)[0]
    entry = lot.shortlist.order_by("rank").first()
    member_respond(entry=entry, accepted=False, by=demo["member"])
    with pytest.raises(ShortlistError) as error:
        client_choose(entry=entry)
    assert error.value.code == "member_declined"
    run = lot_rank(lot=lot, by=demo["coordinator"])
    excluded = {e["organisation"]: e["reason"]["code"] for e in run_result(run)["excluded"]}
    assert excluded[entry.organisation_id] == "declined"


def test_the_client_chooses_one_per_lot_and_the_request_moves_on(
    demo: Any, request_: Request, django_capture_on_commit_callbacks: Any
) -> None:
    _propose_all(request_, demo["coordinator"])
    shortlist_send(request=request_, by=demo["coordinator"])
    first, second = _lots(request_)
    chosen = first.shortlist.order_by("rank").first()
    with django_capture_on_commit_callbacks(execute=True):
        client_choose(entry=chosen)
    request_.refresh_from_db()
    assert request_.status == RequestStatus.SHORTLISTED
    other = first.shortlist.order_by("rank")[1]
    with pytest.raises(ShortlistError) as error:
        client_choose(entry=other)
    assert error.value.code == "lot_already_chosen"
    client_choose(entry=second.shortlist.order_by("rank").first())
    request_.refresh_from_db()
    assert request_.status == RequestStatus.CHOSEN


def test_a_chosen_member_stays_on_the_shortlist(demo: Any, request_: Request) -> None:
    _propose_all(request_, demo["coordinator"])
    shortlist_send(request=request_, by=demo["coordinator"])
    entry = _lots(request_)[0].shortlist.order_by("rank").first()
    client_choose(entry=entry)
    with pytest.raises(ShortlistError):
        shortlist_remove(entry=entry, by=demo["coordinator"])
    with pytest.raises(ShortlistError):
        member_respond(entry=entry, accepted=False, by=demo["member"])
    assert MemberResponse(entry.member_response) == MemberResponse.PENDING
