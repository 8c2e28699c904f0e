"""The consortium's pages, for coordinators: proposed from the request's page, days and
day rates set to the cent, the lead changed, frozen after a tender's deadline, and the
response document downloaded as ODT. Who may reach them is pinned in
tests/test_permissions.py."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from odfdo import Document

from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import (
    Consortium,
    ConsortiumMember,
    ConsortiumRole,
    Lot,
    Request,
    RequestStatus,
)
from guichet.needs.services.consortia import consortium_propose
from guichet.needs.services.matching import lot_rank
from guichet.needs.services.shortlists import shortlist_propose, shortlist_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client: Client, demo: dict[str, Any]) -> Client:
    client.force_login(demo["coordinator"])
    return client


@pytest.fixture
def shortlisted(demo: Any) -> Request:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    for lot in request.lots.select_related("request", "commune", "request__commune"):
        run = lot_rank(lot=lot, by=demo["coordinator"])
        shortlist_propose(lot=lot, run=run, by=demo["coordinator"], size=3)
    shortlist_send(request=request, by=demo["coordinator"])
    request.refresh_from_db()
    return request


@pytest.fixture
def tender(shortlisted: Request) -> Request:
    """A tender capped at one lot per bidder: a consortium of two."""
    shortlisted.is_tender = True
    shortlisted.tender_reference = "2026-AO-17"
    shortlisted.tender_deadline = timezone.now() + timedelta(days=10)
    shortlisted.max_lots_per_bidder = 1
    shortlisted.save()
    return shortlisted


@pytest.fixture
def consortium(demo: Any, tender: Request) -> Consortium:
    return consortium_propose(request=tender, by=demo["coordinator"])


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def fr(name: str, *args: Any) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def text_of(response: Any) -> str:
    return unescape(response.content.decode())


def members(consortium: Consortium) -> list[ConsortiumMember]:
    return list(consortium.members.select_related("organisation").order_by("pk"))


def test_a_consortium_is_proposed_from_the_request_page(
    coordinator: Client, tender: Request
) -> None:
    page = text_of(coordinator.get(en("needs:coordination_request", tender.pk)))
    assert "Propose a consortium" in page
    response = coordinator.post(en("needs:coordination_consortium_propose", tender.pk))
    assert response.status_code == 302
    assert response["Location"] == en("needs:coordination_consortium", tender.pk)
    tender.refresh_from_db()
    assert tender.status == RequestStatus.CONSORTIUM
    page = text_of(coordinator.get(response["Location"]))
    for member in members(tender.consortium):
        assert member.organisation.name in page
    assert "Lead (mandataire)" in page
    # Proposed once: a second time is refused, with a message, on the request's page.
    again = coordinator.post(en("needs:coordination_consortium_propose", tender.pk), follow=True)
    assert "This request already has a consortium." in text_of(again)


def test_a_request_not_shortlisted_offers_no_consortium_and_refuses_one(
    coordinator: Client, demo: Any
) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    assert "Propose a consortium" not in text_of(
        coordinator.get(en("needs:coordination_request", request.pk))
    )
    response = coordinator.post(
        en("needs:coordination_consortium_propose", request.pk), follow=True
    )
    assert "once the shortlist is sent to the client" in text_of(response)
    assert not Consortium.objects.filter(request=request).exists()
    assert coordinator.get(en("needs:coordination_consortium", request.pk)).status_code == 404


def test_the_refusal_names_the_lot_nobody_can_take(coordinator: Client, tender: Request) -> None:
    second = tender.lots.get(position=2)
    second.shortlist.update(member_response="declined")
    response = coordinator.post(en("needs:coordination_consortium_propose", tender.pk), follow=True)
    assert f"nobody proposed can take lot 2 ({second.title})" in text_of(response)


def test_days_and_rates_are_saved_and_the_totals_add_up_to_the_cent(
    coordinator: Client, consortium: Consortium
) -> None:
    first, second = members(consortium)
    url = en("needs:coordination_consortium_member", consortium.request_id, first.pk)
    response = coordinator.post(
        url, {f"m{first.pk}-person_days": "12.5", f"m{first.pk}-day_rate": "612.35"}
    )
    assert response.status_code == 302
    url = en("needs:coordination_consortium_member", consortium.request_id, second.pk)
    coordinator.post(url, {f"m{second.pk}-person_days": "7", f"m{second.pk}-day_rate": "587.1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.person_days, first.day_rate) == (Decimal("12.5"), Decimal("612.35"))
    assert first.total == Decimal("7654.38")  # 7,654.375 rounded half up
    assert second.total == Decimal("4109.70")
    page = text_of(coordinator.get(en("needs:coordination_consortium", consortium.request_id)))
    assert "612.35 €" in page
    assert "7,654.38 €" in page
    assert "11,764.08 €" in page  # the grand total, to the cent
    # In French: a comma for decimals, and the same amounts.
    page = text_of(coordinator.get(fr("needs:coordination_consortium", consortium.request_id)))
    assert "612,35" in page
    assert "764,08" in page


def test_days_go_by_half_days_in_french_too(coordinator: Client, consortium: Consortium) -> None:
    first = members(consortium)[0]
    url = fr("needs:coordination_consortium_member", consortium.request_id, first.pk)
    coordinator.post(url, {f"m{first.pk}-person_days": "2,5", f"m{first.pk}-day_rate": "650,5"})
    first.refresh_from_db()
    assert (first.person_days, first.day_rate) == (Decimal("2.5"), Decimal("650.50"))


@pytest.mark.parametrize(
    ("days", "rate", "message"),
    [
        ("1.3", "600", "Person-days go by half days"),
        ("-1", "600", "Give between 0 and 10000 person-days."),
        ("ten", "600", "Give the person-days as a number"),
        ("3", "-5", "Give a day rate between 0 and 10000 euros."),
        ("3", "600.123", "Give the day rate to the cent at most"),
        ("3", "", "Give the day rate, e.g. 650 or 612.50."),
    ],
)
def test_wrong_days_or_rates_are_refused_next_to_their_field(
    coordinator: Client, consortium: Consortium, days: str, rate: str, message: str
) -> None:
    first = members(consortium)[0]
    url = en("needs:coordination_consortium_member", consortium.request_id, first.pk)
    response = coordinator.post(
        url, {f"m{first.pk}-person_days": days, f"m{first.pk}-day_rate": rate}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert "Nothing was saved" in page
    assert f'value="{days}"' in page  # nothing typed is lost
    before = first.day_rate
    first.refresh_from_db()
    assert first.day_rate == before


def test_the_coordinator_makes_another_member_the_lead(
    coordinator: Client, consortium: Consortium
) -> None:
    other = consortium.members.get(role=ConsortiumRole.CO_CONTRACTOR)
    response = coordinator.post(
        en("needs:coordination_consortium_lead", consortium.request_id, other.pk), follow=True
    )
    assert f"{other.organisation.name} is now the lead (mandataire)." in text_of(response)
    roles = dict(consortium.members.values_list("pk", "role"))
    assert roles[other.pk] == ConsortiumRole.LEAD
    assert list(roles.values()).count(ConsortiumRole.LEAD) == 1


def test_the_kind_is_changed_and_a_wrong_one_refused(
    coordinator: Client, consortium: Consortium
) -> None:
    url = en("needs:coordination_consortium_kind", consortium.request_id)
    assert coordinator.post(url, {"kind": "jointly_liable"}).status_code == 302
    consortium.refresh_from_db()
    assert consortium.kind == "jointly_liable"
    response = coordinator.post(url, {"kind": "forever"})
    assert response.status_code == 400
    assert "Choose a kind of consortium." in text_of(response)


def test_after_the_bid_deadline_the_consortium_is_frozen_and_edits_refused(
    coordinator: Client, consortium: Consortium
) -> None:
    request = consortium.request
    request.tender_deadline = timezone.now() - timedelta(minutes=1)
    request.save(update_fields=["tender_deadline"])
    page = text_of(coordinator.get(en("needs:coordination_consortium", request.pk)))
    assert "Frozen: the bid deadline passed" in page
    assert "<form" not in page.split('id="members"')[1].split("</section>")[0]
    assert "Save the kind" not in page
    first, second = members(consortium)
    for url, data in [
        (
            en("needs:coordination_consortium_member", request.pk, first.pk),
            {f"m{first.pk}-person_days": "3", f"m{first.pk}-day_rate": "500"},
        ),
        (en("needs:coordination_consortium_lead", request.pk, second.pk), {}),
        (en("needs:coordination_consortium_kind", request.pk), {"kind": "jointly_liable"}),
    ]:
        response = coordinator.post(url, data, follow=True)
        assert "The consortium can no longer be changed" in text_of(response)
    assert members(consortium) == [first, second]
    first.refresh_from_db()
    assert first.day_rate == Decimal("0.00")
    consortium.refresh_from_db()
    assert consortium.kind == "joint"


def test_a_member_of_another_consortium_is_not_found(
    coordinator: Client, consortium: Consortium
) -> None:
    stranger = members(consortium)[0]
    url = en("needs:coordination_consortium_lead", 999_999, stranger.pk)
    assert coordinator.post(url).status_code == 404


def test_the_response_downloads_as_odt_with_members_and_grand_total(
    coordinator: Client, consortium: Consortium
) -> None:
    first, second = members(consortium)
    for member, rate in [(first, "612.35"), (second, "587.10")]:
        coordinator.post(
            en("needs:coordination_consortium_member", consortium.request_id, member.pk),
            {f"m{member.pk}-person_days": "12.5", f"m{member.pk}-day_rate": rate},
        )
    page = text_of(coordinator.get(en("needs:coordination_consortium", consortium.request_id)))
    url = en("needs:coordination_consortium_odt", consortium.request_id)
    assert url in page
    assert "Download the response (ODT)" in page
    response = coordinator.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".odt" in response["Content-Disposition"]
    text = Document(io.BytesIO(response.content)).get_formatted_text()
    assert first.organisation.name in text
    assert second.organisation.name in text
    assert "14,993.13 €" in text  # 12.5 * 612.35 + 12.5 * 587.10 = 7,654.38 + 7,338.75
    assert "Response of the consortium" in text
    # In French, the page's language.
    french = coordinator.get(fr("needs:coordination_consortium_odt", consortium.request_id))
    text = Document(io.BytesIO(french.content)).get_formatted_text()
    assert "993,13" in text


def test_a_member_cannot_reach_the_consortium(
    client: Client, demo: Any, consortium: Consortium
) -> None:
    client.force_login(demo["member"])
    for name in ("needs:coordination_consortium", "needs:coordination_consortium_odt"):
        assert client.get(en(name, consortium.request_id)).status_code == 404
    first = members(consortium)[0]
    url = en("needs:coordination_consortium_member", consortium.request_id, first.pk)
    response = client.post(url, {f"m{first.pk}-person_days": "1", f"m{first.pk}-day_rate": "1"})
    assert response.status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_more_members(
    coordinator: Client, consortium: Consortium, demo: Any, django_assert_max_num_queries: Any
) -> None:
    url = en("needs:coordination_consortium", consortium.request_id)
    before = _queries(coordinator, url)
    taken = set(consortium.members.values_list("organisation_id", flat=True))
    lots = list(Lot.objects.filter(request=consortium.request))
    from guichet.network.models import Organisation

    for organisation in Organisation.objects.exclude(pk__in=taken).order_by("pk")[:3]:
        extra = ConsortiumMember.objects.create(
            consortium=consortium,
            organisation=organisation,
            role=ConsortiumRole.SUBCONTRACTOR,
            person_days=Decimal(3),
            day_rate=Decimal("450.50"),
        )
        extra.lots.set(lots)
    with django_assert_max_num_queries(before):
        coordinator.get(url)


# A member's side: the composition for every member proposed; the rates for the
# consortium's own people only.


@pytest.mark.parametrize("in_consortium", [True, False])
def test_members_see_the_consortium_and_its_rates_only_when_they_belong_to_it(
    client: Client, demo: Any, consortium: Consortium, in_consortium: bool
) -> None:
    from guichet.needs.models import ShortlistEntry

    person = demo["member"]
    entry = (
        ShortlistEntry.objects.filter(
            lot__request=consortium.request, organisation__memberships__person=person
        )
        .order_by("pk")
        .first()
    )
    assert entry is not None
    ConsortiumMember.objects.filter(consortium=consortium).update(day_rate=Decimal("777.77"))
    if not in_consortium:
        consortium.members.filter(organisation=entry.organisation).delete()
    elif not consortium.members.filter(organisation=entry.organisation).exists():
        ConsortiumMember.objects.create(
            consortium=consortium,
            organisation=entry.organisation,
            role=ConsortiumRole.SUBCONTRACTOR,
            day_rate=Decimal("777.77"),
        )
    client.force_login(person)
    page = text_of(client.get(en("needs:member_entry", entry.pk)))
    assert "The consortium" in page
    for member in members(consortium):
        assert member.organisation.name in page
    assert ("777.77" in page) is in_consortium


def test_the_demo_has_a_priced_consortium_for_the_browser_suite(
    coordinator: Client, demo: Any
) -> None:
    from guichet.needs.demo import CONSORTIUM_TITLE

    consortium = Consortium.objects.get(request__title=CONSORTIUM_TITLE)
    assert consortium.members.filter(role=ConsortiumRole.LEAD).count() == 1
    assert all(member.day_rate > 0 for member in consortium.members.all())
    page = coordinator.get(en("needs:coordination_consortium", consortium.request_id))
    assert page.status_code == 200
