"""The consortium's pages, for coordinators: proposed from the request's page, days and
day rates set to the cent, the lead changed, subcontractors added and removed, frozen after
a tender's deadline, and the response document downloaded as ODT; and the page its members
see, where the lead's managers hand the lead over and contractors manage their
subcontractors. Who may reach them is pinned in tests/test_permissions.py."""

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
from guichet.network.models import Organisation

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


# Subcontractors and the lead handed over by its managers.
def lead_and_other(consortium: Consortium) -> tuple[ConsortiumMember, ConsortiumMember]:
    found = consortium.members.select_related("organisation")
    return found.get(role=ConsortiumRole.LEAD), found.get(role=ConsortiumRole.CO_CONTRACTOR)


def manager_of(organisation: Any, *, manager: bool = True) -> Any:
    from guichet.accounts.tests.factories import UserFactory
    from guichet.network.models import Membership

    person = UserFactory.create()
    Membership.objects.create(person=person, organisation=organisation, is_manager=manager)
    return person


def not_in(consortium: Consortium) -> Any:
    from guichet.network.models import Organisation

    found = (
        Organisation.objects.exclude(pk__in=consortium.members.values("organisation_id"))
        .filter(is_member=False)
        .exclude(siren=None)
        .first()
    )
    assert found is not None
    return found


def sub_data(contractor: ConsortiumMember, organisation: str, **changes: Any) -> dict[str, Any]:
    return {
        "sub-contractor": contractor.pk,
        "sub-organisation": organisation,
        "sub-lots": [lot.pk for lot in contractor.lots.all()],
        "sub-person_days": "2.5",
        "sub-day_rate": "612.35",
        **changes,
    }


def test_the_coordinator_adds_a_subcontractor_by_siren_and_removes_it(
    coordinator: Client, consortium: Consortium
) -> None:
    lead, other = lead_and_other(consortium)
    organisation = not_in(consortium)
    url = en("needs:coordination_consortium_subcontractor_add", consortium.request_id)
    response = coordinator.post(url, sub_data(other, f" {organisation.siren} "), follow=True)
    assert f"{organisation.name} is added as a subcontractor." in text_of(response)
    sub = consortium.members.get(organisation=organisation)
    assert (sub.role, sub.contractor_id) == (ConsortiumRole.SUBCONTRACTOR, other.pk)
    page = text_of(response)
    rows = page.split('id="members"')[1].split("</table>")[0]
    # Listed right under its contractor, its amount inside the contractor's share.
    assert rows.index(other.organisation.name) < rows.index(organisation.name)
    assert f"Subcontractor of {other.organisation.name}" in rows
    assert f"included in {other.organisation.name}'s share" in rows
    assert "of which subcontracted: 1,530.88 €" in rows
    assert "the total counts the lead and the co-contractors only" in page
    remove = en("needs:coordination_consortium_subcontractor_remove", consortium.request_id, sub.pk)
    assert remove in page
    response = coordinator.post(remove, follow=True)
    assert f"{organisation.name} is no longer a subcontractor." in text_of(response)
    assert not consortium.members.filter(organisation=organisation).exists()
    # A contractor is not removed this way.
    response = coordinator.post(
        en("needs:coordination_consortium_subcontractor_remove", consortium.request_id, lead.pk),
        follow=True,
    )
    assert "This member is not a subcontractor." in text_of(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sub-organisation": "nobody-by-this-name"}, "No organisation of the directory has"),
        ({"sub-organisation": ""}, "Give the organisation's identifier or SIREN."),
        ({"sub-lots": []}, "Choose at least one lot for the subcontractor."),
        ({"sub-person_days": "1.3"}, "Person-days go by half days"),
        ({"sub-day_rate": "10000.01"}, "Give a day rate between 0 and 10000 euros."),
        ("other_lots", "A subcontractor can only work on lots its contractor holds."),
        ("member", "This organisation is already in the consortium."),
    ],
)
def test_a_wrong_subcontractor_is_refused_next_to_its_field(
    coordinator: Client, consortium: Consortium, change: Any, message: str
) -> None:
    lead, other = lead_and_other(consortium)
    data = sub_data(lead, not_in(consortium).slug)
    if change == "other_lots":
        data["sub-lots"] = [lot.pk for lot in other.lots.all()]
    elif change == "member":
        data["sub-organisation"] = other.organisation.slug
    else:
        data.update(change)
    url = en("needs:coordination_consortium_subcontractor_add", consortium.request_id)
    response = coordinator.post(url, data)
    assert response.status_code == 400
    page = text_of(response)
    assert "Nothing was saved" in page
    assert message in page
    assert not consortium.members.filter(role=ConsortiumRole.SUBCONTRACTOR).exists()


