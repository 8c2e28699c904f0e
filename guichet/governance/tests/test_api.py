"""Governance's API: the public decision log read by programs, positions and secret ballots
taken with a personal token.

Proposals are built with the services; their discussion period is moved into the past
through the ORM so that rounds can close (at their deadline, with `round_close(now=...)`).
The demo's decisions and associates are cleared first: the electorate of a round is the
test's associates, Alice (the author), Bruno and a third who stays silent, so that a round
closes early only when a test makes everyone take a position.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from guichet.accounts.models import Role, User
from guichet.accounts.services import api_token_create
from guichet.accounts.tests.factories import CollegeFactory, RoleGrantFactory, UserFactory
from guichet.governance.messages import error_message
from guichet.governance.models import (
    Ballot,
    DecisionMode,
    Participation,
    Position,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
)
from guichet.governance.selectors_log import REASONS
from guichet.governance.services.positions import ballot_cast, position_take
from guichet.governance.services.proposals import (
    candidate_add,
    outcome_statement_record,
    proposal_amend,
    proposal_open,
    proposal_withdraw,
)
from guichet.governance.services.proxies import proxy_give
from guichet.governance.services.rounds import round_close, round_open

pytestmark = pytest.mark.django_db

API = "/api/v1/governance/proposals"
EN = {"Accept-Language": "en"}


def associate(name: str, college: str = "habitants") -> User:
    grant = RoleGrantFactory.create(
        role=Role.ASSOCIATE, college=CollegeFactory.create(slug=college), user__full_name=name
    )
    return grant.user


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='Script')[1]}", **EN}


def get(client: Client, path: str, user: Any = None, **params: Any) -> Any:
    return client.get(API + path, params, headers=bearer(user) if user else EN)


def post(client: Client, path: str, body: Any, user: Any = None) -> Any:
    return client.post(
        API + path,
        json.dumps(body),
        content_type="application/json",
        headers=bearer(user) if user else EN,
    )


def messages_of(response: Any, field: str) -> list[str]:
    return [e["msg"] for e in response.json()["detail"] if e["loc"][-1] == field]


def english(code: str) -> str:
    with translation.override("en"):
        return error_message(code)


def proposal(author: User, **fields: Any) -> Proposal:
    """A proposal whose minimum discussion period has run."""
    opened = proposal_open(
        by=author,
        title=fields.pop("title", "Share the workshop's tools"),
        text=fields.pop("text", "The tools are **lent** to every member."),
        **fields,
    )
    Proposal.objects.filter(pk=opened.pk).update(
        discussion_ends_at=timezone.now() - timedelta(days=1)
    )
    opened.refresh_from_db()
    return opened


def in_round(author: User, **fields: Any) -> tuple[Proposal, Round]:
    found = proposal(author, **fields)
    return found, round_open(proposal=found, by=author)


def close(round: Round) -> Round:
    """Close the round at its deadline."""
    return round_close(round=round, now=round.closes_at + timedelta(seconds=1))


@pytest.fixture
def author(cleared: dict[str, Any]) -> User:
    associate("Eve Silent", college="habitants")
    return associate("Alice Martin")


@pytest.fixture
def voter(author: User) -> User:
    return associate("Bruno Petit", college="salaries")


def row_of(response: Any, reference: str) -> dict[str, Any]:
    return next(item for item in response.json()["items"] if item["reference"] == reference)


# The description.


def test_the_openapi_description_lists_the_governance_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        API,
        API + "/{reference}",
        API + "/{reference}/outcome",
        API + "/{reference}/position",
        API + "/{reference}/ballot",
    } <= set(paths)
    assert paths[API]["get"]["tags"] == ["governance"]
    # The reads are public; a token is optional there, required to take part.
    assert {} in paths[API]["get"]["security"]
    assert {"PersonalToken": []} in paths[API]["get"]["security"]
    assert {} not in paths[API + "/{reference}/position"]["post"]["security"]


# The list: public, paginated, with one's own part for those who take part.


def test_anyone_lists_the_proposals_with_what_the_public_log_shows(
    client: Client, author: User
) -> None:
    found, _round = in_round(author, kind=ProposalKind.GENERAL)

    response = get(client, "", page_size=100)

    assert response.status_code == 200
    row = row_of(response, found.reference)
    assert row["title"] == "Share the workshop's tools"
    assert row["text"] == "The tools are **lent** to every member."
    assert (row["kind"], row["mode"], row["status"]) == ("general", "consent", "voting")
    assert row["status_label"] == "Round open"
    assert row["version"] == 1
    assert row["current_round"]["number"] == 1
    assert row["current_round"]["taken"] is None  # how many positioned: for associates
    assert row["outcome"] is None
    assert row["mine"] is None


def test_an_associate_sees_their_own_position_in_the_list(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    position_take(round=opened, by=voter, value="concern", comment="Who repairs them?")

    row = row_of(get(client, "", voter, page_size=100), found.reference)

    assert row["current_round"]["taken"] == 1
    assert row["mine"]["in_electorate"] is True
    assert row["mine"]["position"]["value"] == "concern"
    assert row["mine"]["position"]["comment"] == "Who repairs them?"
    assert (
        row_of(get(client, "", author, page_size=100), found.reference)["mine"]["position"] is None
    )


def test_a_proposal_still_in_discussion_is_for_those_who_take_part(
    client: Client, author: User
) -> None:
    draft = proposal(author, title="A draft")

    public = get(client, "", page_size=100).json()
    private = get(client, "", author, page_size=100).json()

    assert draft.reference not in {row["reference"] for row in public["items"]}
    assert public["count"] == 0
    assert row_of(get(client, "", author), draft.reference)["status"] == "discussion"
    assert private["count"] == 1
    assert get(client, f"/{draft.reference}").status_code == 404
    assert get(client, f"/{draft.reference}", author).status_code == 200


def test_the_list_filters_by_status_and_kind(client: Client, author: User) -> None:
    voting, _round = in_round(author)
    budget, _budget_round = in_round(
        author, kind=ProposalKind.CONTRIBUTIVE_BUDGET, budget_amount=1200
    )
    close(_budget_round)

    by_status = get(client, "", status="voting").json()["items"]
    by_kind = get(client, "", kind="contributive_budget").json()["items"]

    assert [row["reference"] for row in by_status] == [voting.reference]
    assert [row["reference"] for row in by_kind] == [budget.reference]
    assert by_kind[0]["outcome"]["participation"] == 0


def test_the_list_refuses_an_unknown_filter_with_a_clear_message(client: Client) -> None:
    response = get(client, "", status="approved", kind="party", page=0)

    assert response.status_code == 400
    locations = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locations == {("query", "status"), ("query", "kind"), ("query", "page")}
    assert messages_of(response, "status") == [
        "Unknown status: give one of discussion, voting, adopted, rejected, withdrawn."
    ]


def test_the_list_is_paginated(client: Client, author: User) -> None:
    for number in range(3):
        in_round(author, title=f"Proposal {number}")

    first = get(client, "", page_size=2).json()
    second = get(client, "", page_size=2, page=2).json()

    assert first["count"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert first["items"][0]["title"] == "Proposal 2"  # newest first
    assert second["items"][0]["title"] == "Proposal 0"
    assert get(client, "", page_size=101).status_code == 400


def test_the_list_reads_a_constant_number_of_queries(
    client: Client, author: User, voter: User
) -> None:
    def queries() -> int:
        headers = bearer(voter)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API, {"page_size": 100}, headers=headers).status_code == 200
        return len(captured)

    _found, opened = in_round(author)
    position_take(round=opened, by=voter, value="consent")
    before = queries()
    for number in range(3):
        _more, more_round = in_round(author, title=f"Proposal {number}")
        position_take(round=more_round, by=voter, value="consent")
    close(more_round)

    assert queries() == before


def test_a_token_that_is_not_valid_answers_401_even_on_public_reads(client: Client) -> None:
    response = client.get(API, headers={"Authorization": "Bearer gch_made-up"})

    assert response.status_code == 401


def test_the_browser_session_of_an_associate_sees_their_part_too(
    client: Client, author: User
) -> None:
    found, _round = in_round(author)
    client.force_login(author)

    row = row_of(client.get(API, {"page_size": 100}), found.reference)

    assert row["mine"] == {"in_electorate": True, "position": None, "voted": False}


# One proposal.


def test_a_decided_proposal_shows_its_rounds_counts_and_named_positions_to_anyone(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    position_take(round=opened, by=author, value="consent")
    position_take(round=opened, by=voter, value="concern", comment="Keep a register of loans.")
    close(opened)
    outcome_statement_record(proposal=found, by=author, text="Adopted; loans start in June.")

    response = get(client, f"/{found.reference}")

    assert response.status_code == 200
    detail = response.json()
    assert detail["status"] == "adopted"
    assert detail["text_html"] == "<p>The tools are <strong>lent</strong> to every member.</p>\n"
    assert detail["outcome_statement"] == "Adopted; loans start in June."
    assert detail["outcome"]["reason"] == "consent"
    with translation.override("en"):
        assert detail["outcome"]["reason_label"] == str(REASONS["consent"])
    (round_out,) = detail["rounds"]
    assert round_out["adopted"] is True
    assert round_out["counts"] == {"consent": 1, "concern": 1, "objection": 0, "abstain": 0}
    assert round_out["counts_by_college"]["salaries"]["concern"] == 1
    assert round_out["counts_by_college"]["habitants"]["consent"] == 1
    assert round_out["participation"] == 2
    named = {p["person"]["name"]: p for p in round_out["positions"]}
    assert named["Bruno Petit"]["value"] == "concern"
    assert named["Bruno Petit"]["college"] == "salaries"
    assert named["Bruno Petit"]["comment"] == "Keep a register of loans."
    assert round_out["objections"] == []
    assert detail["mine"] is None


def test_associates_see_the_positions_under_way_with_their_reasons(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    position_take(round=opened, by=voter, value="concern", comment="Keep a register of loans.")

    public = get(client, f"/{found.reference}").json()
    private = get(client, f"/{found.reference}", author).json()

    assert public["rounds"][0]["positions"] is None
    assert public["rounds"][0]["objections"] is None
    assert public["rounds"][0]["taken"] is None
    assert "Keep a register" not in json.dumps(public)
    (position,) = private["rounds"][0]["positions"]
    assert position["comment"] == "Keep a register of loans."
    assert private["rounds"][0]["taken"] == 1
    assert private["mine"]["proxies_held"] == []


def test_positions_stay_anonymous_when_the_proposal_does_not_name_them(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author, named_positions=False)
    position_take(
        round=opened,
        by=voter,
        value="objection",
        comment="It harms the members' trust.",
        change_requested="Keep a register.",
    )
    position_take(round=opened, by=author, value="abstain")
    close(opened)

    for reader in (None, author):
        detail = get(client, f"/{found.reference}", reader)
        round_out = detail.json()["rounds"][0]
        assert round_out["positions"] is None
        assert round_out["counts"]["objection"] == 1
        (objection,) = round_out["objections"]
        assert objection["person"] is None
        assert objection["reason"] == "It harms the members' trust."
        assert objection["state"] == "raised"
        assert "Bruno Petit" not in detail.content.decode()


def test_an_unknown_reference_answers_404(client: Client) -> None:
    for path in ("/D-1999-999", "/D-1999-999/outcome"):
        response = get(client, path)
        assert response.status_code == 404
        assert response.json() == {"detail": "No proposal has this reference."}


def test_an_amended_proposal_keeps_its_superseded_round_in_the_history(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    position_take(
        round=opened,
        by=voter,
        value="objection",
        comment="Tools break.",
        change_requested="Insure.",
    )
    proposal_amend(proposal=found, by=author, title=found.title, text="Insured tools.", note="Ins.")

    detail = get(client, f"/{found.reference}").json()

    assert [r["reason"] for r in detail["rounds"]] == ["superseded", ""]
    assert [r["version"] for r in detail["rounds"]] == [1, 2]
    assert detail["rounds"][0]["adopted"] is None
    assert detail["rounds"][0]["positions"][0]["objection_state"] == "integrated"
    assert detail["version"] == 2
    assert detail["text"] == "Insured tools."


# Outcomes.


def test_the_outcome_of_a_decided_proposal_is_public(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    position_take(
        round=opened,
        by=voter,
        value="objection",
        comment="It harms the members' trust.",
        change_requested="Keep a register.",
    )
    close(opened)

    response = get(client, f"/{found.reference}/outcome")

    assert response.status_code == 200
    outcome = response.json()
    assert outcome["reference"] == found.reference
    assert (outcome["adopted"], outcome["reason"]) == (False, "objection_standing")
    assert outcome["status"] == "rejected"
    assert outcome["counts"]["objection"] == 1
    assert outcome["counts_by_college"] == {
        "salaries": {"consent": 0, "concern": 0, "objection": 1, "abstain": 0}
    }
    assert outcome["round"] == 1
    assert outcome["result"] is None


def test_an_undecided_or_withdrawn_proposal_has_no_outcome(client: Client, author: User) -> None:
    found, _round = in_round(author)
    assert get(client, f"/{found.reference}/outcome").status_code == 404

    proposal_withdraw(proposal=found, by=author)

    response = get(client, f"/{found.reference}/outcome")
    assert response.status_code == 404
    assert response.json() == {"detail": "This proposal has no outcome: it is not decided."}


# Taking a position.


def test_an_associate_takes_and_then_changes_a_position(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)

    first = post(client, f"/{found.reference}/position", {"value": "consent"}, voter)
    second = post(
        client,
        f"/{found.reference}/position",
        {"value": "concern", "comment": "Who repairs them?"},
        voter,
    )

    assert first.status_code == 200
    assert first.json()["position"]["value"] == "consent"
    assert first.json()["person"] == {"id": voter.pk, "name": "Bruno Petit"}
    assert first.json()["round_closed"] is False
    assert second.status_code == 200
    position = Position.objects.get(round=opened, person=voter)
    assert (position.value, position.comment) == ("concern", "Who repairs them?")


def test_a_vote_takes_yes_no_or_abstain(client: Client, author: User, voter: User) -> None:
    found, opened = in_round(author, mode=DecisionMode.MAJORITY)

    refused = post(client, f"/{found.reference}/position", {"value": "consent"}, voter)
    taken = post(client, f"/{found.reference}/position", {"value": "yes"}, voter)

    assert refused.status_code == 400
    assert messages_of(refused, "value") == [
        english("unknown_position") + " Give one of yes, no, abstain."
    ]
    assert taken.status_code == 200
    assert Position.objects.get(round=opened, person=voter).value == "yes"


def test_taking_a_position_needs_a_token(client: Client, author: User) -> None:
    found, _round = in_round(author)

    assert post(client, f"/{found.reference}/position", {"value": "consent"}).status_code == 401


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_only_associates_take_a_position(client: Client, author: User, who: str) -> None:
    found, opened = in_round(author)
    role = Role.MEMBER if who == "member" else Role.COORDINATOR
    person = RoleGrantFactory.create(role=role).user

    response = post(client, f"/{found.reference}/position", {"value": "consent"}, person)

    assert response.status_code == 403
    assert response.json() == {"detail": english("not_an_associate")}
    assert not Position.objects.filter(round=opened).exists()


def test_an_associate_who_joined_after_the_round_opened_takes_no_position_in_it(
    client: Client, author: User
) -> None:
    found, _round = in_round(author)
    newcomer = associate("Chloé Newcomer")

    response = post(client, f"/{found.reference}/position", {"value": "consent"}, newcomer)

    assert response.status_code == 403
    assert response.json() == {"detail": english("not_in_electorate")}


def test_a_position_on_an_unknown_reference_answers_404(client: Client, voter: User) -> None:
    assert post(client, "/D-1999-999/position", {"value": "consent"}, voter).status_code == 404


def test_no_position_once_the_round_is_closed_or_before_it_opens(
    client: Client, author: User, voter: User
) -> None:
    decided, opened = in_round(author)
    close(opened)
    discussed = proposal(author, title="Still discussed")

    closed = post(client, f"/{decided.reference}/position", {"value": "consent"}, voter)
    early = post(client, f"/{discussed.reference}/position", {"value": "consent"}, voter)

    assert closed.status_code == 400
    assert closed.json()["detail"] == [
        {"loc": ["body"], "msg": english("proposal_closed"), "type": "value_error"}
    ]
    assert early.status_code == 400
    assert messages_of(early, "body") == [
        "No round is open on this proposal yet: it is still in discussion."
    ]


def test_a_round_past_its_deadline_takes_no_more_positions(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    Round.objects.filter(pk=opened.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    response = post(client, f"/{found.reference}/position", {"value": "consent"}, voter)

    assert response.status_code == 400
    assert messages_of(response, "body") == [english("round_past_deadline")]


def test_an_objection_needs_its_reason_and_the_change_it_asks_for(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    path = f"/{found.reference}/position"

    no_reason = post(client, path, {"value": "objection", "change_requested": "Insure."}, voter)
    no_change = post(client, path, {"value": "objection", "comment": "Tools break."}, voter)
    objection = {"value": "objection", "comment": "Tools break.", "change_requested": "Insure."}
    taken = post(client, path, objection, voter)

    assert no_reason.status_code == 400
    assert messages_of(no_reason, "comment") == [english("objection_reason_required")]
    assert no_change.status_code == 400
    assert messages_of(no_change, "change_requested") == [english("objection_change_required")]
    assert taken.status_code == 200
    assert taken.json()["position"]["objection_state"] == "raised"
    assert taken.json()["position"]["objection_state_label"] == "Raised"
    assert Position.objects.get(round=opened, person=voter).change_requested == "Insure."


def test_a_position_refuses_unknown_values_and_too_long_texts(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    path = f"/{found.reference}/position"

    missing = post(client, path, {}, voter)
    unknown = post(client, path, {"value": "veto"}, voter)
    too_long = post(client, path, {"value": "concern", "comment": "x" * 5001}, voter)
    not_a_person = post(client, path, {"value": "consent", "on_behalf": "somebody"}, voter)

    assert messages_of(missing, "value") == ["Give one of consent, concern, objection, abstain."]
    assert messages_of(unknown, "value") == [
        english("unknown_position") + " Give one of consent, concern, objection, abstain."
    ]
    assert messages_of(too_long, "comment") == [english("text_too_long")]
    assert messages_of(not_a_person, "on_behalf") == [
        "Give the id of the associate whose proxy you hold."
    ]
    assert {r.status_code for r in (missing, unknown, too_long, not_a_person)} == {400}
    assert not Position.objects.filter(round=opened).exists()


def test_refusals_speak_french_by_default(client: Client, author: User, voter: User) -> None:
    found, _round = in_round(author)
    secret = api_token_create(user=voter, name="Script")[1]

    response = client.post(
        f"{API}/{found.reference}/position",
        json.dumps({"value": "objection", "change_requested": "Assurer."}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response["Content-Language"] == "fr"
    with translation.override("fr"):
        assert messages_of(response, "comment") == [error_message("objection_reason_required")]


def test_a_proxy_holder_takes_the_position_of_the_associate_who_gave_it(
    client: Client, author: User, voter: User
) -> None:
    found = proposal(author)
    giver = associate("Denise Giver")
    proxy_give(giver=giver, holder=voter, proposal=found)
    opened = round_open(proposal=found, by=author)
    path = f"/{found.reference}/position"

    held = get(client, f"/{found.reference}", voter).json()["mine"]["proxies_held"]
    response = post(client, path, {"value": "consent", "on_behalf": giver.pk}, voter)
    not_held = post(client, path, {"value": "consent", "on_behalf": author.pk}, voter)

    assert held == [{"id": giver.pk, "name": "Denise Giver"}]
    assert response.status_code == 200
    assert response.json()["person"]["id"] == giver.pk
    assert response.json()["position"]["by_proxy"] is True
    assert Position.objects.get(round=opened, person=giver).cast_by == voter
    assert not_held.status_code == 400
    assert messages_of(not_held, "on_behalf") == [english("no_proxy")]


def test_an_election_takes_ballots_not_positions(client: Client, author: User) -> None:
    found, _round = election(author)

    response = post(client, f"/{found.reference}/position", {"value": "yes"}, author)

    assert response.status_code == 400
    assert messages_of(response, "body") == [english("election_needs_ballot")]


# Elections.


def election(author: User) -> tuple[Proposal, Round]:
    found = proposal(author, title="Elect the board", kind=ProposalKind.ELECTION)
    candidate_add(proposal=found, by=author, person=author, statement="I keep the books.")
    return found, round_open(proposal=found, by=author)


def test_an_associate_casts_a_secret_ballot_once(client: Client, author: User, voter: User) -> None:
    found, opened = election(author)
    candidate = found.candidates.get()
    path = f"/{found.reference}/ballot"

    cast = post(client, path, {"choices": [candidate.pk]}, voter)
    again = post(client, path, {"choices": [candidate.pk]}, voter)

    assert cast.status_code == 201
    assert cast.json()["voted"] is True
    assert cast.json()["person"]["id"] == voter.pk
    assert Participation.objects.filter(round=opened, person=voter).exists()
    assert list(Ballot.objects.filter(round=opened).values_list("choices", flat=True)) == [
        [candidate.pk]
    ]
    assert again.status_code == 400
    assert messages_of(again, "body") == [english("already_voted")]
    assert Ballot.objects.filter(round=opened).count() == 1


def test_a_ballot_refuses_what_is_not_a_candidate(
    client: Client, author: User, voter: User
) -> None:
    found, opened = election(author)
    candidate = found.candidates.get()
    path = f"/{found.reference}/ballot"

    empty = post(client, path, {"choices": []}, voter)
    unknown = post(client, path, {"choices": [candidate.pk + 1000]}, voter)
    twice = post(client, path, {"choices": [candidate.pk, candidate.pk]}, voter)
    not_a_number = post(client, path, {"choices": ["Alice"]}, voter)

    assert messages_of(empty, "choices") == [english("ballot_empty")]
    assert messages_of(unknown, "choices") == [english("ballot_invalid")]
    assert messages_of(twice, "choices") == [english("ballot_invalid")]
    assert messages_of(not_a_number, "choices") == [
        "Give the candidates by their ids, as whole numbers."
    ]
    assert {r.status_code for r in (empty, unknown, twice, not_a_number)} == {400}
    assert not Participation.objects.filter(round=opened).exists()


def test_a_ballot_needs_an_associate_and_an_election(
    client: Client, author: User, voter: User
) -> None:
    found, _round = election(author)
    consent, _other = in_round(author, title="Not an election")
    candidate = found.candidates.get()
    outsider = UserFactory.create()

    anonymous = post(client, f"/{found.reference}/ballot", {"choices": [candidate.pk]})
    not_associate = post(client, f"/{found.reference}/ballot", {"choices": [1]}, outsider)
    not_election = post(client, f"/{consent.reference}/ballot", {"choices": [1]}, voter)

    assert anonymous.status_code == 401
    assert not_associate.status_code == 403
    assert not_election.status_code == 400
    assert messages_of(not_election, "body") == [english("not_an_election")]


def test_an_election_shows_its_result_and_never_who_voted_for_whom(
    client: Client, author: User, voter: User
) -> None:
    found, opened = election(author)
    candidate = found.candidates.get()
    ballot_cast(round=opened, by=voter, choices=[candidate.pk])
    ballot_cast(round=opened, by=author, choices=[candidate.pk])

    during = get(client, f"/{found.reference}", voter)
    assert during.json()["mine"]["voted"] is True
    assert during.json()["rounds"][0]["positions"] is None
    assert during.json()["rounds"][0]["taken"] == 2
    close(opened)
    detail = get(client, f"/{found.reference}", voter)
    outcome = get(client, f"/{found.reference}/outcome").json()

    assert detail.status_code == 200
    assert detail.json()["mode"] == "election"
    assert detail.json()["named_positions"] is False
    assert detail.json()["rounds"][0]["positions"] is None
    assert detail.json()["candidates"][0]["person"]["name"] == "Alice Martin"
    assert outcome["reason"] == "elected"
    assert outcome["result"]["method"] == "approval"
    assert outcome["result"]["ballots"] == 2
    assert outcome["result"]["approvals"] == {str(candidate.pk): 2}
    assert [c["id"] for c in outcome["result"]["elected"]] == [candidate.pk]
    for body in (during.content.decode(), detail.content.decode(), json.dumps(outcome)):
        assert "Bruno Petit" not in body  # a voter, not a candidate
        assert "choices" not in body
    assert get(client, f"/{found.reference}/ballot").status_code == 405


def test_the_round_closes_when_the_last_associate_takes_a_position(
    client: Client, author: User, voter: User
) -> None:
    found, opened = in_round(author)
    for person_id in opened.electorate:
        person = User.objects.get(pk=int(person_id))
        if person.pk != voter.pk:
            position_take(round=opened, by=person, value="consent")

    response = post(client, f"/{found.reference}/position", {"value": "consent"}, voter)

    assert response.status_code == 200
    assert response.json()["round_closed"] is True
    assert response.json()["status"] == ProposalStatus.ADOPTED


def test_a_proposal_reads_a_constant_number_of_queries_whatever_its_rounds(
    client: Client, author: User, voter: User
) -> None:
    def queries(found: Proposal) -> int:
        headers = bearer(voter)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{API}/{found.reference}", headers=headers)
            assert response.status_code == 200
        return len(captured)

    one, one_round = in_round(author)
    position_take(round=one_round, by=voter, value="consent")
    many, many_round = in_round(author, title="Amended twice")
    for number in (2, 3):
        position_take(round=many_round, by=voter, value="consent")
        proposal_amend(proposal=many, by=author, title=many.title, text=f"V{number}", note="V")
        many_round = Round.objects.get(proposal=many, closed_at__isnull=True)

    assert len(get(client, f"/{many.reference}", voter).json()["rounds"]) == 3
    assert queries(many) == queries(one)
