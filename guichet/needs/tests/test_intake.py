"""A client brings a need through the public form, without an account, and confirms it by the
link emailed to it; only then does it reach the coordinators.

The demo is loaded (its communes include Lyon; its catalogue GLPI and Nextcloud). Emails leave
once the transaction commits: the tests run the commit callbacks.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from guichet.core.models import AuditEntry
from guichet.core.tokens import secret_hash
from guichet.needs.messages import error_message
from guichet.needs.models import Request, RequestStatus
from guichet.needs.tests.test_documents import PDF_BYTES, odt_bytes
from guichet.needs.views.intake import RATE_LIMIT

pytestmark = pytest.mark.django_db

BASE = "https://guichet.example.org"
TITLE = "Reprise de notre gestion de parc informatique"
CONFIRM_LINK = re.compile(re.escape(BASE) + r"(/(?:en/)?demande/confirmer/[^/\s]+/)")
FOLLOW_LINK = re.compile(re.escape(BASE) + r"(/(?:en/)?demande/suivi/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.GUICHET_BASE_URL = BASE


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_name": "Commune de Test-sur-Rhône",
        "client_kind": "public_body",
        "client_siren": "",
        "contact_name": "Jeanne Martin",
        "contact_email": "dsi@test-sur-rhone.example",
        "contact_phone": "",
        "title": TITLE,
        "description": "Trois cents postes à inventorier, et des techniciens à former.",
        "software": "glpi, Notre outil maison",
        "services": ["integration", "training"],
        "city": "Lyon",
        "budget": "10k-40k",
        "start_date": "",
        "end_date": "",
        "tender_reference": "",
        "tender_deadline": "",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def submit(client: Client, capture: Any, **changes: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("needs:request_new"), form_data(**changes))


def confirm_path_from(email: Any) -> str:
    found = CONFIRM_LINK.search(email.body)
    assert found, email.body
    return found.group(1)


def french(message: str) -> str:
    with translation.override("fr"):
        return escape(error_message(message))


# Submitting.


def test_a_request_without_an_account_waits_unconfirmed_and_the_client_gets_a_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("needs:request_sent")
    request = Request.objects.get(title=TITLE)
    assert request.status == RequestStatus.UNCONFIRMED
    assert request.client_user is None
    assert request.language == "fr"
    assert request.commune.name == "Lyon"
    assert request.services == ["integration", "training"]
    assert [s.name for s in request.software.all()] == ["GLPI"]
    assert request.software_other == "Notre outil maison"
    assert request.budget == "10k-40k"
    assert AuditEntry.objects.filter(action="request.submit", object_id=str(request.pk)).exists()
    (email,) = mail.outbox
    assert email.to == ["dsi@test-sur-rhone.example"]
    secret = confirm_path_from(email).rstrip("/").rsplit("/", 1)[1]
    # Only the hash of the secret is kept.
    assert request.confirm_token_hash == secret_hash(secret) != secret
    assert request.confirm_expires_at > timezone.now() + timedelta(hours=47)


def test_the_page_after_sending_says_to_check_the_mailbox_and_shows_nothing_of_the_request(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks)
    page = client.get(response["Location"])
    assert page.status_code == 200
    with translation.override("fr"):
        assert escape(gettext("Check your mailbox")) in page.content.decode()
    assert TITLE not in page.content.decode()
    assert "test-sur-rhone" not in page.content.decode()


def test_a_request_sent_in_english_is_answered_in_english(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en" + reverse("needs:request_new"), form_data())
    assert response.status_code == 302
    assert Request.objects.get(title=TITLE).language == "en"
    (email,) = mail.outbox
    assert "/en/demande/confirmer/" in email.body
    assert "To confirm it, open this link" in email.body


def test_a_signed_in_person_finds_its_contact_filled_in_and_the_request_is_its_own(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = demo["member"]
    client.force_login(person)
    page = client.get(reverse("needs:request_new"))
    assert f'value="{person.email}"' in page.content.decode()

    submit(client, django_capture_on_commit_callbacks, contact_email=person.email)

    assert Request.objects.get(title=TITLE).client_user == person


def test_tender_documents_are_stored_under_a_random_name(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    files = [
        SimpleUploadedFile("Règlement de consultation.pdf", PDF_BYTES, "application/pdf"),
        SimpleUploadedFile("CCTP.odt", odt_bytes(), "application/octet-stream"),
    ]
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        is_tender="on",
        tender_reference="2026-TEST-001",
        tender_deadline=(timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        documents=files,
    )
    assert response.status_code == 302
    request = Request.objects.get(title=TITLE)
    assert request.is_tender
    assert request.tender_reference == "2026-TEST-001"
    documents = list(request.documents.all())
    assert [(d.original_name, d.content_type) for d in documents] == [
        ("Règlement de consultation.pdf", "application/pdf"),
        ("CCTP.odt", "application/vnd.oasis.opendocument.text"),
    ]
    for document in documents:
        assert re.fullmatch(r"requests/[0-9a-f]{32}", document.file.name)
    assert documents[0].file.open("rb").read() == PDF_BYTES


# Confirming.


def test_opening_the_link_confirms_nothing_the_button_does_and_the_link_then_stops(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submit(client, django_capture_on_commit_callbacks)
    path = confirm_path_from(mail.outbox[0])
    mail.outbox.clear()

    # A mail scanner (or the client) opens the link: a page with a button, nothing confirmed.
    page = client.get(path)
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    request = Request.objects.get(title=TITLE)
    assert request.status == RequestStatus.UNCONFIRMED
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)

    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.confirmed_at is not None
    assert request.confirm_token_hash == ""
    assert response.status_code == 302
    assert response["Location"].startswith("/demande/suivi/")
    assert client.get(response["Location"]).status_code == 200
    assert AuditEntry.objects.filter(action="request.confirm", object_id=str(request.pk)).exists()
    # The client is told, with its follow-up link; every coordinator is told, with theirs.
    to_client = [e for e in mail.outbox if e.to == ["dsi@test-sur-rhone.example"]]
    assert len(to_client) == 1
    follow = FOLLOW_LINK.search(to_client[0].body)
    assert follow is not None
    assert client.get(follow.group(1)).status_code == 200
    to_coordinators = [e for e in mail.outbox if e not in to_client]
    assert demo["coordinator"].email in {a for e in to_coordinators for a in e.to}
    coordination = reverse("needs:coordination_request", args=[request.pk])
    assert all(BASE + coordination in e.body for e in to_coordinators)

    # Single use: the same link now opens nothing, and confirms nothing twice.
    mail.outbox.clear()
    again = client.get(path)
    assert again.status_code == 404
    assert escape(error_message("link_unknown")) in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 404
    assert mail.outbox == []


def test_an_expired_link_says_so_and_what_to_do(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    submit(client, django_capture_on_commit_callbacks)
    path = confirm_path_from(mail.outbox[0])
    Request.objects.filter(title=TITLE).update(
        confirm_expires_at=timezone.now() - timedelta(minutes=1)
    )

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        assert french("link_expired") in response.content.decode()
        assert reverse("needs:request_new") in response.content.decode()
    assert Request.objects.get(title=TITLE).status == RequestStatus.UNCONFIRMED


@pytest.mark.parametrize("token", ["not-a-link", "a" * 43])
def test_an_unknown_link_is_a_clear_page_not_an_error(client: Client, token: str) -> None:
    response = client.get(reverse("needs:request_confirm", args=[token]))
    assert response.status_code == 404
    assert french("link_unknown") in response.content.decode()


# Robots and floods.


def test_a_filled_honeypot_looks_sent_but_keeps_nothing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:request_sent")
    assert not Request.objects.filter(title=TITLE).exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people_and_keyboards(client: Client) -> None:
    page = client.get(reverse("needs:request_new")).content.decode()
    wrapper = re.search(r'<div class="hp" aria-hidden="true">(.*?)</div>\s*</div>', page, re.S)
    assert wrapper, "the honeypot sits in its hidden wrapper"
    assert 'tabindex="-1"' in wrapper.group(1)
    assert 'autocomplete="off"' in wrapper.group(1)


def test_too_many_requests_from_one_address_are_refused_without_losing_the_text(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    for number in range(RATE_LIMIT):
        response = submit(client, django_capture_on_commit_callbacks, title=f"Besoin {number}")
        assert response.status_code == 302

    response = submit(client, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    page = response.content.decode()
    assert french("rate_limited") in page
    assert f'value="{TITLE}"' in page
    assert "Trois cents postes à inventorier" in page
    assert not Request.objects.filter(title=TITLE).exists()
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.7")
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(reverse("needs:request_new"), form_data()).status_code == 302


# What the form refuses, said next to the field.


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S)
    assert found, f"no error shown next to {field}"
    return found.group(1)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        pytest.param({"services": None}, "services", "no_service", id="no-service-kind"),
        pytest.param(
            {"start_date": in_days(30), "end_date": in_days(10)},
            "end_date",
            "end_before_start",
            id="end-before-start",
        ),
        pytest.param({"start_date": in_days(-1)}, "start_date", "date_in_past", id="start-past"),
        pytest.param(
            {"is_tender": "on", "tender_deadline": in_days(20) + "T12:00"},
            "tender_reference",
            "tender_reference_required",
            id="tender-without-reference",
        ),
        pytest.param(
            {"is_tender": "on", "tender_reference": "AO-1"},
            "tender_deadline",
            "tender_deadline_required",
            id="tender-without-deadline",
        ),
        pytest.param(
            {"is_tender": "on", "tender_reference": "AO-1", "tender_deadline": in_days(-2)},
            "tender_deadline",
            "tender_deadline_past",
            id="tender-deadline-past",
        ),
    ],
)
def test_each_rule_is_said_next_to_its_field(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    changes: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, **changes)

    assert response.status_code == 400
    page = response.content.decode()
    assert french(code) in field_error(page, field)
    # The summary on top links to the field (the first box of a group).
    assert f'href="#id_{field}' in page
    assert not Request.objects.filter(title=TITLE).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("city", "name"),
    [
        ("Le Mans", "Le Mans"),
        ("Paris", "Paris"),
        ("Saint-Étienne", "Saint-Étienne"),
        ("st etienne", "Saint-Étienne"),
    ],
)
def test_a_city_is_found_by_its_full_name_or_with_saint_abbreviated(
    client: Client, django_capture_on_commit_callbacks: Any, city: str, name: str
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, city=city)

    assert response.status_code == 302, field_error(response.content.decode(), "city")
    assert Request.objects.get(title=TITLE).commune.name == name


def test_an_unknown_city_is_said_next_to_the_field(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, city="Zzyzx-sur-Mer")
    assert response.status_code == 400
    assert "Zzyzx-sur-Mer" in field_error(response.content.decode(), "city")


def tender(**changes: Any) -> dict[str, Any]:
    return {
        "is_tender": "on",
        "tender_reference": "AO-1",
        "tender_deadline": in_days(20) + "T12:00",
        **changes,
    }


def test_a_document_named_pdf_that_is_not_one_is_refused(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    fake = SimpleUploadedFile("cctp.pdf", b"MZ\x90\x00 a program", "application/pdf")
    response = submit(client, django_capture_on_commit_callbacks, **tender(documents=[fake]))
    assert response.status_code == 400
    page = response.content.decode()
    with translation.override("fr"):
        expected = escape(error_message("document_content", name="cctp.pdf"))
    assert expected in field_error(page, "documents")
    # A refused file is not kept for the next sending (test_intake_kept_documents.py).
    assert 'name="documents-kept"' not in page
    assert not Request.objects.filter(title=TITLE).exists()


def test_a_document_too_large_is_refused(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GUICHET_REQUEST_MAX_DOCUMENT_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 1024 * 1024, "application/pdf")
    response = submit(client, django_capture_on_commit_callbacks, **tender(documents=[big]))
    assert response.status_code == 400
    with translation.override("fr"):
        expected = escape(error_message("document_too_large", name="big.pdf", max=1))
    assert expected in field_error(response.content.decode(), "documents")


def test_documents_go_with_a_tender_only_and_not_too_many(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GUICHET_REQUEST_MAX_DOCUMENTS = 2

    def pdf(number: int) -> SimpleUploadedFile:
        return SimpleUploadedFile(f"piece-{number}.pdf", PDF_BYTES, "application/pdf")

    response = submit(client, django_capture_on_commit_callbacks, documents=[pdf(1)])
    assert french("documents_without_tender") in field_error(response.content.decode(), "documents")

    response = submit(
        client, django_capture_on_commit_callbacks, **tender(documents=[pdf(n) for n in range(3)])
    )
    with translation.override("fr"):
        expected = escape(error_message("too_many_documents", max=2))
    assert expected in field_error(response.content.decode(), "documents")
    assert not Request.objects.filter(title=TITLE).exists()


def test_a_refused_form_keeps_what_was_typed(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks, services=None)
    page = response.content.decode()
    assert f'value="{TITLE}"' in page
    assert 'value="glpi, Notre outil maison"' in page
    assert 'value="Lyon"' in page
    assert "aria-invalid" not in re.search(r'<input[^>]*id="id_title"[^>]*>', page).group(0)


def test_every_refusal_of_the_intake_has_its_own_message() -> None:
    from pathlib import Path

    import guichet.needs
    from guichet.needs.messages import MESSAGES

    root = Path(guichet.needs.__file__).parent
    # The documents' checks moved to core (governance attaches documents too).
    sources = [
        root / "services/intake.py",
        root / "services/links.py",
        root / "services/thread.py",
        root.parent / "core/documents.py",
    ]
    raised = re.compile(r"""(?:Error)\(\s*["']([a-z_]+)["']""")
    codes = {code for path in sources for code in raised.findall(path.read_text())}
    assert {"link_expired", "document_content", "no_service"} <= codes
    assert not codes - set(MESSAGES), sorted(codes - set(MESSAGES))