def member_page(consortium: Consortium) -> str:
    return en("needs:member_consortium", consortium.pk)


def test_the_consortiums_people_see_its_page_with_days_rates_and_totals(
    client: Client, demo: Any, consortium: Consortium
) -> None:
    lead, other = lead_and_other(consortium)
    ConsortiumMember.objects.filter(pk=lead.pk).update(day_rate=Decimal("612.35"))
    reader = manager_of(other.organisation, manager=False)
    client.force_login(reader)
    page = text_of(client.get(member_page(consortium)))
    assert lead.organisation.name in page
    assert other.organisation.name in page
    assert "612.35 €" in page
    assert str((lead.person_days * Decimal("612.35")).quantize(Decimal("0.01"))) in page.replace(
        ",", ""
    )
    assert "Hand the lead over" not in page
    assert "Add a subcontractor" not in page  # not a manager
    # Reached from the proposal page of a lot its organisation is proposed for.
    from guichet.needs.models import ShortlistEntry

    entry = ShortlistEntry.objects.filter(
        lot__request=consortium.request, organisation=other.organisation
    ).first()
    assert entry is not None
    assert member_page(consortium) in text_of(client.get(en("needs:member_entry", entry.pk)))


def test_anyone_outside_the_consortium_finds_no_page(
    client: Client, demo: Any, consortium: Consortium
) -> None:
    # A member of the demo's other consortium (the one its lead is not in).
    elsewhere = Consortium.objects.exclude(pk=consortium.pk).first()
    assert elsewhere is not None
    stranger = not_in(consortium)
    ConsortiumMember.objects.create(
        consortium=elsewhere, organisation=stranger, role=ConsortiumRole.SUBCONTRACTOR
    )
    client.force_login(manager_of(stranger))
    assert client.get(member_page(elsewhere)).status_code == 200
    assert client.get(member_page(consortium)).status_code == 404
    _lead, other = lead_and_other(consortium)
    url = en("needs:member_consortium_lead", consortium.pk, other.pk)
    assert client.post(url).status_code == 404
    client.force_login(demo["coordinator"])
    assert client.get(member_page(consortium)).status_code == 404


