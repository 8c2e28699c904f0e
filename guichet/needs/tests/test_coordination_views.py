"""The coordinators' pages of the guichet: the list of requests, one request, a lot's form,
the thread with the client, "not the right fit", and the documents.

Who may reach them is pinned in tests/test_permissions.py; here, what they do. The demo is
loaded (see guichet/needs/demo.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import (
    ClientKind,
    Lot,
    Request,
    RequestDocument,
    RequestMessage,
    RequestStatus,
)
from guichet.network.models import Organisation

pytestmark = pytest.mark.django_db

TO_QUALIFY = "Formation des agents à LibreOffice"
UNCONFIRMED = "Messagerie collaborative pour nos agences"
TENDER = "Accompagnement d'un marché de plateforme pédagogique"
RATIONALE = (
    "Le module est propriétaire et son éditeur n'en autorise pas la modification : aucun "
    "membre ne peut y intervenir légalement."
)


@pytest.fixture
def coordinator(client: Client, demo: dict[str, Any]) -> Client:
    client.force_login(demo["coordinator"])
    return client


def en(name: str, *args: Any) -> str:
    """The page in English (/en/), so that messages read as written here once translated."""
    with translation.override("en"):
        return reverse(name, args=args)


def titled(title: str) -> Request:
    return Request.objects.get(title=title)


def text_of(response: Any) -> str:
    return unescape(response.content.decode())


def lot_post(**changes: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "title": "Formation des agents",
        "description": "Huit sessions d'une demi-journée.",
        "software": "libreoffice",
        "skills": "formation, bureautique",
        "cpv_code": "80533100",
        "person_days": "6.5",
        "on_site": "on",
        "place": "Lyon",
        "start_date": (today + timedelta(days=20)).isoformat(),
        "deadline": (today + timedelta(days=80)).isoformat(),
    }
    data.update(changes)
    return data


# The list.


def test_the_list_shows_confirmed_requests_newest_first_with_their_lots(
    coordinator: Client,
) -> None:
    response = coordinator.get(en("needs:coordination_requests"))

    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert UNCONFIRMED not in [r.title for r in rows]
    assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
    qualified = next(r for r in rows if r.title == QUALIFIED_TITLE)
    assert qualified.lot_count == 2
    page = text_of(response)
    assert qualified.reference in page
    assert "Métropole du Confluent" in page


def test_the_list_filters_by_status_and_shows_unconfirmed_requests_when_asked(
    coordinator: Client,
) -> None:
    submitted = coordinator.get(en("needs:coordination_requests"), {"status": "submitted"})
    unconfirmed = coordinator.get(en("needs:coordination_requests"), {"status": "unconfirmed"})

    assert {r.status for r in submitted.context["page"].object_list} == {"submitted"}
    assert [r.title for r in unconfirmed.context["page"].object_list] == [UNCONFIRMED]


# One request.


def test_the_request_page_shows_the_whole_request_its_lots_and_its_thread(
    coordinator: Client,
) -> None:
    request = titled(QUALIFIED_TITLE)
    RequestMessage.objects.create(request=request, from_client=True, body="Une précision.")

    response = coordinator.get(en("needs:coordination_request", request.pk))

    page = text_of(response)
    for expected in [
        "Karim Benali",
        "dsi@metropole-du-confluent.example",
        "3 000 postes",
        "GLPI",
        "Lyon",
        "Gestion de parc avec GLPI",
        "Partage de fichiers Nextcloud hébergé",
        "Une précision.",
    ]:
        assert expected in page, expected
    for lot in request.lots.all():
        assert en("needs:coordination_lot_edit", request.pk, lot.pk) in page
        assert en("needs:coordination_lot_ranking", lot.pk) in page


def test_the_tender_page_links_its_documents_which_download_as_attachments(
    coordinator: Client,
) -> None:
    tender = titled(TENDER)
    document = RequestDocument(
        request=tender, original_name="CCTP lot 1.pdf", content_type="application/pdf", size=9
    )
    document.file.save("ignored.pdf", ContentFile(b"%PDF-1.7\n"), save=True)

    page = text_of(coordinator.get(en("needs:coordination_request", tender.pk)))
    url = en("needs:coordination_document", tender.pk, document.pk)
    assert url in page
    assert "2026-UDL-017" in page

    response = coordinator.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "CCTP lot 1.pdf" in unescape(response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n"
    # A document is found only under its own request.
    other = titled(QUALIFIED_TITLE)
    wrong = en("needs:coordination_document", other.pk, document.pk)
    assert coordinator.get(wrong).status_code == 404


# Lots.


def test_a_coordinator_splits_a_request_into_two_lots_and_the_client_is_emailed_once(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    request = titled(TO_QUALIFY)
    add = en("needs:coordination_lot_add", request.pk)

    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator.post(add, lot_post())
        second = coordinator.post(
            add, lot_post(title="Support à distance", on_site="", place="", person_days="2")
        )

    assert first.status_code == second.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.QUALIFIED
    lots = list(request.lots.order_by("position"))
    assert [(lot.position, lot.title) for lot in lots] == [
        (1, "Formation des agents"),
        (2, "Support à distance"),
    ]
    assert str(lots[0].person_days) == "6.5"
    assert lots[0].commune is not None
    assert lots[0].commune.name == "Lyon"
    assert [s.name.lower() for s in lots[0].software.all()] == ["libreoffice"]
    assert lots[1].commune is None  # the request's place applies
    assert [m.to for m in mail.outbox] == [[request.contact_email]]


def test_half_days_are_typed_with_a_comma_in_french(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)
    with translation.override("fr"):
        url = reverse("needs:coordination_lot_add", args=[request.pk])

    response = coordinator.post(url, lot_post(person_days="2,5"))

    assert response.status_code == 302
    assert str(request.lots.get().person_days) == "2.5"


def test_the_add_form_starts_from_the_request(coordinator: Client) -> None:
    request = titled(QUALIFIED_TITLE)
    form = coordinator.get(en("needs:coordination_lot_add", request.pk)).context["form"]

    assert {n.lower() for n in form.initial["software"].split(", ")} == {"glpi", "nextcloud"}
    assert form.initial["on_site"] is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cpv_code", "7225-3200", "A CPV code is eight digits"),
        ("person_days", "0", "above zero"),
        ("person_days", "-3", "above zero"),
        ("person_days", "2.3", "whole or half days"),
        ("person_days", "20000", "split a larger need"),
        ("software", "GLPI, Logiciel Inconnu, Autre Chose", "“Logiciel Inconnu”, “Autre Chose”"),
        ("software", "GLPI, Libre Office", "“Libre Office”. Check the spelling"),
        ("software", "GLPI, Libre Office", "Did you mean “LibreOffice”?"),
        ("place", "Zzyzx-sur-Mer", "We do not know the city “Zzyzx-sur-Mer”"),
        ("deadline", "2001-01-01", "cannot be in the past"),
    ],
)
def test_a_wrong_value_is_explained_next_to_its_field_and_nothing_typed_is_lost(
    coordinator: Client, field: str, value: str, message: str
) -> None:
    request = titled(TO_QUALIFY)
    data = lot_post(**{field: value})

    response = coordinator.post(en("needs:coordination_lot_add", request.pk), data)

    assert response.status_code == 400
    page = text_of(response)
    error = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S)
    assert error is not None
    assert message in error.group(1)
    assert f'href="#id_{field}"' in page  # the summary leads to the field
    assert 'value="Formation des agents"' in page
    assert "Huit sessions d'une demi-journée." in page
    assert 'value="formation, bureautique"' in page
    assert not request.lots.exists()


def test_a_deadline_before_the_start_is_refused_next_to_the_deadline(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)
    start = timezone.localdate() + timedelta(days=40)
    data = lot_post(start_date=start.isoformat(), deadline=(start - timedelta(days=5)).isoformat())

    response = coordinator.post(en("needs:coordination_lot_add", request.pk), data)

    assert response.status_code == 400
    assert "cannot come before the start" in " ".join(response.context["form"].errors["deadline"])
    assert f'value="{start.isoformat()}"' in text_of(response)


def test_a_lot_is_edited_in_place_and_keeps_its_number(coordinator: Client) -> None:
    lot = Lot.objects.get(request__title=QUALIFIED_TITLE, position=2)
    url = en("needs:coordination_lot_edit", lot.request_id, lot.pk)
    form = coordinator.get(url).context["form"]
    assert form.initial["title"] == lot.title

    response = coordinator.post(
        url, lot_post(title="Nextcloud hébergé en France", software="Nextcloud", place="")
    )

    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.position, lot.title, lot.commune) == (2, "Nextcloud hébergé en France", None)


def test_deleting_the_last_lot_reverts_the_request_to_be_qualified(coordinator: Client) -> None:
    request = titled(QUALIFIED_TITLE)
    for lot in request.lots.all():
        response = coordinator.post(en("needs:coordination_lot_delete", request.pk, lot.pk))
        assert response.status_code == 302

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert not request.lots.exists()


def test_a_lot_of_another_request_is_not_found(coordinator: Client) -> None:
    lot = Lot.objects.filter(request__title=QUALIFIED_TITLE).first()
    assert lot is not None
    other = titled(TO_QUALIFY)

    assert coordinator.get(en("needs:coordination_lot_edit", other.pk, lot.pk)).status_code == 404


# The client's organisation and the tender's rules.


def test_the_client_is_linked_by_siren_even_to_a_member(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)
    member = Organisation.objects.get(slug="libre-et-local")

    response = coordinator.post(
        en("needs:coordination_request_client", request.pk),
        {"organisation": "", "siren": f"{member.siren[:3]} {member.siren[3:]}"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.client_organisation == member


def test_an_unknown_siren_is_refused_on_its_field(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)

    response = coordinator.post(
        en("needs:coordination_request_client", request.pk),
        {"organisation": "", "siren": "732829320"},
    )

    assert response.status_code == 400
    assert "No organisation of the directory has the SIREN 732829320" in text_of(response)


def test_a_tender_gets_its_maximum_of_lots_per_bidder(coordinator: Client) -> None:
    tender = titled(TENDER)

    response = coordinator.post(
        en("needs:coordination_request_tender", tender.pk),
        {"max_lots_per_bidder": "1"},
    )

    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.max_lots_per_bidder == 1


# Writing to the client.


def test_a_question_to_the_client_is_emailed_with_a_follow_link_that_opens(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    request = titled(TO_QUALIFY)
    question = "Combien d'agents par session, au plus ?"

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            en("needs:coordination_request_message", request.pk), {"body": question}
        )

    assert response.status_code == 302
    message = request.messages.latest("created_at")
    assert (message.body, message.from_client) == (question, False)
    (email,) = mail.outbox
    assert email.to == [request.contact_email]
    assert question in email.body  # plain text: the apostrophe is not escaped
    link = re.search(r"https?://\S+/demande/suivi/\S+/", email.body)
    assert link is not None
    follow = Client().get(urlsplit(link.group(0)).path)
    assert follow.status_code == 200
    assert question in text_of(follow)


def test_an_empty_message_is_refused_on_its_field(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)

    response = coordinator.post(
        en("needs:coordination_request_message", request.pk), {"body": "  "}
    )

    assert response.status_code == 400
    assert response.context["message_form"].errors["body"]


# Not the right fit.


def test_not_a_fit_needs_a_rationale_and_a_confirmation(coordinator: Client) -> None:
    request = titled(TO_QUALIFY)
    url = en("needs:coordination_request_close", request.pk)

    short = coordinator.post(url, {"rationale": "Non.", "confirm": "on"})
    unconfirmed = coordinator.post(url, {"rationale": RATIONALE})

    assert short.status_code == unconfirmed.status_code == 400
    assert short.context["close_form"].errors["rationale"]
    assert unconfirmed.context["close_form"].errors["confirm"]
    assert RATIONALE in text_of(unconfirmed)  # what was typed comes back
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_not_a_fit_tells_the_client_and_closes_the_request_for_good(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    request = titled(QUALIFIED_TITLE)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            en("needs:coordination_request_close", request.pk),
            {"rationale": RATIONALE, "confirm": "on"},
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.NOT_A_FIT
    (email,) = mail.outbox
    assert RATIONALE in email.body
    link = re.search(r"https?://\S+/demande/suivi/\S+/", email.body)
    assert link is not None
    assert RATIONALE in text_of(Client().get(urlsplit(link.group(0)).path))

    page = text_of(coordinator.get(en("needs:coordination_request", request.pk)))
    assert RATIONALE in page
    assert en("needs:coordination_lot_add", request.pk) not in page
    lot = request.lots.first()
    assert lot is not None
    refused = coordinator.post(en("needs:coordination_lot_add", request.pk), lot_post())
    assert refused.status_code == 400
    assert "This request is closed" in text_of(refused)
    assert request.lots.count() == 2
    redirected = coordinator.get(en("needs:coordination_lot_edit", request.pk, lot.pk))
    assert redirected.status_code == 302
    deleted = coordinator.post(en("needs:coordination_lot_delete", request.pk, lot.pk))
    assert deleted.status_code == 302
    assert Lot.objects.filter(pk=lot.pk).exists()


# Query counts: constant, whatever the number of requests, lots or messages.


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_takes_as_many_queries_for_many_requests(
    coordinator: Client, django_assert_max_num_queries: Any
) -> None:
    url = en("needs:coordination_requests")
    before = _queries(coordinator, url)
    model = titled(TO_QUALIFY)
    for number in range(30):
        Request.objects.create(
            status=RequestStatus.SUBMITTED,
            client_name=f"Commune {number}",
            client_kind=ClientKind.PUBLIC_BODY,
            contact_name="Contact",
            contact_email=f"contact{number}@example.org",
            title=f"Demande {number}",
            description="…",
            commune=model.commune,
            confirmed_at=timezone.now(),
        )

    with django_assert_max_num_queries(before):
        coordinator.get(url)
    assert before <= 10


def test_the_request_page_takes_as_many_queries_for_more_lots_and_messages(
    coordinator: Client, django_assert_max_num_queries: Any
) -> None:
    request = titled(QUALIFIED_TITLE)
    url = en("needs:coordination_request", request.pk)
    before = _queries(coordinator, url)
    first = request.lots.get(position=1)
    for position in range(3, 8):
        lot = Lot.objects.create(
            request=request, position=position, title=f"Lot {position}", person_days=3
        )
        lot.software.set(first.software.all())
    for number in range(5):
        RequestMessage.objects.create(request=request, body=f"Message {number}", from_client=True)

    with django_assert_max_num_queries(before):
        coordinator.get(url)
    assert before <= 20
