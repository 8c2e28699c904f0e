"""A client contact without an account erases its details from its follow-up link."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import Request, RequestMessage
from guichet.needs.personal_data import ERASED_EMAIL, ERASED_NAME
from guichet.needs.services.links import follow_token
from guichet.needs.services.thread import message_post

pytestmark = pytest.mark.django_db


def qualified() -> Request:
    return Request.objects.filter(title=QUALIFIED_TITLE).order_by("pk").get()


def test_the_follow_up_page_offers_to_erase_one_s_details(client: Client) -> None:
    request = qualified()
    token = follow_token(request)

    page = client.get(reverse("needs:request_follow", args=[token])).content.decode()

    assert 'id="personal-data"' in page
    assert f'action="{reverse("needs:request_erase", args=[token])}"' in page


def test_without_the_confirmation_nothing_is_erased(client: Client) -> None:
    request = qualified()
    token = follow_token(request)

    response = client.post(reverse("needs:request_erase", args=[token]), follow=True)

    request.refresh_from_db()
    assert request.contact_email != ERASED_EMAIL
    assert response.redirect_chain[-1][0].endswith("#personal-data")
    with translation.override("fr"):
        refusal = escape(gettext("Tick the box to confirm: erasing your details cannot be undone."))
    assert refusal in response.content.decode()


def test_erasing_anonymises_the_contact_and_its_words_and_closes_the_links(
    client: Client,
) -> None:
    request = qualified()
    token = follow_token(request)
    message_post(request=request, body="Mon numéro direct : 06 12 34 56 78", from_client=True)
    written_by_coordinators = RequestMessage.objects.filter(
        request=request, from_client=False
    ).values_list("body", flat=True)
    kept = sorted(written_by_coordinators)

    response = client.post(reverse("needs:request_erase", args=[token]), {"confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("needs:request_erased"))
    request.refresh_from_db()
    assert (request.contact_name, request.contact_email, request.contact_phone) == (
        ERASED_NAME,
        ERASED_EMAIL,
        "",
    )
    assert request.title == QUALIFIED_TITLE  # the request itself stays
    from_client = RequestMessage.objects.filter(request=request, from_client=True)
    assert set(from_client.values_list("body", flat=True)) == {ERASED_NAME}
    assert sorted(written_by_coordinators) == kept  # the coordinators' words stay
    assert AuditEntry.objects.filter(action="request.contact_erase").exists()
    # The link that did it, and any other sent before, opens nothing any more.
    assert client.get(reverse("needs:request_follow", args=[token])).status_code == 404
    assert client.get(reverse("needs:request_erased")).status_code == 200
