"""A client's tender documents survive a form refused for another field.

The client attaches the consultation's PDF, forgets the deadline and sends: the form comes
back with its errors, and says the document is kept; corrected and sent again (the browser's
file input empty, as browsers never fill it in again), the request carries its document.
The form is read back from the page as a browser would send it (tests/html_forms.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from guichet.core.forms.keeping import MESSAGES
from guichet.core.forms.uploads import FOLDER
from guichet.needs.models import Request
from guichet.needs.tests.test_documents import PDF_BYTES
from guichet.needs.tests.test_intake import TITLE, form_data, in_days
from tests.html_forms import page_form, submission, submit

pytestmark = pytest.mark.django_db

URL = reverse("needs:request_new")
KEPT = "documents-kept"
PAGE_FORM = ".//input[@name='documents']"


@pytest.fixture(autouse=True)
def _nothing_kept_yet() -> None:
    """The tests' storage lives as long as the process: start each test with none kept."""
    for name in stored_kept_files():
        default_storage.delete(f"{FOLDER}/{name}")


def pdf(name: str = "CCTP lot 1.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def tender_without_deadline(client: Client, *documents: Any) -> Any:
    data = form_data(is_tender="on", tender_reference="AO-2027-04", tender_deadline="")
    return client.post(URL, {**data, "documents": list(documents)})


def kept_tokens(response: Any) -> list[str]:
    return [value for name, value in sent_back(response) if name == KEPT]


def sent_back(response: Any) -> list[tuple[str, str]]:
    return submission(page_form(response.content, having=PAGE_FORM))


def resend(client: Client, response: Any, **changes: Any) -> Any:
    """The page's form sent again as the browser would, with what the person corrected."""
    form = page_form(response.content, having=PAGE_FORM)
    return submit(client, URL, form, changes=changes)


def stored_kept_files() -> list[str]:
    try:
        return default_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def test_a_document_attached_to_a_refused_form_is_kept_and_goes_with_the_request(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    refused = tender_without_deadline(client, pdf())

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "CCTP lot 1.pdf" in page
    with translation.override("fr"):
        said = gettext("The files you attached are kept: you need not attach them again.")
    assert escape(said) in page  # in the error summary, announced on arrival
    assert len(kept_tokens(refused)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        sent = resend(client, refused, tender_deadline=in_days(30) + "T12:00")

    assert sent.status_code == 302, sent.content.decode()[:2000]
    request = Request.objects.get(title=TITLE)
    (document,) = request.documents.all()
    assert document.original_name == "CCTP lot 1.pdf"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert stored_kept_files() == []  # taken back: nothing waits any more


def test_kept_and_newly_chosen_documents_go_together(client: Client) -> None:
    refused = tender_without_deadline(client, pdf("CCTP.pdf"))
    form = page_form(refused.content, having=PAGE_FORM)

    sent = submit(
        client,
        URL,
        form,
        changes={"tender_deadline": in_days(30) + "T12:00"},
        files={"documents": [pdf("RC.pdf")]},
    )

    assert sent.status_code == 302
    names = Request.objects.get(title=TITLE).documents.values_list("original_name", flat=True)
    assert sorted(names) == ["CCTP.pdf", "RC.pdf"]


def test_a_kept_document_unticked_is_left_out(client: Client) -> None:
    refused = tender_without_deadline(client, pdf())

    sent = resend(client, refused, tender_deadline=in_days(30) + "T12:00", **{KEPT: []})

    assert sent.status_code == 302
    assert not Request.objects.get(title=TITLE).documents.exists()


def test_a_document_stays_kept_through_several_refusals(client: Client) -> None:
    first = tender_without_deadline(client, pdf())
    second = resend(client, first, title="")  # another mistake, deadline still missing

    assert second.status_code == 400
    assert "CCTP lot 1.pdf" in second.content.decode()
    sent = resend(client, second, title=TITLE, tender_deadline=in_days(30) + "T12:00")

    assert sent.status_code == 302
    assert Request.objects.get(title=TITLE).documents.count() == 1


def test_a_refused_document_is_not_kept_and_says_why(client: Client) -> None:
    refused = tender_without_deadline(client, pdf("programme.pdf", b"MZ\x90\x00 a program"))

    assert refused.status_code == 400
    assert kept_tokens(refused) == []
    assert stored_kept_files() == []


def test_another_browser_cannot_take_the_kept_document(client: Client) -> None:
    refused = tender_without_deadline(client, pdf())
    stranger = Client()

    sent = resend(stranger, refused, tender_deadline=in_days(30) + "T12:00")

    assert sent.status_code == 400
    with translation.override("fr"):
        said = str(MESSAGES["kept_file_unknown"])
    assert escape(said) in sent.content.decode()
    assert not Request.objects.filter(title=TITLE).exists()
    assert len(stored_kept_files()) == 1  # still there for its owner, until it expires


def test_a_forged_or_reused_token_takes_nothing(client: Client) -> None:
    refused = tender_without_deadline(client, pdf())
    (token,) = kept_tokens(refused)
    deadline = in_days(30) + "T12:00"

    forged = resend(client, refused, tender_deadline=deadline, **{KEPT: token[:-2] + "xx"})
    assert forged.status_code == 400

    taken = resend(client, refused, tender_deadline=deadline)
    assert taken.status_code == 302
    again = resend(client, refused, tender_deadline=deadline, title="Une deuxième demande")
    assert again.status_code == 400  # used once: the file went with the first request
    assert Request.objects.filter(documents__isnull=False).filter(title=TITLE).count() == 1


def test_a_kept_document_expires_and_the_form_says_to_attach_it_again(
    client: Client, settings: Any
) -> None:
    refused = tender_without_deadline(client, pdf())

    later = timezone.now() + timedelta(hours=settings.GUICHET_KEPT_UPLOAD_HOURS + 1)
    with time_machine.travel(later, tick=False):
        sent = resend(client, refused, tender_deadline=in_days(31) + "T12:00")

    assert sent.status_code == 400
    page = sent.content.decode()
    assert "CCTP lot 1.pdf" in page
    with translation.override("fr"):
        said = str(MESSAGES["kept_file_expired"]) % {"name": "CCTP lot 1.pdf", "hours": 24}
    assert escape(said) in page
    assert not Request.objects.filter(title=TITLE).exists()