def test_a_lead_manager_hands_the_lead_over_from_the_members_page(
    client: Client, demo: Any, consortium: Consortium, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    lead, other = lead_and_other(consortium)
    told = manager_of(other.organisation)
    client.force_login(manager_of(lead.organisation))
    page = text_of(client.get(member_page(consortium)))
    url = en("needs:member_consortium_lead", consortium.pk, other.pk)
    assert url in page
    assert f"Hand the lead over to {other.organisation.name}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert f"{other.organisation.name} is now the lead (mandataire)" in text_of(response)
    assert consortium.members.get(role=ConsortiumRole.LEAD) == other
    addresses = {address for email in mail.outbox for address in email.to}
    assert {told.email, demo["coordinator"].email} <= addresses


def test_a_co_contractors_manager_cannot_hand_the_lead_over(
    client: Client, consortium: Consortium
) -> None:
    lead, other = lead_and_other(consortium)
    client.force_login(manager_of(other.organisation))
    assert "Hand the lead over" not in text_of(client.get(member_page(consortium)))
    response = client.post(en("needs:member_consortium_lead", consortium.pk, other.pk))
    assert response.status_code == 403
    assert consortium.members.get(role=ConsortiumRole.LEAD) == lead


def test_a_contractors_manager_adds_and_removes_its_own_subcontractors(
    client: Client, consortium: Consortium
) -> None:
    lead, other = lead_and_other(consortium)
    client.force_login(manager_of(other.organisation))
    organisation = not_in(consortium)
    url = en("needs:member_consortium_subcontractor_add", consortium.pk)
    # Only its own lots are offered: the lead's are refused.
    data = sub_data(other, organisation.slug, **{"sub-lots": [lot.pk for lot in lead.lots.all()]})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choose among the lots shown." in text_of(response)
    # Only itself as contractor.
    response = client.post(url, sub_data(lead, organisation.slug))
    assert response.status_code == 400
    response = client.post(url, sub_data(other, organisation.slug), follow=True)
    assert f"{organisation.name} is added as a subcontractor." in text_of(response)
    sub = consortium.members.get(organisation=organisation)
    assert sub.contractor_id == other.pk
    remove = en("needs:member_consortium_subcontractor_remove", consortium.pk, sub.pk)
    assert remove in text_of(response)
    # The lead's manager does not remove another contractor's subcontractor.
    lead_client = Client()
    lead_client.force_login(manager_of(lead.organisation))
    assert remove not in text_of(lead_client.get(member_page(consortium)))
    assert lead_client.post(remove).status_code == 403
    response = client.post(remove, follow=True)
    assert f"{organisation.name} is no longer a subcontractor." in text_of(response)
    assert not consortium.members.filter(pk=sub.pk).exists()


def test_a_frozen_consortium_shows_no_forms_to_members_and_refuses_posts(
    client: Client, consortium: Consortium
) -> None:
    lead, other = lead_and_other(consortium)
    request = consortium.request
    request.tender_deadline = timezone.now() - timedelta(minutes=1)
    request.save(update_fields=["tender_deadline"])
    client.force_login(manager_of(lead.organisation))
    page = text_of(client.get(member_page(consortium)))
    assert "Frozen: the bid deadline passed" in page
    assert "<form" not in page.split('id="members"')[1]
    for url, data in [
        (en("needs:member_consortium_lead", consortium.pk, other.pk), {}),
        (
            en("needs:member_consortium_subcontractor_add", consortium.pk),
            sub_data(lead, not_in(consortium).slug),
        ),
    ]:
        response = client.post(url, data, follow=True)
        assert "The consortium can no longer be changed" in text_of(response)
    assert consortium.members.get(role=ConsortiumRole.LEAD) == lead
    assert not consortium.members.filter(role=ConsortiumRole.SUBCONTRACTOR).exists()


def test_the_downloaded_response_lists_the_subcontractor(
    coordinator: Client, consortium: Consortium
) -> None:
    lead, _other = lead_and_other(consortium)
    organisation = not_in(consortium)
    coordinator.post(
        en("needs:coordination_consortium_subcontractor_add", consortium.request_id),
        sub_data(lead, organisation.slug),
    )
    response = coordinator.get(en("needs:coordination_consortium_odt", consortium.request_id))
    text = Document(io.BytesIO(response.content)).get_formatted_text()
    assert organisation.name in text
    assert f"Subcontracted by {lead.organisation.name}" in text
    assert "they are not added to the consortium's total" in text


def test_the_page_says_why_this_team_and_which_team_it_was_preferred_to(
    coordinator: Client, tender: Request
) -> None:
    """The rule (fewest members within the cap, then the best total; lead = largest share),
    the team proposed with its total, and the alternative rejected, with why."""
    consortium = consortium_propose(request=tender, by=None)
    recorded = consortium.proposal
    page = " ".join(
        text_of(coordinator.get(en("needs:coordination_consortium", tender.pk))).split()
    )
    assert "Why this team" in page
    assert "none taking more than 1 lot (the tender's cap)" in page
    assert "the largest share of person-days" in page
    total = round(recorded["total_score"] * 100)
    maximum = 100 * len(recorded["assignment"])
    assert f"total score {total} out of {maximum}" in page
    alternative = recorded["alternative"]
    assert alternative is not None, "two lots and several candidates: another team exists"
    names = dict(
        Organisation.objects.filter(pk__in=alternative["members"]).values_list("pk", "name")
    )
    other = round(alternative["total_score"] * 100)
    if alternative["reason"] == "more_members":
        assert f"would score more ({other} out of {maximum})" in page
    else:
        assert f"the next best team of the same size scores less ({other} out of {maximum})" in page
    why = page[page.index("Why this team") :]
    for name in names.values():
        assert name in why
    with translation.override("fr"):
        french = " ".join(
            text_of(coordinator.get(fr("needs:coordination_consortium", tender.pk))).split()
        )
    assert "Pourquoi cette équipe" in french
    assert f"score total {total} sur {maximum}" in french


def test_a_consortium_recorded_before_alternatives_still_says_why(
    coordinator: Client, consortium: Consortium
) -> None:
    consortium.proposal = {
        key: value for key, value in consortium.proposal.items() if key != "alternative"
    }
    consortium.save()
    page = text_of(coordinator.get(en("needs:coordination_consortium", consortium.request_id)))
    assert "Why this team" in page
    assert "Not proposed" not in page
    assert "No other team could cover every lot." not in page
