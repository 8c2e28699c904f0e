"""Governance's part of the right of access and the right to erasure: everything a person
did in decisions is exported (never a ballot: they are secret), and erasing the person keeps
the decision log whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from guichet.accounts.models import User
from guichet.core.registries.personal_data import declarations
from guichet.governance.models import Candidate, Comment, Position, Proposal, Proxy, Round
from guichet.governance.personal_data import export
from guichet.governance.services.positions import ballot_cast, position_take
from guichet.governance.services.proposals import comment_add
from guichet.governance.services.proxies import proxy_give
from guichet.governance.tests.factories import (
    associates,
    closed,
    discussed,
    election,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def personal_data_erase(*, person: User) -> None:
    """Every app's erasure in its order, the account last, as the privacy app runs them (it
    sits above governance, which may not import it)."""
    for declaration in declarations():
        declaration.erase(person)


@pytest.fixture
def history(cleared: dict[str, Any]) -> dict[str, Any]:
    """Léa opens a proposal, discusses it, objects in a round closed since, holds a proxy,
    gives one, stands and votes in an election."""
    lea, other, holder, giver, _silent = associates(5)
    lea.full_name = "Léa Erasable"
    lea.save()
    item = discussed(proposal(lea, title="Reverser aux projets amont"))
    comment_add(proposal=item, by=lea, body="Mon message à effacer.")
    comment_add(proposal=item, by=other, body="Le message d'un autre.")
    proxy_give(giver=giver, holder=lea, proposal=item)
    proxy_give(giver=lea, holder=holder, proposal=discussed(proposal(other, title="Autre")))
    running = opened(item)
    position_take(
        round=running,
        by=lea,
        value="objection",
        comment="Mon objection personnelle.",
        change_requested="Mon changement demandé.",
    )
    position_take(round=running, by=lea, value="consent", on_behalf=giver)
    position_take(round=running, by=other, value="consent")
    decided = closed(running)
    vote = discussed(election(other, [lea, other], title="Élire le conseil"))
    vote_round = opened(vote)
    lea_candidate = Candidate.objects.get(proposal=vote, person=lea)
    ballot_cast(round=vote_round, by=lea, choices=[lea_candidate.pk])
    return {
        "lea": lea,
        "other": other,
        "proposal": item,
        "round": decided,
        "election": vote,
        "candidate": lea_candidate,
    }


def test_the_export_holds_what_the_person_did_in_decisions(history: dict[str, Any]) -> None:
    data = export(history["lea"])

    item = history["proposal"]
    assert [p["reference"] for p in data["proposals_opened"]] == [item.reference]
    assert [c["message"] for c in data["comments"]] == ["Mon message à effacer."]
    assert data["positions"] == [
        {
            "proposal": item.reference,
            "round": 1,
            "position": "objection",
            "comment": "Mon objection personnelle.",
            "change_requested": "Mon changement demandé.",
            "objection_state": "raised",
            "taken_by_a_proxy": False,
            "taken_at": data["positions"][0]["taken_at"],
        }
    ]
    assert [p["position"] for p in data["positions_taken_as_proxy"]] == ["consent"]
    assert [p["proposal"] for p in data["proxies_held"]] == [item.reference]
    assert len(data["proxies_given"]) == 1
    assert [c["election"] for c in data["candidacies"]] == [history["election"].reference]
    assert data["elections_voted_in"] == [history["election"].reference]
    assert data["versions_written"] == 1
    json.dumps(data, cls=DjangoJSONEncoder)


def test_the_export_never_holds_a_ballot_nor_anyone_else(history: dict[str, Any]) -> None:
    data = json.dumps(export(history["lea"]), cls=DjangoJSONEncoder)

    assert "ballot" not in data
    assert "choices" not in data
    assert str(history["candidate"].pk) not in json.loads(data)["elections_voted_in"]
    assert history["other"].email not in data
    assert history["other"].full_name not in data
    assert "Le message d'un autre." not in data


def test_erasure_keeps_the_decision_log_whole(history: dict[str, Any]) -> None:
    lea, decided = history["lea"], history["round"]
    before = Round.objects.get(pk=decided.pk)
    values = list(Position.objects.filter(round=decided).values_list("person", "value"))

    personal_data_erase(person=lea)

    after = Round.objects.get(pk=decided.pk)
    assert (after.adopted, after.reason, after.counts, after.participation) == (
        before.adopted,
        before.reason,
        before.counts,
        before.participation,
    )
    assert after.proxy_register == before.proxy_register
    assert list(Position.objects.filter(round=decided).values_list("person", "value")) == values
    own = Position.objects.get(round=decided, person=lea)
    assert (own.value, own.objection_state, own.comment, own.change_requested) == (
        "objection",
        "raised",
        "",
        "",
    )
    assert Proposal.objects.get(pk=history["proposal"].pk).status == before.proposal.status
    # The account stays, anonymised, for the links that must stay.
    erased = User.objects.get(pk=lea.pk)
    assert (erased.full_name, erased.is_active) == ("", False)


def test_erasure_empties_the_persons_texts_and_links(history: dict[str, Any]) -> None:
    lea, item = history["lea"], history["proposal"]

    personal_data_erase(person=lea)

    item.refresh_from_db()
    assert item.author is None
    assert not item.versions.filter(created_by=lea).exists()
    assert not Comment.objects.filter(author=lea).exists()
    assert Comment.objects.filter(proposal=item, body="").count() == 1
    assert Candidate.objects.get(pk=history["candidate"].pk).statement == ""
    assert not Proxy.objects.filter(holder=lea, revoked_at__isnull=True).exists()
    assert not Proxy.objects.filter(giver=lea, revoked_at__isnull=True).exists()
    assert Proxy.objects.filter(holder=lea).count() == 1  # kept in the register
    assert "effacer" not in json.dumps(export(User.objects.get(pk=lea.pk)), cls=DjangoJSONEncoder)
    assert "personnelle" not in json.dumps(
        export(User.objects.get(pk=lea.pk)), cls=DjangoJSONEncoder
    )


def test_erasure_leaves_other_people_untouched(history: dict[str, Any]) -> None:
    other, item = history["other"], history["proposal"]

    personal_data_erase(person=history["lea"])

    assert Comment.objects.get(proposal=item, author=other).body == "Le message d'un autre."
    assert Proposal.objects.get(title="Autre").author == other
    assert Position.objects.get(round=history["round"], person=other).value == "consent"
