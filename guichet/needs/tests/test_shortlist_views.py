"""Shortlists as pages: coordinators build and send them, the client chooses on its page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.core.models import AuditEntry
from guichet.needs.demo import QUALIFIED_TITLE, SHORTLISTED_TITLE
from guichet.needs.models import (
    Lot,
    MatchingRun,
    MemberResponse,
    Request,
    RequestMessage,
    RequestStatus,
    ShortlistEntry,
)
from guichet.needs.services.links import follow_token
from guichet.needs.services.matching import run_result
from guichet.needs.services.shortlists import shortlist_propose
from guichet.network.models import Organisation

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _qualified_lot(position: int = 1) -> Lot:
    return Lot.objects.select_related("request").get(
        request__title=QUALIFIED_TITLE, position=position
    )


def _run(lot: Lot) -> MatchingRun:
    run = lot.runs.order_by("-created_at", "-pk").first()
    assert run is not None
    return run


def _en(name: str, *args: Any) -> str:
    """The English page's path, whatever language a request left active."""
    with translation.override("fr"):
        return "/en" + reverse(name, args=args)


def _follow(request: Request) -> str:
    return _en("needs:request_follow", follow_token(request))


# --- Coordinators ----------------------------------------------------------------------------


def test_the_coordinator_adds_and_removes_a_member_from_the_ranking(
    demo: Any, client_as: Any
) -> None:
    lot, client = _qualified_lot(), client_as(demo["coordinator"])
    run = _run(lot)
    first = run_result(run)["ranked"][0]

    response = client.post(
        _en("needs:coordination_shortlist_add", lot.pk),
        {"run": run.pk, "organisation": first["organisation"]},
        follow=True,
    )

    entry = ShortlistEntry.objects.get(lot=lot, organisation_id=first["organisation"])
    assert entry.rank == 1
    assert entry.added_by == demo["coordinator"]
    assert f"{first['name']} is on the shortlist." in _messages(response)
    text = _text(response)
    assert "On the shortlist ✓" in text
    assert "Shortlist: 1 member" in text

    response = client.post(
        _en("needs:coordination_shortlist_remove", lot.pk, entry.pk), {"run": run.pk}, follow=True
    )

    assert not ShortlistEntry.objects.filter(pk=entry.pk).exists()
    assert f"{first['name']} is off the shortlist." in _messages(response)
    assert AuditEntry.objects.filter(action="shortlist.remove").exists()


def test_an_excluded_organisation_cannot_be_added(demo: Any, client_as: Any) -> None:
    lot = _qualified_lot()
    far = Organisation.objects.get(slug="tickets-libres")

    response = client_as(demo["coordinator"]).post(
        _en("needs:coordination_shortlist_add", lot.pk),
        {"run": _run(lot).pk, "organisation": far.pk},
        follow=True,
    )

    assert not ShortlistEntry.objects.filter(lot=lot, organisation=far).exists()
    assert (
        "This organisation was not ranked for the lot: only ranked members can be proposed."
        in _messages(response)
    )


def test_the_coordinator_proposes_the_best_and_writes_notes(demo: Any, client_as: Any) -> None:
    lot, client = _qualified_lot(2), client_as(demo["coordinator"])
    run = _run(lot)

    response = client.post(
        _en("needs:coordination_shortlist_propose", lot.pk), {"run": run.pk}, follow=True
    )

    wanted = [
        e["organisation"] for e in run_result(run)["ranked"][: settings.GUICHET_SHORTLIST_SIZE]
    ]
    entries = list(lot.shortlist.order_by("rank"))
    assert [entry.organisation_id for entry in entries] == wanted
    assert f"Propose the best {settings.GUICHET_SHORTLIST_SIZE}" in _text(response)

    entry = entries[0]
    client.post(
        _en("needs:coordination_shortlist_note", lot.pk, entry.pk), {"note": "  Très réactif. "}
    )

    entry.refresh_from_db()
    assert entry.note == "Très réactif."
    assert AuditEntry.objects.filter(action="shortlist.note", actor_id=demo["coordinator"].pk)
    assert (
        "Très réactif."
        in client.get(_en("needs:coordination_lot_ranking", lot.pk)).content.decode()
    )


