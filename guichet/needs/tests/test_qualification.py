"""Qualifying a request, as services: lots, the status they move, the client's organisation,
the tender's rules, and "open source is not the right fit".

The demo is loaded: "Formation des agents à LibreOffice" waits to be qualified, the
metropolis' request is qualified into two lots, the university's is a tender.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import guichet.needs
from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.forms_qualification import software_from_names, split_names
from guichet.needs.messages import MESSAGES
from guichet.needs.models import Lot, Request, RequestStatus, ShortlistEntry
from guichet.needs.services.qualification import (
    LotData,
    QualificationError,
    lot_create,
    lot_delete,
    lot_update,
    request_close_not_a_fit,
    request_link_client,
    request_set_tender_rules,
)
from guichet.network.models import Organisation, Software

pytestmark = pytest.mark.django_db

TO_QUALIFY = "Formation des agents à LibreOffice"
TENDER = "Accompagnement d'un marché de plateforme pédagogique"
RATIONALE = (
    "Le logiciel concerné est propriétaire et son éditeur interdit toute modification : "
    "aucun membre ne peut intervenir."
)


def request_titled(title: str) -> Request:
    return Request.objects.get(title=title)


def lot_data(**changes: Any) -> LotData:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "Formation des agents",
        "person_days": Decimal("6"),
        "software": tuple(Software.objects.filter(name__iexact="LibreOffice").order_by("pk")[:1]),
        "on_site": True,
        "start_date": today + timedelta(days=30),
        "deadline": today + timedelta(days=90),
    }
    fields.update(changes)
    return LotData(**fields)


def test_the_first_lot_qualifies_the_request_and_the_client_is_emailed_once(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    request = request_titled(TO_QUALIFY)

    with django_capture_on_commit_callbacks(execute=True):
        first = lot_create(request=request, data=lot_data(), by=demo["coordinator"])
        second = lot_create(
            request=request, data=lot_data(title="Support", on_site=False), by=demo["coordinator"]
        )

    request.refresh_from_db()
    assert request.status == RequestStatus.QUALIFIED
    assert [first.position, second.position] == [1, 2]
    assert [m.to for m in mail.outbox] == [[request.contact_email]]
    assert request.reference in mail.outbox[0].subject
    assert "/demande/suivi/" in mail.outbox[0].body
    actions = AuditEntry.objects.filter(object_id__in=[str(first.pk), str(request.pk)])
    assert {"lot.create", "request.qualify"} <= set(actions.values_list("action", flat=True))


def test_deleting_the_last_lot_puts_the_request_back_and_requalifying_does_not_email_again(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    request = request_titled(TO_QUALIFY)
    with django_capture_on_commit_callbacks(execute=True):
        lot = lot_create(request=request, data=lot_data(), by=demo["coordinator"])
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        lot_delete(lot=lot, by=demo["coordinator"])
        request.refresh_from_db()
        assert request.status == RequestStatus.SUBMITTED
        lot_create(request=request, data=lot_data(), by=demo["coordinator"])

    request.refresh_from_db()
    assert request.status == RequestStatus.QUALIFIED
    assert len(mail.outbox) == 1


def test_deleting_one_lot_of_two_keeps_the_request_qualified(demo: dict[str, Any]) -> None:
    request = request_titled(QUALIFIED_TITLE)
    lot_delete(lot=request.lots.get(position=2), by=demo["coordinator"])

    request.refresh_from_db()
    assert request.status == RequestStatus.QUALIFIED
    # The next lot takes the next number: numbers already quoted are never reused for another.
    assert lot_create(request=request, data=lot_data(), by=demo["coordinator"]).position == 2


def test_a_lot_with_a_chosen_provider_cannot_be_deleted(demo: dict[str, Any]) -> None:
    lot = Lot.objects.get(request__title=QUALIFIED_TITLE, position=1)
    ShortlistEntry.objects.create(
        lot=lot,
        organisation=Organisation.objects.get(slug="libre-et-local"),
        chosen_at=timezone.now(),
    )

    with pytest.raises(QualificationError) as refused:
        lot_delete(lot=lot, by=demo["coordinator"])

    assert refused.value.code == "lot_has_provider"
    assert Lot.objects.filter(pk=lot.pk).exists()


def test_a_lot_keeps_its_number_when_edited_and_the_model_rules_still_apply(
    demo: dict[str, Any],
) -> None:
    lot = Lot.objects.get(request__title=QUALIFIED_TITLE, position=2)
    lot_update(
        lot=lot, data=lot_data(title="Nextcloud", cpv_code="72415000-2"), by=demo["coordinator"]
    )
    lot.refresh_from_db()
    assert (lot.position, lot.title, lot.cpv_code) == (2, "Nextcloud", "72415000-2")

    with pytest.raises(ValidationError) as refused:
        lot_update(lot=lot, data=lot_data(cpv_code="7241"), by=demo["coordinator"])
    assert "cpv_code" in refused.value.message_dict
    start = timezone.localdate() + timedelta(days=10)
    backwards = lot_data(start_date=start, deadline=start - timedelta(days=1))
    with pytest.raises(ValidationError) as early:
        lot_update(lot=lot, data=backwards, by=demo["coordinator"])
    assert "deadline" in early.value.message_dict


def test_an_unconfirmed_request_cannot_be_qualified(demo: dict[str, Any]) -> None:
    request = Request.objects.filter(status=RequestStatus.UNCONFIRMED).first()
    assert request is not None

    with pytest.raises(QualificationError) as refused:
        lot_create(request=request, data=lot_data(), by=demo["coordinator"])

    assert refused.value.code == "request_not_confirmed"


def test_the_client_is_linked_to_its_organisation_and_the_link_is_audited(
    demo: dict[str, Any],
) -> None:
    request = request_titled(TO_QUALIFY)
    organisation = Organisation.objects.get(slug="libre-et-local")

    request_link_client(request=request, organisation=organisation, by=demo["coordinator"])

    request.refresh_from_db()
    assert request.client_organisation == organisation
    entry = AuditEntry.objects.filter(action="request.link_client").latest("sequence")
    assert entry.data["to"] == organisation.pk


def test_only_a_tender_has_a_maximum_of_lots_per_bidder(demo: dict[str, Any]) -> None:
    tender = request_titled(TENDER)
    request_set_tender_rules(request=tender, max_lots_per_bidder=2, by=demo["coordinator"])
    tender.refresh_from_db()
    assert tender.max_lots_per_bidder == 2

    with pytest.raises(QualificationError) as refused:
        request_set_tender_rules(
            request=request_titled(TO_QUALIFY), max_lots_per_bidder=2, by=demo["coordinator"]
        )
    assert refused.value.code == "not_a_tender"


def test_not_a_fit_needs_a_rationale(demo: dict[str, Any]) -> None:
    request = request_titled(TO_QUALIFY)

    with pytest.raises(QualificationError) as refused:
        request_close_not_a_fit(request=request, rationale="  Non.  ", by=demo["coordinator"])

    assert refused.value.code == "rationale_too_short"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_not_a_fit_emails_the_rationale_and_blocks_every_change(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    request = request_titled(QUALIFIED_TITLE)

    with django_capture_on_commit_callbacks(execute=True):
        request_close_not_a_fit(request=request, rationale=RATIONALE, by=demo["coordinator"])

    request.refresh_from_db()
    assert request.status == RequestStatus.NOT_A_FIT
    assert request.not_a_fit_rationale == RATIONALE
    assert request.closed_at is not None
    (email,) = mail.outbox
    assert email.to == [request.contact_email]
    # Plain text: the apostrophes and colons of the rationale arrive as written.
    assert RATIONALE in email.body
    assert re.search(r"https?://\S+/demande/suivi/\S+/", email.body)

    lot = request.lots.first()
    assert lot is not None
    attempts = [
        lambda: lot_create(request=request, data=lot_data(), by=demo["coordinator"]),
        lambda: lot_update(lot=lot, data=lot_data(), by=demo["coordinator"]),
        lambda: lot_delete(lot=lot, by=demo["coordinator"]),
        lambda: request_link_client(request=request, organisation=None, by=demo["coordinator"]),
        lambda: request_close_not_a_fit(
            request=request, rationale=RATIONALE, by=demo["coordinator"]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(QualificationError) as refused:
            attempt()
        assert refused.value.code == "request_closed"
    assert request.lots.count() == 2


def test_names_are_split_on_commas_and_matched_whatever_their_case() -> None:
    assert split_names("glpi, Nextcloud ;\n GLPI,, ") == ["glpi", "Nextcloud"]


def test_software_is_found_by_name_in_any_case_and_unknown_names_are_reported(
    demo: dict[str, Any],
) -> None:
    found, unknown = software_from_names(["glpi", "NEXTCLOUD", "Logiciel Inconnu"])

    assert {s.name.lower() for s in found} == {"glpi", "nextcloud"}
    assert unknown == ["Logiciel Inconnu"]


# Every refusal has its sentence.

NEEDS = Path(guichet.needs.__file__).parent
RAISED = re.compile(r"""(?:QualificationError|ThreadError)\(\s*["']([a-z_]+)["']\s*\)""")


def test_every_code_the_qualification_services_raise_has_its_own_message() -> None:
    sources = ["services/qualification.py", "services/thread.py"]
    raised = {code for name in sources for code in RAISED.findall((NEEDS / name).read_text())}

    assert {"request_closed", "rationale_too_short", "message_empty"} <= raised
    assert not raised - set(MESSAGES), f"add to needs/messages.py: {raised - set(MESSAGES)}"
