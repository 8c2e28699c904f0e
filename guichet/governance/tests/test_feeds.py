"""The decision log's RSS and Atom feeds: valid XML, the latest decided proposals newest
first, each linking to its public page with its outcome and counts in plain text — in the
language of the address they are read at."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from guichet.accounts.models import User
from guichet.governance.models import Proposal
from guichet.governance.services.proposals import proposal_withdraw
from guichet.governance.tests.factories import discussed, opened, proposal
from guichet.governance.tests.test_log import (
    decided_consent,
    decided_election,
    decided_quickly,
    en,
    people,
)
from guichet.governance.views import log as log_views

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, built by Django


def atom(client: Client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, built by Django


def test_the_rss_feed_lists_the_decided_proposals_newest_first_with_their_counts(
    client: Client, coordinator: User
) -> None:
    adopted = decided_consent(coordinator)
    author, voter = people("Fanny Auteur", "Gilles Voix")
    rejected = decided_quickly(author, voter, "Porter la cotisation à 200 euros", adopt=False)
    Proposal.objects.filter(pk=adopted.pk).update(decided_at=timezone.now() - timedelta(days=3))
    running = discussed(proposal(author, title="Encore au vote"))
    opened(running)
    withdrawn = discussed(proposal(author, title="Retirée"))
    opened(withdrawn)
    proposal_withdraw(proposal=withdrawn, by=author)

    channel = rss(client, en("governance:feed_rss")).find("channel")

    assert channel is not None
    assert channel.findtext("title") == "Decisions of the network"
    assert channel.findtext("link") == "http://testserver" + en("governance:log")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        f"{rejected.reference} — {rejected.title}",
        f"{adopted.reference} — {adopted.title}",
    ]  # only what is decided: not the round under way, not the withdrawn proposal
    first, second = items
    assert first.findtext("link") == "http://testserver" + en(
        "governance:log_entry", rejected.reference
    )
    assert "Not adopted: at least one objection still stood" in (
        first.findtext("description") or ""
    )
    description = second.findtext("description") or ""
    assert description.startswith("Adopted by consent")
    assert "3 of 4 associates took a position (Consent: 1, Concern: 1, Objection: 1" in (
        description
    )
    assert "<" not in description  # plain text
    assert second.findtext("category") == "General"
    assert second.findtext("pubDate")


def test_the_atom_feed_holds_the_same_entries(client: Client, coordinator: User) -> None:
    adopted = decided_consent(coordinator)

    feed = atom(client, en("governance:feed_atom"))

    assert feed.findtext(f"{ATOM}title") == "Decisions of the network"
    assert feed.findtext(f"{ATOM}subtitle")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        f"{adopted.reference} — {adopted.title}"
    ]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == "http://testserver" + en("governance:log_entry", adopted.reference)
    assert "Adopted by consent" in (entries[0].findtext(f"{ATOM}summary") or "")
    assert entries[0].findtext(f"{ATOM}updated")


def test_the_feeds_follow_the_language_of_their_address(client: Client, coordinator: User) -> None:
    adopted = decided_consent(coordinator)

    channel = rss(client, "/decisions/flux.rss").find("channel")

    assert channel is not None
    assert channel.findtext("language") == "fr"
    assert channel.findtext("link") == "http://testserver/decisions/"
    item = channel.find("item")
    assert item is not None
    assert item.findtext("link") == f"http://testserver/decisions/{adopted.reference}/"
    english = rss(client, "/en/decisions/flux.rss").find("channel")
    assert english is not None
    assert english.findtext("link") == "http://testserver/en/decisions/"


def test_an_election_in_the_feed_names_the_elected_never_the_voters(
    client: Client, cleared: dict[str, Any]
) -> None:
    _item, _candidates, voters = decided_election()

    text = client.get(en("governance:feed_rss")).content.decode()

    assert "Elected: Camille Candidate." in text
    assert "2 of 6 associates voted (secret ballot)." in text
    for voter in voters:
        assert voter.full_name not in text


def test_the_feeds_hold_the_latest_fifty_decisions(
    client: Client, cleared: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert log_views.FEED_SIZE == 50
    monkeypatch.setattr(log_views, "FEED_SIZE", 2)
    author, voter = people("Fanny Auteur", "Gilles Voix")
    made = [decided_quickly(author, voter, f"Décision {n}") for n in range(3)]

    channel = rss(client, en("governance:feed_rss")).find("channel")

    assert channel is not None
    titles = [item.findtext("title") or "" for item in channel.findall("item")]
    assert len(titles) == 2
    assert made[0].reference not in " ".join(titles)  # the oldest is left out


def test_the_feeds_are_read_only(client: Client, cleared: dict[str, Any]) -> None:
    assert client.post(en("governance:feed_rss")).status_code == 405
    assert client.post(en("governance:feed_atom")).status_code == 405
    assert client.head(en("governance:feed_atom")).status_code == 200
