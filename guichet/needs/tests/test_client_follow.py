"""The client follows its request on a private page, opened by a signed link (no account
needed), or from its space when signed in; it sees only its own requests and documents.

The demo is loaded: a request qualified into two lots (GLPI near Lyon, Nextcloud), one to
qualify from the "client" login (with a message), a tender, one answered "not the right fit"
and one unconfirmed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.messages import error_message
from guichet.needs.models import Request, RequestDocument, RequestMessage, RequestStatus
from guichet.needs.services.links import follow_nonce_new, follow_token
from guichet.needs.tests.test_documents import PDF_BYTES

pytestmark = pytest.mark.django_db

TRAINING_TITLE = "Formation des agents à LibreOffice"


def demo_request(**lookup: Any) -> Request:
    return Request.objects.filter(**lookup).order_by("pk").first()


def follow_path(request: Request) -> str:
    return reverse("needs:request_follow", args=[follow_token(request)])


def add_document(request: Request, name: str = "CCTP.pdf") -> RequestDocument:
    document = RequestDocument(
        request=request, original_name=name, content_type="application/pdf", size=len(PDF_BYTES)
    )
    document.file.save(name, ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def french(code: str) -> str:
    with translation.override("fr"):
        return escape(error_message(code))


# The page.


def test_the_page_shows_where_the_request_stands_and_its_lots(client: Client) -> None:
    request = demo_request(title=QUALIFIED_TITLE)

    response = client.get(follow_path(request))

    assert response.status_code == 200
    page = response.content.decode()
    assert request.title in page
    assert escape(request.get_status_display()) in page
    # The steps, as an ordered list; the current one is marked for screen readers too.
    assert '<ol class="progress">' in page
    assert page.count('class="done"') == 2
    assert page.count('aria-current="step"') == 1
    # The lots: title, days, where, deadline.
    assert "Gestion de parc avec GLPI" in page
    assert "Partage de fichiers Nextcloud hébergé" in page
    assert "Lyon (69)" in page
    assert ">40<" in page
    assert ">25<" in page


def test_the_page_is_private_not_indexed_nor_cached_nor_leaking_its_address(
    client: Client,
) -> None:
    response = client.get(follow_path(demo_request(title=QUALIFIED_TITLE)))
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_an_answer_not_a_fit_shows_its_rationale(client: Client) -> None:
    request = demo_request(status=RequestStatus.NOT_A_FIT)
    page = client.get(follow_path(request)).content.decode()
    assert escape("aucun membre ne peut y intervenir légalement") in page
    assert page.count('aria-current="step"') == 1


def test_an_unconfirmed_request_has_no_reply_form_yet(client: Client) -> None:
    request = demo_request(status=RequestStatus.UNCONFIRMED)
    page = client.get(follow_path(request)).content.decode()
    assert 'name="body"' not in page


def test_an_expired_link_is_a_clear_410_page(client: Client) -> None:
    path = follow_path(demo_request(title=QUALIFIED_TITLE))
    later = timezone.now() + timedelta(days=settings.GUICHET_REQUEST_LINK_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.get(path)
    assert response.status_code == 410
    assert french("link_expired") in response.content.decode()


def test_an_unknown_or_revoked_link_is_a_clear_404_page(client: Client) -> None:
    request = demo_request(title=QUALIFIED_TITLE)
    path = follow_path(request)
    unknown = client.get(reverse("needs:request_follow", args=["nothing-signed-here"]))
    assert unknown.status_code == 404
    assert french("link_unknown") in unknown.content.decode()

    follow_nonce_new(request)
    request.save(update_fields=["follow_nonce"])
    assert client.get(path).status_code == 404


# Documents.


def test_a_document_is_downloaded_under_its_own_name_and_type(client: Client) -> None:
    request = demo_request(is_tender=True)
    document = add_document(request, "Règlement de consultation.pdf")
    token = follow_token(request)

    page = client.get(reverse("needs:request_follow", args=[token])).content.decode()
    url = reverse("needs:request_document", args=[token, document.pk])
    assert f'href="{url}"' in page
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "R%C3%A8glement%20de%20consultation.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_link_of_one_request_never_opens_the_document_of_another(client: Client) -> None:
    mine = demo_request(title=QUALIFIED_TITLE)
    theirs = add_document(demo_request(is_tender=True))
    url = reverse("needs:request_document", args=[follow_token(mine), theirs.pk])
    assert client.get(url).status_code == 404
    bad = reverse("needs:request_document", args=["nothing-signed-here", theirs.pk])
    assert client.get(bad).status_code == 404


# The thread.


def test_a_reply_reaches_the_coordinators(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request = demo_request(title=TRAINING_TITLE)
    path = follow_path(request)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"body": "Nous pouvons aussi accueillir en juin."})

    assert response.status_code == 302
    assert response["Location"] == path + "#thread"
    message = RequestMessage.objects.filter(request=request).order_by("-pk").first()
    assert message.body == "Nous pouvons aussi accueillir en juin."
    assert message.from_client
    assert message.author is None
    assert AuditEntry.objects.filter(action="request.message", object_id=str(request.pk)).exists()
    assert demo["coordinator"].email in {a for e in mail.outbox for a in e.to}
    assert all("Nous pouvons aussi accueillir en juin." in e.body for e in mail.outbox)
    assert "Nous pouvons aussi accueillir en juin." in client.get(path).content.decode()


def test_a_reply_of_the_signed_in_client_is_signed_with_its_account(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request = demo_request(title=TRAINING_TITLE)
    client.force_login(demo["client"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(follow_path(request), {"body": "Merci."})
    assert (
        RequestMessage.objects.filter(request=request).order_by("-pk")[0].author == (demo["client"])
    )


def test_an_empty_reply_is_refused_next_to_the_field(client: Client) -> None:
    request = demo_request(title=TRAINING_TITLE)
    count = request.messages.count()
    response = client.post(follow_path(request), {"body": "   "})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.content.decode()
    assert request.messages.count() == count


# One's own requests, signed in.


def test_my_requests_lists_only_ones_own(client: Client, demo: Any) -> None:
    person = demo["client"]
    own = demo_request(title=TRAINING_TITLE)
    # Sent with the person's email but without signing in: its own too, once confirmed.
    by_email = Request.objects.create(
        title="Hébergement de notre site",
        client_name="Ville de Saint-Aubin",
        client_kind="public_body",
        contact_name="Martine Lefèvre",
        contact_email=person.email.upper(),
        description="…",
        services=["hosting"],
        commune=own.commune,
        status=RequestStatus.SUBMITTED,
        follow_nonce="0" * 32,
    )
    unconfirmed = Request.objects.create(
        title="Pas encore confirmée",
        client_name="Ville de Saint-Aubin",
        client_kind="public_body",
        contact_name="Martine Lefèvre",
        contact_email=person.email,
        description="…",
        services=["hosting"],
        commune=own.commune,
    )
    client.force_login(person)

    response = client.get(reverse("needs:my_requests"))

    page = response.content.decode()
    assert response.status_code == 200
    assert escape(own.title) in page
    assert escape(by_email.title) in page
    assert unconfirmed.title not in page
    for other in Request.objects.exclude(pk__in=[own.pk, by_email.pk, unconfirmed.pk]):
        assert escape(other.title) not in page
    # Each links to its private page, with a link that works.
    link = reverse("needs:request_follow", args=[follow_token(own)])
    assert link in page
    assert client.get(link).status_code == 200


def test_someone_else_sees_none_of_them(client: Client, demo: Any) -> None:
    client.force_login(demo["member"])
    page = client.get(reverse("needs:my_requests")).content.decode()
    assert escape(TRAINING_TITLE) not in page
    assert "/demande/suivi/" not in page


def test_the_dashboard_links_to_ones_requests_only_when_there_are_some(
    client: Client, demo: Any
) -> None:
    url = reverse("needs:my_requests")
    client.force_login(demo["client"])
    assert url in client.get(reverse("web:dashboard")).content.decode()
    client.force_login(demo["member"])
    assert url not in client.get(reverse("web:dashboard")).content.decode()


def test_a_reply_before_confirming_is_refused_with_the_reason(client: Client) -> None:
    request = demo_request(status=RequestStatus.UNCONFIRMED)
    response = client.post(follow_path(request), {"body": "Bonjour"})
    assert response.status_code == 400
    assert french("request_not_confirmed") in response.content.decode()
    assert not request.messages.exists()
