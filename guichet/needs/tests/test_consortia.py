"""Consortia: proposed from the shortlists, adjusted by people, frozen after a tender's
deadline, and written out as an OpenDocument response."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from odfdo import Document

from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import ConsortiumRole, Request, RequestStatus
from guichet.needs.response_document import response_document
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_lead_set,
    consortium_member_update,
    consortium_propose,
    consortium_total,
)
from guichet.needs.services.matching import lot_rank
from guichet.needs.services.shortlists import client_choose, shortlist_propose, shortlist_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlisted(demo: Any) -> Request:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    for lot in request.lots.select_related("request", "commune", "request__commune"):
        run = lot_rank(lot=lot, by=demo["coordinator"])
        shortlist_propose(lot=lot, run=run, by=demo["coordinator"], size=3)
    shortlist_send(request=request, by=demo["coordinator"])
    request.refresh_from_db()
    return request


def test_the_clients_choices_make_the_consortium_with_the_largest_share_as_lead(
    demo: Any, shortlisted: Request
) -> None:
    first, second = shortlisted.lots.order_by("position")
    glpi = first.shortlist.order_by("rank").first()
    files = second.shortlist.exclude(organisation=glpi.organisation).order_by("rank").first()
    client_choose(entry=glpi)
    client_choose(entry=files)
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    members = {m.organisation_id: m for m in consortium.members.all()}
    assert set(members) == {glpi.organisation_id, files.organisation_id}
    # The GLPI lot (40 days) outweighs the file-sharing lot (25 days).
    assert members[glpi.organisation_id].role == ConsortiumRole.LEAD
    assert members[glpi.organisation_id].person_days == Decimal("40")
    shortlisted.refresh_from_db()
    assert shortlisted.status == RequestStatus.CONSORTIUM


def test_a_member_on_both_shortlists_makes_a_consortium_of_one(
    demo: Any, shortlisted: Request
) -> None:
    first, second = shortlisted.lots.order_by("position")
    both = set(first.shortlist.values_list("organisation_id", flat=True)) & set(
        second.shortlist.values_list("organisation_id", flat=True)
    )
    # Libre et Local (Lyon) maintains GLPI and integrates Nextcloud: on both shortlists.
    assert len(both) == 1
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    (member,) = consortium.members.all()
    assert member.organisation_id in both
    assert member.role == ConsortiumRole.LEAD
    assert member.person_days == Decimal("65")


def test_a_tenders_cap_spreads_lots_over_members(demo: Any, shortlisted: Request) -> None:
    shortlisted.is_tender = True
    shortlisted.tender_deadline = timezone.now() + timedelta(days=10)
    shortlisted.max_lots_per_bidder = 1
    shortlisted.save()
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    assert all(member.lots.count() == 1 for member in consortium.members.all())
    assert consortium.members.count() == 2


def test_days_and_rates_are_exact_and_the_total_adds_up_to_the_cent(
    demo: Any, shortlisted: Request
) -> None:
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    rates = [Decimal("612.35"), Decimal("587.10")]
    for member, rate in zip(consortium.members.order_by("pk"), rates, strict=False):
        consortium_member_update(
            member=member, person_days=member.person_days, day_rate=rate, by=demo["coordinator"]
        )
    expected = sum(
        (m.person_days * m.day_rate for m in consortium.members.all()), Decimal(0)
    ).quantize(Decimal("0.01"))
    assert consortium_total(consortium) == expected
    member = consortium.members.first()
    for days, rate in [
        (Decimal("-1"), Decimal(1)),
        (Decimal("1.3"), Decimal(1)),
        (Decimal(1), Decimal("-5")),
    ]:
        with pytest.raises(ConsortiumError):
            consortium_member_update(member=member, person_days=days, day_rate=rate, by=None)


def test_after_the_bid_deadline_the_consortium_is_frozen(demo: Any, shortlisted: Request) -> None:
    shortlisted.is_tender = True
    shortlisted.tender_deadline = timezone.now() + timedelta(days=1)
    shortlisted.save()
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    assert not consortium_is_frozen(consortium)
    shortlisted.tender_deadline = timezone.now() - timedelta(minutes=1)
    shortlisted.save()
    consortium.refresh_from_db()
    assert consortium_is_frozen(consortium)
    member = consortium.members.first()
    with pytest.raises(ConsortiumError) as error:
        consortium_member_update(
            member=member, person_days=Decimal(5), day_rate=Decimal(500), by=demo["coordinator"]
        )
    assert error.value.code == "consortium_frozen"
    with pytest.raises(ConsortiumError):
        consortium_lead_set(consortium=consortium, organisation=member.organisation, by=None)


def test_the_response_document_is_an_odt_with_the_consortium_lots_and_commitments(
    demo: Any, shortlisted: Request
) -> None:
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    member = consortium.members.first()
    consortium_member_update(
        member=member, person_days=Decimal("40"), day_rate=Decimal("650"), by=None
    )
    with translation.override("fr"):
        content = response_document(consortium)
    assert content[:2] == b"PK"
    text = Document(io.BytesIO(content)).get_formatted_text()
    assert shortlisted.title in text
    assert member.organisation.name in text
    assert "26 000,00 €" in text or "26\u202f000,00 €" in text or "26\xa0000,00 €" in text
    assert "Gestion de parc avec GLPI" in text
    assert "Le logiciel libre d'abord" in text
