"""Opting out of kinds of email, and back in: the page of My space, the service, the checks
every sender makes, the audit log and the personal-data export."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from guichet.accounts import notifications
from guichet.accounts.models import NotificationOptOut
from guichet.accounts.notifications import (
    NotificationError,
    NotificationKind,
    kinds,
    recipients_wanting,
    wants_email,
)
from guichet.accounts.personal_data import export
from guichet.accounts.services import notification_preferences_set
from guichet.accounts.tests.factories import UserFactory
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEWS = "test_news"
DIGEST = "test_digest"


def in_french(message: str) -> str:
    """A message as the French page writes it (translated, then escaped as HTML)."""
    with translation.override("fr"):
        return escape(translation.gettext(message))


@pytest.fixture(autouse=True)
def _test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two kinds of our own, next to those the apps register, removed after each test."""
    monkeypatch.setitem(notifications._kinds, NEWS, NotificationKind(NEWS, "Network news"))
    monkeypatch.setitem(
        notifications._kinds,
        DIGEST,
        NotificationKind(DIGEST, "Weekly digest", "A summary every Monday."),
    )


def every_kind() -> set[str]:
    return {kind.key for kind in kinds()}


def test_everyone_receives_every_kind_until_opting_out() -> None:
    person = UserFactory.create()

    assert wants_email(person, NEWS)
    assert notifications.receiving(person) == every_kind()


def test_opting_out_stops_the_kind_for_that_person_only() -> None:
    person, other = UserFactory.create(), UserFactory.create()

    notification_preferences_set(person=person, receive=every_kind() - {NEWS})

    assert not wants_email(person, NEWS)
    assert wants_email(person, DIGEST)
    assert wants_email(other, NEWS)
    assert recipients_wanting([person, other], NEWS) == [other]
    assert recipients_wanting([person, other], DIGEST) == [person, other]


def test_opting_back_in_receives_again() -> None:
    person = UserFactory.create()
    notification_preferences_set(person=person, receive=set())

    notification_preferences_set(person=person, receive={NEWS})

    assert wants_email(person, NEWS)
    assert not wants_email(person, DIGEST)
    assert recipients_wanting([person], NEWS) == [person]


def test_the_change_is_audited_with_the_kinds_only() -> None:
    person = UserFactory.create()

    notification_preferences_set(person=person, receive=every_kind() - {NEWS, DIGEST})
    notification_preferences_set(person=person, receive=every_kind() - {DIGEST})

    entries = list(
        AuditEntry.objects.filter(action__startswith="notifications.").order_by("sequence")
    )
    assert [(e.action, e.data) for e in entries] == [
        ("notifications.opt_out", {"kinds": [DIGEST, NEWS]}),
        ("notifications.opt_in", {"kinds": [NEWS]}),
    ]
    assert all(e.actor_id == person.pk for e in entries)
    assert person.email not in str([e.data for e in entries])


def test_saving_the_same_choices_again_writes_nothing() -> None:
    person = UserFactory.create()
    notification_preferences_set(person=person, receive=every_kind() - {NEWS})
    before = AuditEntry.objects.count()

    notification_preferences_set(person=person, receive=every_kind() - {NEWS})

    assert AuditEntry.objects.count() == before
    assert NotificationOptOut.objects.filter(person=person).count() == 1


def test_an_unknown_kind_is_refused_and_nothing_changes() -> None:
    person = UserFactory.create()

    with pytest.raises(NotificationError) as refused:
        notification_preferences_set(person=person, receive={"no_such_kind"})

    assert refused.value.code == "notification_kind_unknown"
    assert not NotificationOptOut.objects.filter(person=person).exists()


def test_the_export_lists_the_opt_outs() -> None:
    person = UserFactory.create()
    notification_preferences_set(person=person, receive=every_kind() - {DIGEST})

    exported = export(person)

    assert [item["kind"] for item in exported["email_opt_outs"]] == [DIGEST]
    assert exported["email_opt_outs"][0]["since"]


# The page.


def page() -> str:
    return reverse("accounts:notifications")


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(page())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_lists_every_kind_ticked_when_received(client_as: Any) -> None:
    person = UserFactory.create()
    notification_preferences_set(person=person, receive=every_kind() - {NEWS})

    html = client_as(person).get(page()).content.decode()

    for kind in kinds():
        assert f'value="{kind.key}"' in html
        assert escape(str(kind.label)) in html
    assert f'value="{NEWS}" id="id_receive_' in html
    news_box = html.split(f'value="{NEWS}"', 1)[1].split(">", 1)[0]
    digest_box = html.split(f'value="{DIGEST}"', 1)[1].split(">", 1)[0]
    assert "checked" not in news_box
    assert "checked" in digest_box
    assert "aria-describedby" in digest_box  # its help is tied to the box
    assert "A summary every Monday." in html


def test_unticking_a_box_and_saving_opts_out(client_as: Any) -> None:
    person = UserFactory.create()
    client = client_as(person)

    response = client.post(page(), {"receive": sorted(every_kind() - {DIGEST})}, follow=True)

    assert response.status_code == 200
    assert in_french("Your choices are saved.") in response.content.decode()
    assert not wants_email(person, DIGEST)
    assert wants_email(person, NEWS)


def test_saving_with_no_box_ticked_opts_out_of_everything(client_as: Any) -> None:
    person = UserFactory.create()

    client_as(person).post(page(), {})

    assert notifications.receiving(person) == set()
    assert notifications.opted_out(person) == every_kind()


def test_a_forged_kind_gets_a_message_and_changes_nothing(client_as: Any) -> None:
    person = UserFactory.create()

    response = client_as(person).post(page(), {"receive": [NEWS, "no_such_kind"]})

    assert response.status_code == 400
    html = response.content.decode()
    refusal = in_french(
        "“%(value)s” is not a kind of email this site sends: reload the page and choose again."
    )
    assert refusal % {"value": "no_such_kind"} in html
    assert 'aria-describedby="id_receive_error"' in html
    assert not NotificationOptOut.objects.filter(person=person).exists()


def test_my_space_links_to_the_page(client_as: Any, demo: dict[str, Any]) -> None:
    html = client_as(demo["member"]).get(reverse("web:dashboard")).content.decode()

    assert f'href="{page()}"' in html
