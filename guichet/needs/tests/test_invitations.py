"""A provider of the client's own: invited by a single-use, expiring link, it describes itself
briefly, is ranked by the same rules as members, and the client may choose it.

The demo's Moodle request has its shortlist sent (three members proposed, one available);
its qualified GLPI/Nextcloud request has lots but no shortlist sent yet.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

import guichet.needs
from guichet.core.models import AuditEntry
from guichet.core.tokens import secret_hash
from guichet.needs.demo import QUALIFIED_TITLE, SHORTLISTED_TITLE
from guichet.needs.messages import MESSAGES, error_message
from guichet.needs.models import Lot, ProviderInvitation, Request, ShortlistEntry
from guichet.needs.personal_data import ERASED_EMAIL, erase, export
from guichet.needs.selectors_shortlists import follow_shortlists
from guichet.needs.services.invitations import (
    InvitationError,
    InvitedProfile,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_decline,
)
from guichet.needs.services.links import follow_token
from guichet.needs.services.matching import run_result
from guichet.needs.services.shortlists import client_choose
from guichet.network.models import Organisation, SoftwareLink

pytestmark = pytest.mark.django_db

INVITEE = "contact@cooperative-exemple.example"
VALID_SIREN = "123456782"


@pytest.fixture
def lot(demo: Any) -> Lot:
    return Lot.objects.select_related("request").get(request__title=SHORTLISTED_TITLE, position=1)


def _invite(lot: Lot, email: str = INVITEE, **extra: Any) -> tuple[ProviderInvitation, str]:
    return invitation_create(
        request=lot.request,
        lot=lot,
        organisation_name=extra.pop("organisation_name", "Coopérative Exemple"),
        email=email,
        message=extra.pop("message", "Nous avons travaillé ensemble en 2024."),
        **extra,
    )


def _profile(lot: Lot, **fields: Any) -> InvitedProfile:
    software = lot.software.first()
    assert software is not None
    assert lot.commune is not None
    values: dict[str, Any] = {
        "name": "Coopérative Exemple",
        "kind": "cooperative",
        "commune": lot.commune,
        "description": "Hébergement Moodle depuis 2015.",
        "capacity_days": 30,
        "roles": {software.pk: "host"},
        **fields,
    }
    return InvitedProfile(**values)


def _french(code: str, **params: Any) -> str:
    with translation.override("fr"):
        return escape(error_message(code, **params))


def _refused(code: str, call: Any) -> None:
    with pytest.raises(InvitationError) as error:
        call()
    assert error.value.code == code


# Inviting.


def test_an_invitation_is_a_hashed_expiring_secret_emailed_to_the_provider(
    lot: Lot, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, secret = _invite(lot)

    assert invitation.token_hash == secret_hash(secret) != secret
    assert len(secret) >= 40
    expected = timezone.now() + timedelta(days=settings.GUICHET_INVITATION_DAYS)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
    assert invitation.language == lot.request.language
    to_invitee = [m for m in mail.outbox if m.to == [INVITEE]]
    assert len(to_invitee) == 1
    body = to_invitee[0].body
    assert f"{settings.GUICHET_BASE_URL}/invitation/{secret}/" in body
    assert "Nous avons travaillé ensemble en 2024." in body
    # The coordinators are told too; the client's contact details never reach the invitee.
    assert any(m.to != [INVITEE] for m in mail.outbox)
    assert lot.request.contact_email not in body
    assert AuditEntry.objects.filter(action="invitation.create").exists()


def test_inviting_needs_the_shortlist_sent_and_the_lot_not_chosen(demo: Any, lot: Lot) -> None:
    qualified = Lot.objects.select_related("request").filter(request__title=QUALIFIED_TITLE)[0]
    _refused("invitation_not_open", lambda: _invite(qualified))

    entry = lot.shortlist.get(member_response="accepted")
    client_choose(entry=entry)
    _refused("lot_already_chosen", lambda: _invite(lot))


def test_a_lot_of_another_request_cannot_be_invited_on(lot: Lot) -> None:
    other = Request.objects.get(title=QUALIFIED_TITLE)
    _refused(
        "lot_of_another_request",
        lambda: invitation_create(
            request=other, lot=lot, organisation_name="X", email=INVITEE, message=""
        ),
    )


def test_the_same_address_waits_once_and_a_lot_has_at_most_three_waiting(lot: Lot) -> None:
    first, _secret = _invite(lot)
    _refused("invitation_pending", lambda: _invite(lot, email=INVITEE.upper()))
    _invite(lot, email="b@example.org")
    _invite(lot, email="c@example.org")
    _refused("too_many_invitations", lambda: _invite(lot, email="d@example.org"))

    # An answered invitation no longer waits: the same address may be invited again.
    invitation_decline(invitation=first)
    _invite(lot, email=INVITEE)


def test_bad_input_is_refused_by_the_service_too(lot: Lot) -> None:
    _refused("invitation_name_required", lambda: _invite(lot, organisation_name="  "))
    _refused("invitation_email_invalid", lambda: _invite(lot, email="not-an-address"))
    _refused("invitation_message_too_long", lambda: _invite(lot, message="x" * 2001))


# Opening the link.


def test_a_link_is_unknown_expired_or_used(lot: Lot) -> None:
    invitation, secret = _invite(lot)
    assert invitation_by_token(secret) == invitation
    _refused("invitation_unknown", lambda: invitation_by_token("nothing-here"))
    _refused("invitation_unknown", lambda: invitation_by_token(""))

    later = invitation.expires_at + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        _refused("invitation_expired", lambda: invitation_by_token(secret))

    invitation_decline(invitation=invitation)
    _refused("invitation_used", lambda: invitation_by_token(secret))


# Accepting.


def test_the_provider_brought_is_ranked_by_the_engine_shown_to_the_client_and_choosable(
    lot: Lot, django_capture_on_commit_callbacks: Any
) -> None:
    invitation, secret = _invite(lot)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry = invitation_accept(invitation=invitation_by_token(secret), profile=_profile(lot))

    organisation = entry.organisation
    assert not organisation.is_member
    assert organisation.capacity_days == 30
    assert organisation.kind == "cooperative"
    link = SoftwareLink.objects.get(organisation=organisation)
    assert link.role == "host"
    assert link.verified_at is None
    # Its rank, score and reasons come from the run made when it accepted, as for members.
    assert entry.brought_by_client
    assert entry.sent_at is not None
    assert entry.run is not None
    ranked = run_result(entry.run)["ranked"]
    position = next(i for i, e in enumerate(ranked, 1) if e["organisation"] == organisation.pk)
    assert entry.rank == position
    assert entry.score == ranked[position - 1]["total"]
    assert entry.explanation["components"][0]["name"] == "fit"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.organisation == organisation
    # The client sees it among the candidates, with its reasons, and may choose it.
    items = follow_shortlists(lot.request, [lot])
    shown = next(p for p in items[0]["entries"] if p["organisation"] == organisation)
    assert shown["reasons"]
    assert shown["may_choose"]
    client_choose(entry=entry)
    entry.refresh_from_db()
    assert entry.chosen_at is not None
    # The client (with its follow-up link) and the coordinators were told.
    recipients = [m.to[0] for m in mail.outbox]
    assert lot.request.contact_email in recipients
    assert len(recipients) >= 2
    assert AuditEntry.objects.filter(action="invitation.accept").exists()


def test_a_link_works_once(lot: Lot) -> None:
    invitation, secret = _invite(lot)
    invitation_accept(invitation=invitation, profile=_profile(lot))
    _refused("invitation_used", lambda: invitation_by_token(secret))
    _refused(
        "invitation_used",
        lambda: invitation_accept(invitation=invitation, profile=_profile(lot, name="Autre")),
    )
    assert not Organisation.objects.filter(name="Autre").exists()


def test_the_directory_organisation_with_the_same_siren_is_reused(lot: Lot) -> None:
    known = Organisation.objects.create(
        name="Déjà Connue", slug="deja-connue", kind="company", siren=VALID_SIREN
    )
    invitation, _secret = _invite(lot)
    count = Organisation.objects.count()

    entry = invitation_accept(
        invitation=invitation, profile=_profile(lot, name="Un autre nom", siren="123 456 782")
    )

    assert entry.organisation == known
    assert Organisation.objects.count() == count
    known.refresh_from_db()
    assert known.name == "Déjà Connue"  # an anonymous link never rewrites a profile


def test_a_bad_siren_or_a_taken_name_is_refused_and_nothing_is_kept(lot: Lot) -> None:
    invitation, _secret = _invite(lot)
    count = Organisation.objects.count()
    _refused(
        "siren_checksum",
        lambda: invitation_accept(invitation=invitation, profile=_profile(lot, siren="123456789")),
    )
    taken = Organisation.objects.filter(is_member=True).first()
    assert taken is not None
    _refused(
        "organisation_name_taken",
        lambda: invitation_accept(
            invitation=invitation, profile=_profile(lot, name=taken.name.upper())
        ),
    )
    assert Organisation.objects.count() == count
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_declined_or_expired_invitation_adds_nothing(
    lot: Lot, django_capture_on_commit_callbacks: Any
) -> None:
    before = ShortlistEntry.objects.filter(lot=lot).count()
    declined, _secret = _invite(lot)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_decline(invitation=declined)
    assert any(m.to == [lot.request.contact_email] for m in mail.outbox)
    _refused(
        "invitation_used", lambda: invitation_accept(invitation=declined, profile=_profile(lot))
    )

    expired, _secret = _invite(lot, email="late@example.org")
    with time_machine.travel(expired.expires_at + timedelta(seconds=1), tick=False):
        _refused(
            "invitation_expired",
            lambda: invitation_accept(invitation=expired, profile=_profile(lot)),
        )
    assert ShortlistEntry.objects.filter(lot=lot).count() == before
    assert not Organisation.objects.filter(name="Coopérative Exemple").exists()


def test_accepting_after_the_client_chose_is_refused(lot: Lot) -> None:
    invitation, _secret = _invite(lot)
    client_choose(entry=lot.shortlist.get(member_response="accepted"))
    _refused(
        "lot_already_chosen",
        lambda: invitation_accept(invitation=invitation, profile=_profile(lot)),
    )


# The client's pages.


def _invite_url(lot: Lot, token: str | None = None) -> str:
    return reverse("needs:request_invite", args=[token or follow_token(lot.request), lot.pk])


def _invite_data(lot: Lot, **fields: str) -> dict[str, str]:
    prefix = f"invite-{lot.pk}-"
    values = {"organisation_name": "Coopérative Exemple", "email": INVITEE, "message": "", **fields}
    return {prefix + key: value for key, value in values.items()}


def test_the_follow_page_offers_to_invite_per_lot(client: Client, lot: Lot) -> None:
    _invite(lot, organisation_name="Déjà Invitée")
    page = client.get(reverse("needs:request_follow", args=[follow_token(lot.request)]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/lots/{lot.pk}/inviter/" in html
    assert f'name="invite-{lot.pk}-email"' in html
    assert "Déjà Invitée" in html


def test_the_client_invites_from_its_link(
    client: Client, lot: Lot, django_capture_on_commit_callbacks: Any
) -> None:
    assert client.get(_invite_url(lot)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_invite_url(lot), _invite_data(lot))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#shortlist-lot-{lot.pk}")
    assert ProviderInvitation.objects.filter(lot=lot, email=INVITEE).exists()
    assert any(m.to == [INVITEE] for m in mail.outbox)


def test_bad_input_keeps_what_was_typed_and_says_why(client: Client, lot: Lot) -> None:
    response = client.post(_invite_url(lot), _invite_data(lot, email="pas-une-adresse"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Coopérative Exemple"' in html
    assert 'value="pas-une-adresse"' in html
    assert "aria-invalid" in html
    assert 'role="alert"' in html
    assert _french("invitation_email_invalid") in html

    _invite(lot)
    again = client.post(_invite_url(lot), _invite_data(lot))
    assert again.status_code == 400
    assert _french("invitation_pending") in again.content.decode()


def test_another_requests_link_cannot_invite_on_this_lot(client: Client, lot: Lot) -> None:
    other = follow_token(Request.objects.get(title=QUALIFIED_TITLE))
    assert client.post(_invite_url(lot, other), _invite_data(lot)).status_code == 404
    assert not ProviderInvitation.objects.filter(lot=lot).exists()


def test_a_lot_no_longer_open_says_so_instead_of_a_form(client: Client, lot: Lot) -> None:
    client_choose(entry=lot.shortlist.get(member_response="accepted"))
    html = client.get(_invite_url(lot)).content.decode()
    assert _french("lot_already_chosen") in html
    assert f'name="invite-{lot.pk}-email"' not in html


# The invited provider's pages.


def _accept_data(lot: Lot, **fields: str) -> dict[str, str]:
    software = lot.software.first()
    assert software is not None
    assert lot.commune is not None
    return {
        "answer": "accept",
        "name": "Coopérative Exemple",
        "kind": "cooperative",
        "siren": "",
        "city": re.findall(r"\d{5}", lot.commune.postal_codes)[0],
        "website": "https://cooperative-exemple.example",
        "description": "",
        "capacity_days": "20",
        f"role_{software.pk}": "maintainer",
        **fields,
    }


def test_the_invitation_page_shows_the_work_but_not_the_clients_contact(
    client: Client, lot: Lot
) -> None:
    _invitation, secret = _invite(lot)
    response = client.get(reverse("needs:invitation", args=[secret]))
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(lot.title) in html
    assert "Moodle" in html
    assert escape("Nous avons travaillé ensemble en 2024.") in html
    assert lot.request.contact_email not in html
    assert escape(lot.request.contact_name) not in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_the_provider_accepts_then_the_link_is_used(client: Client, lot: Lot) -> None:
    _invitation, secret = _invite(lot)
    url = reverse("needs:invitation", args=[secret])

    bad = client.post(url, _accept_data(lot, siren="123456789", name="Nom Gardé"))
    assert bad.status_code == 400
    assert 'value="Nom Gardé"' in bad.content.decode()
    assert _french("siren_checksum") in bad.content.decode()

    response = client.post(url, _accept_data(lot))
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:invitation_thanks")
    assert ShortlistEntry.objects.filter(
        lot=lot, brought_by_client=True, organisation__name="Coopérative Exemple"
    ).exists()
    assert client.get(response["Location"]).status_code == 200

    used = client.get(url)
    assert used.status_code == 410
    assert _french("invitation_used") in used.content.decode()


def test_unknown_and_expired_links_are_clear_pages(client: Client, lot: Lot) -> None:
    unknown = client.get(reverse("needs:invitation", args=["nothing-here"]))
    assert unknown.status_code == 404
    assert _french("invitation_unknown") in unknown.content.decode()

    invitation, secret = _invite(lot)
    with time_machine.travel(invitation.expires_at + timedelta(minutes=1), tick=False):
        expired = client.get(reverse("needs:invitation", args=[secret]))
    assert expired.status_code == 410
    assert _french("invitation_expired") in expired.content.decode()


def test_the_provider_declines(client: Client, lot: Lot) -> None:
    invitation, secret = _invite(lot)
    response = client.post(reverse("needs:invitation", args=[secret]), {"answer": "decline"})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.declined_at is not None


def test_the_page_speaks_english_under_en(client: Client, lot: Lot) -> None:
    _invitation, secret = _invite(lot)
    with translation.override("en"):
        url = reverse("needs:invitation", args=[secret])
    html = client.get(url).content.decode()
    assert "Accept the invitation" in html


# Personal data, and every refusal's sentence.


def test_the_invitees_address_is_exported_and_erased(demo: Any, lot: Lot) -> None:
    person = demo["member"]
    invitation, _secret = _invite(lot, email=person.email)
    assert export(person)["invitations_received"][0]["email"] == person.email.lower()

    erase(person)
    invitation.refresh_from_db()
    assert invitation.email == ERASED_EMAIL
    assert invitation.message == ""


NEEDS = Path(guichet.needs.__file__).parent
RAISED = re.compile(r"""InvitationError\(\s*["']([a-z_]+)["']\s*\)""")


def test_every_code_the_invitation_service_raises_has_its_own_message() -> None:
    raised = set(RAISED.findall((NEEDS / "services/invitations.py").read_text()))
    assert {"invitation_pending", "too_many_invitations", "invitation_expired"} <= raised
    assert not raised - set(MESSAGES), f"add to needs/messages.py: {raised - set(MESSAGES)}"
    assert {"siren_format", "siren_checksum"} <= set(MESSAGES)