def test_an_entry_of_another_lot_is_not_found(demo: Any, client_as: Any) -> None:
    entry = ShortlistEntry.objects.filter(lot__request__title=SHORTLISTED_TITLE).first()
    assert entry is not None
    response = client_as(demo["coordinator"]).post(
        _en("needs:coordination_shortlist_note", _qualified_lot().pk, entry.pk), {"note": "x"}
    )
    assert response.status_code == 404


def test_the_coordinator_sends_the_shortlists_from_the_request_s_page(
    demo: Any, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request = Request.objects.get(title=QUALIFIED_TITLE)
    client = client_as(demo["coordinator"])
    first, second = request.lots.order_by("position")
    shortlist_propose(lot=first, run=_run(first), by=demo["coordinator"], size=2)

    response = client.post(_en("needs:coordination_shortlist_send", request.pk), follow=True)

    assert "Every lot needs at least one proposed member before sending." in _messages(response)
    text = _text(response)
    assert "Lot 1 (Gestion de parc avec GLPI): 2 members proposed — 2 not sent yet" in text
    assert "Lot 2 (Partage de fichiers Nextcloud hébergé): 0 members proposed" in text

    shortlist_propose(lot=second, run=_run(second), by=demo["coordinator"], size=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_en("needs:coordination_shortlist_send", request.pk), follow=True)

    assert "The shortlists are sent to the client: 3 new proposals." in _messages(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.SHORTLISTED
    assert any(request.contact_email in message.to for message in mail.outbox)


def test_a_chosen_member_cannot_be_removed(demo: Any, client_as: Any) -> None:
    entry = ShortlistEntry.objects.filter(lot__request__title=SHORTLISTED_TITLE).first()
    assert entry is not None
    Client().post(_en("needs:request_choose", follow_token(entry.lot.request), entry.pk))

    response = client_as(demo["coordinator"]).post(
        _en("needs:coordination_shortlist_remove", entry.lot_id, entry.pk), follow=True
    )

    assert ShortlistEntry.objects.filter(pk=entry.pk).exists()
    assert "The client already chose this member for the lot." in _messages(response)


# --- The client --------------------------------------------------------------------------------


@pytest.fixture
def shortlisted() -> Request:
    return Request.objects.get(title=SHORTLISTED_TITLE)


def test_the_demo_client_sees_the_members_proposed_with_their_reasons(
    shortlisted: Request,
) -> None:
    entries = list(ShortlistEntry.objects.filter(lot__request=shortlisted).order_by("rank"))
    assert len(entries) == 3
    assert shortlisted.status == RequestStatus.SHORTLISTED
    assert entries[0].member_response == MemberResponse.ACCEPTED

    response = Client().get(_follow(shortlisted))

    assert response.status_code == 200
    text = _text(response)
    assert "The members proposed to you" in text
    for entry in entries:
        assert entry.organisation.name in text
    assert "Software fit : is a core contributor to Moodle (verified)" in text
    # A remote lot: no "397 km away" for work that does not depend on it.
    assert "Proximity : distance does not count for remote work (the same for everyone)" in text
    assert not re.search(r"\d+ km away", text)
    assert "The member's answer: Available" in text
    assert f"/{entries[0].organisation.slug}/" in response.content.decode()
    assert text.count("Choose this provider") == 3


def test_the_client_reads_what_the_fair_spread_does_not_other_clients_awards(
    shortlisted: Request,
) -> None:
    """How much work a member received comes from other clients' awards: the client sees the
    component's effect, the coordinators keep the figure."""
    entry = ShortlistEntry.objects.filter(lot__request=shortlisted).order_by("rank").first()
    assert entry is not None
    spread = next(c for c in entry.explanation["components"] if c["name"] == "spread")
    spread["reason"] = {"code": "recent_work", "params": {"days": 200.0, "window_days": 365}}
    entry.save()
    text = _text(Client().get(_follow(shortlisted)))
    assert "Fair spread : favours members who received less work recently" in text
    assert "received 200 days" not in text
    with translation.override("fr"):
        page = Client().get(reverse("needs:request_follow", args=[follow_token(shortlisted)]))
    french = unescape(page.content.decode())
    assert (
        "<strong>Répartition équitable</strong>\u00a0: favorise les membres qui ont reçu moins "
        "de travail récemment"
    ) in french
    assert "a reçu 200 jours" not in french
    # The client's API says the same (in the site's language, French).
    status = Client().get("/api/v1/requests/status", {"token": follow_token(shortlisted)})
    sentences = [
        reason
        for lot in status.json()["lots"]
        for item in lot["shortlist"]
        for reason in item["reasons"]
    ]
    assert "favorise les membres qui ont reçu moins de travail récemment" in sentences
    assert not [sentence for sentence in sentences if "200" in sentence]


def test_the_client_chooses_and_cannot_choose_twice(
    shortlisted: Request, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = ShortlistEntry.objects.filter(lot__request=shortlisted).order_by("rank")[:2]
    token = follow_token(shortlisted)
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_en("needs:request_choose", token, first.pk), follow=True)

    first.refresh_from_db()
    assert first.chosen_at is not None
    text = _text(response)
    assert f"You chose {first.organisation.name}." in text
    assert "Choose this provider" not in text
    assert "Ask for more candidates" not in text

    for entry in (first, second):
        response = client.post(_en("needs:request_choose", token, entry.pk), follow=True)
        assert "A provider is already chosen for this lot." in _messages(response)
    second.refresh_from_db()
    assert second.chosen_at is None


def test_a_member_that_declined_cannot_be_chosen(shortlisted: Request) -> None:
    entry = ShortlistEntry.objects.filter(lot__request=shortlisted).order_by("rank")[1]
    ShortlistEntry.objects.filter(pk=entry.pk).update(member_response=MemberResponse.DECLINED)

    response = Client().post(
        _en("needs:request_choose", follow_token(shortlisted), entry.pk), follow=True
    )

    assert "This member declined the lot: it cannot be chosen." in _messages(response)
    entry.refresh_from_db()
    assert entry.chosen_at is None


def test_asking_for_more_candidates_emails_the_coordinators(
    demo: Any, shortlisted: Request, django_capture_on_commit_callbacks: Any
) -> None:
    lot = shortlisted.lots.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            _en("needs:request_ask_more", follow_token(shortlisted), lot.pk),
            {"message": "Un prestataire proche de Bordeaux serait idéal."},
            follow=True,
        )

    assert "Your request for more candidates is sent to the coordinators." in _messages(response)
    lot.refresh_from_db()
    assert lot.more_candidates_asked_at is not None
    message = RequestMessage.objects.filter(request=shortlisted).latest("pk")
    assert message.from_client
    assert "Un prestataire proche de Bordeaux serait idéal." in message.body
    assert demo["coordinator"].email in {to for sent in mail.outbox for to in sent.to}
    assert AuditEntry.objects.filter(action="shortlist.ask_more").exists()


def test_a_token_opens_only_its_own_request_s_entries_and_lots(shortlisted: Request) -> None:
    other = Request.objects.get(title=QUALIFIED_TITLE)
    entry = ShortlistEntry.objects.filter(lot__request=shortlisted).first()
    assert entry is not None
    token = follow_token(other)
    client = Client()

    assert client.post(_en("needs:request_choose", token, entry.pk)).status_code == 404
    assert client.post(_en("needs:request_ask_more", token, entry.lot_id)).status_code == 404
    entry.refresh_from_db()
    assert entry.chosen_at is None


def test_the_follow_page_reads_in_a_constant_number_of_queries(shortlisted: Request) -> None:
    client = Client()
    url = _follow(shortlisted)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    first = ShortlistEntry.objects.filter(lot__request=shortlisted).order_by("rank").first()
    assert first is not None
    ShortlistEntry.objects.filter(lot__request=shortlisted).exclude(pk=first.pk).delete()
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)

    assert _text(response).count("Choose this provider") == 1
    assert len(one) == len(three)
