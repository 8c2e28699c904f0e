"""Consortia: proposed from the shortlists, adjusted by people (the lead handed over by its
managers, subcontractors brought by contractors), frozen after a tender's deadline, and
written out as an OpenDocument response."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from odfdo import Document

import guichet.needs
from guichet.accounts.tests.factories import UserFactory
from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.messages import MESSAGES
from guichet.needs.models import (
    Consortium,
    ConsortiumMember,
    ConsortiumRole,
    Request,
    RequestStatus,
)
from guichet.needs.response_document import response_document
from guichet.needs.services.consortia import (
    ConsortiumError,
    consortium_is_frozen,
    consortium_lead_hand_over,
    consortium_lead_set,
    consortium_member_update,
    consortium_propose,
    consortium_subcontracted,
    consortium_subcontractor_add,
    consortium_subcontractor_remove,
    consortium_total,
)
from guichet.needs.services.matching import lot_rank
from guichet.needs.services.shortlists import client_choose, shortlist_propose, shortlist_send
from guichet.network.models import Membership, Organisation

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


# The lead handed over by its managers, and subcontractors. A tender capped at one lot per
# bidder gives a consortium of two contractors, each with one lot.
@pytest.fixture
def pair(demo: Any, shortlisted: Request) -> Consortium:
    shortlisted.is_tender = True
    shortlisted.tender_deadline = timezone.now() + timedelta(days=10)
    shortlisted.max_lots_per_bidder = 1
    shortlisted.save()
    consortium = consortium_propose(request=shortlisted, by=demo["coordinator"])
    for member, rate in zip(contractors(consortium), ["612.35", "587.10"], strict=True):
        consortium_member_update(
            member=member, person_days=member.person_days, day_rate=Decimal(rate), by=None
        )
    return consortium


def contractors(consortium: Consortium) -> tuple[ConsortiumMember, ConsortiumMember]:
    lead = consortium.members.select_related("organisation").get(role=ConsortiumRole.LEAD)
    other = consortium.members.select_related("organisation").get(role=ConsortiumRole.CO_CONTRACTOR)
    return lead, other


def person_of(organisation: Organisation, *, manager: bool = True) -> Any:
    person = UserFactory.create()
    Membership.objects.create(person=person, organisation=organisation, is_manager=manager)
    return person


def outsider(consortium: Consortium) -> Organisation:
    """An organisation of the directory outside the consortium, not a network member."""
    taken = consortium.members.values("organisation_id")
    found = Organisation.objects.exclude(pk__in=taken).filter(is_member=False).first()
    assert found is not None
    return found


def freeze(consortium: Consortium) -> None:
    consortium.frozen_at = timezone.now()
    consortium.save(update_fields=["frozen_at"])


def add_sub(
    consortium: Consortium, contractor: ConsortiumMember, by: Any, **changes: Any
) -> ConsortiumMember:
    values: dict[str, Any] = {
        "organisation": outsider(consortium),
        "lots": list(contractor.lots.all()),
        "person_days": Decimal("2.5"),
        "day_rate": Decimal("612.35"),
        **changes,
    }
    return consortium_subcontractor_add(
        consortium=consortium, contractor=contractor, by=by, **values
    )


def refused(code: str) -> Any:
    return pytest.raises(ConsortiumError, match=f"^{code}$")


def test_a_lead_manager_hands_the_lead_over_and_the_others_are_told(
    demo: Any, pair: Consortium, django_capture_on_commit_callbacks: Any
) -> None:
    lead, other = contractors(pair)
    sub = add_sub(pair, lead, demo["coordinator"])
    manager = person_of(lead.organisation)
    other_manager = person_of(other.organisation)
    sub_manager = person_of(sub.organisation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consortium_lead_hand_over(consortium=pair, to=other.organisation, by=manager)
    lead.refresh_from_db()
    other.refresh_from_db()
    assert (lead.role, other.role) == (ConsortiumRole.CO_CONTRACTOR, ConsortiumRole.LEAD)
    sub.refresh_from_db()
    assert sub.contractor_id == lead.pk  # the subcontractor stays with its contractor
    entry = AuditEntry.objects.get(action="consortium.lead_hand_over")
    assert entry.data == {"organisation": other.organisation_id, "former": lead.organisation_id}
    told = {address for email in mail.outbox for address in email.to}
    assert {other_manager.email, sub_manager.email, demo["coordinator"].email} <= told
    assert manager.email not in told  # who handed it over knows
    assert any(other.organisation.name in email.body for email in mail.outbox)


def test_only_a_manager_of_the_lead_hands_the_lead_over_to_a_co_contractor(
    demo: Any, pair: Consortium
) -> None:
    lead, other = contractors(pair)
    sub = add_sub(pair, other, demo["coordinator"])
    manager = person_of(lead.organisation)
    for by in (
        person_of(other.organisation),  # a co-contractor's manager
        person_of(lead.organisation, manager=False),  # the lead's people who do not manage it
        demo["coordinator"],  # coordinators use their own page
    ):
        with refused("not_lead_manager"):
            consortium_lead_hand_over(consortium=pair, to=other.organisation, by=by)
    for to in (sub.organisation, lead.organisation, outsider(pair)):
        with refused("lead_must_be_co_contractor"):
            consortium_lead_hand_over(consortium=pair, to=to, by=manager)
    freeze(pair)
    with refused("consortium_frozen"):
        consortium_lead_hand_over(consortium=pair, to=other.organisation, by=manager)
    assert pair.members.get(role=ConsortiumRole.LEAD) == lead


def test_the_coordinator_still_sets_the_lead_and_not_to_a_subcontractor(
    demo: Any, pair: Consortium
) -> None:
    lead, other = contractors(pair)
    sub = add_sub(pair, lead, demo["coordinator"])
    with refused("lead_must_be_co_contractor"):
        consortium_lead_set(consortium=pair, organisation=sub.organisation, by=demo["coordinator"])
    consortium_lead_set(consortium=pair, organisation=other.organisation, by=demo["coordinator"])
    assert pair.members.get(role=ConsortiumRole.LEAD) == other
    assert AuditEntry.objects.filter(action="consortium.lead").exists()


def test_a_contractors_manager_brings_a_subcontractor_on_its_own_lots(
    demo: Any, pair: Consortium
) -> None:
    _lead, other = contractors(pair)
    manager = person_of(other.organisation)
    organisation = outsider(pair)
    sub = add_sub(pair, other, manager, organisation=organisation)
    assert sub.role == ConsortiumRole.SUBCONTRACTOR
    assert sub.contractor == other
    assert set(sub.lots.all()) == set(other.lots.all())
    assert (sub.person_days, sub.day_rate, sub.total) == (
        Decimal("2.5"),
        Decimal("612.35"),
        Decimal("1530.88"),  # 1,530.875 rounded half up
    )
    entry = AuditEntry.objects.filter(action="consortium.subcontractor_add").latest("sequence")
    assert entry.actor_id == manager.pk
    assert entry.data["organisation"] == organisation.pk
    assert entry.data["contractor"] == other.organisation_id


def test_every_refusal_of_a_subcontractor(demo: Any, pair: Consortium) -> None:
    lead, other = contractors(pair)
    manager = person_of(lead.organisation)
    with refused("subcontractor_lots_not_contractors"):
        add_sub(pair, lead, manager, lots=list(other.lots.all()))
    with refused("subcontractor_lots_not_contractors"):
        add_sub(pair, lead, manager, lots=[*lead.lots.all(), *other.lots.all()])
    with refused("subcontractor_without_lots"):
        add_sub(pair, lead, manager, lots=[])
    with refused("already_in_consortium"):
        add_sub(pair, lead, manager, organisation=other.organisation)
    with refused("invalid_person_days"):
        add_sub(pair, lead, manager, person_days=Decimal("1.3"))
    with refused("invalid_person_days"):
        add_sub(pair, lead, manager, person_days=Decimal("10000.5"))
    with refused("invalid_day_rate"):
        add_sub(pair, lead, manager, day_rate=Decimal("10000.01"))
    for by in (person_of(other.organisation), person_of(lead.organisation, manager=False)):
        with refused("not_contractor_manager"):
            add_sub(pair, lead, by)
    sub = add_sub(pair, lead, manager)
    with refused("subcontractor_needs_contractor"):
        add_sub(pair, sub, demo["coordinator"], lots=[])
    with refused("already_in_consortium"):
        add_sub(pair, lead, manager, organisation=sub.organisation)
    freeze(pair)
    with refused("consortium_frozen"):
        add_sub(pair, other, demo["coordinator"], organisation=outsider(pair))
    assert pair.members.filter(role=ConsortiumRole.SUBCONTRACTOR).count() == 1


def test_a_contractor_of_another_consortium_cannot_take_a_subcontractor(
    demo: Any, pair: Consortium
) -> None:
    lead, _other = contractors(pair)
    elsewhere = Consortium.objects.exclude(pk=pair.pk).first()
    assert elsewhere is not None
    with refused("subcontractor_needs_contractor"):
        add_sub(elsewhere, lead, demo["coordinator"], organisation=outsider(elsewhere))


def test_a_subcontractor_is_removed_by_its_contractors_managers_or_coordinators(
    demo: Any, pair: Consortium
) -> None:
    lead, other = contractors(pair)
    sub = add_sub(pair, lead, demo["coordinator"])
    with refused("not_contractor_manager"):
        consortium_subcontractor_remove(subcontractor=sub, by=person_of(other.organisation))
    with refused("not_a_subcontractor"):
        consortium_subcontractor_remove(subcontractor=other, by=demo["coordinator"])
    freeze(pair)
    with refused("consortium_frozen"):
        consortium_subcontractor_remove(subcontractor=sub, by=person_of(lead.organisation))
    pair.frozen_at = None
    pair.save(update_fields=["frozen_at"])
    consortium_subcontractor_remove(subcontractor=sub, by=person_of(lead.organisation))
    assert not pair.members.filter(pk=sub.pk).exists()
    assert AuditEntry.objects.filter(action="consortium.subcontractor_remove").exists()
    other_sub = add_sub(pair, other, demo["coordinator"])
    consortium_subcontractor_remove(subcontractor=other_sub, by=demo["coordinator"])


def test_subcontractors_leave_the_total_unchanged_to_the_cent(demo: Any, pair: Consortium) -> None:
    lead, other = contractors(pair)
    before = consortium_total(pair)
    assert before == lead.total + other.total
    add_sub(pair, lead, demo["coordinator"])
    add_sub(
        pair,
        lead,
        demo["coordinator"],
        organisation=Organisation.objects.exclude(
            pk__in=pair.members.values("organisation_id")
        ).first(),
        person_days=Decimal("1"),
        day_rate=Decimal("0.01"),
    )
    assert consortium_total(pair) == before
    members = list(pair.members.all())
    assert consortium_total(pair, members) == before
    # 1,530.88 + 0.01, for the lead only.
    assert consortium_subcontracted(members) == {lead.pk: Decimal("1530.89")}


def test_the_response_document_lists_subcontractors_under_their_contractor(
    demo: Any, pair: Consortium
) -> None:
    lead, other = contractors(pair)
    sub = add_sub(pair, other, demo["coordinator"])
    with translation.override("en"):
        text = Document(io.BytesIO(response_document(pair))).get_formatted_text()
    assert sub.organisation.name in text
    assert f"Subcontracted by {other.organisation.name}" in text
    assert "included in the share of the contractor they work for" in text
    assert "1,530.88 €" in text
    total = lead.total + other.total
    assert f"{total:,.2f} €" in text  # the total counts the contractors only
    assert f"{total + sub.total:,.2f} €" not in text


RAISED = re.compile(r"""ConsortiumError\(\s*["']([a-z_]+)["']""")


def test_every_code_the_consortium_services_raise_has_its_own_message() -> None:
    source = (Path(guichet.needs.__file__).parent / "services/consortia.py").read_text()
    raised = set(RAISED.findall(source))
    assert {"not_lead_manager", "subcontractor_lots_not_contractors"} <= raised
    assert not raised - set(MESSAGES), f"add to needs/messages.py: {raised - set(MESSAGES)}"
