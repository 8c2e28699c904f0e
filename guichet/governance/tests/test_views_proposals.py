"""The associates' pages of a decision: who finds them, and each form's answer to good and
bad input. The pages are read in English (under /en/)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guichet.accounts.models import College, Role, User
from guichet.accounts.services import role_grant
from guichet.accounts.tests.factories import UserFactory
from guichet.governance.models import (
    Attachment,
    Candidate,
    Comment,
    ObjectionState,
    Participation,
    Position,
    Proposal,
    ProposalStatus,
    Round,
)
from guichet.governance.services import proposals as proposals_service
from guichet.governance.services.positions import position_take
from guichet.governance.services.proposals import (
    candidate_add,
    comment_add,
    proposal_amend,
    proposal_open,
)
from guichet.governance.services.proxies import proxy_give
from guichet.governance.services.rounds import round_close, round_open
from tests.html_forms import page_form, submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(f"governance:{name}", args=args)


def associate(name: str, college: str = "contributeurs") -> User:
    person = UserFactory.create(full_name=name)
    role_grant(user=person, role=Role.ASSOCIATE, college=College.objects.get(slug=college))
    return person


@pytest.fixture
def author() -> User:
    return associate("Aline Autrice")


@pytest.fixture
def other() -> User:
    return associate("Bruno Associé", "fondateurs")


@pytest.fixture
def proposal(author: User) -> Proposal:
    return proposal_open(
        by=author,
        title="Tester un budget participatif",
        text="Le réseau **essaie** un budget.\n\n<script>alert(1)</script>",
    )


@pytest.fixture
def giver() -> User:
    return associate("Chloé Donneuse")


@pytest.fixture
def in_round(proposal: Proposal, author: User, other: User, giver: User) -> Round:
    """A round open on the proposal; `other` and `giver` are in its electorate."""
    return round_open(proposal=proposal, by=author)


def body(response: Any) -> str:
    return str(response.content.decode())


# Who finds the pages.


@pytest.mark.parametrize("login", ["member", "client", "member_other"])
def test_people_who_take_no_part_find_no_decision_page(
    client_as: Any, demo: Any, proposal: Proposal, login: str
) -> None:
    http = client_as(demo[login])
    for address in (
        url("proposals"),
        url("proposal_new"),
        url("proposal", proposal.reference),
        url("proposal_amend", proposal.reference),
        url("version", proposal.reference, 1),
        url("proxies"),
    ):
        assert http.get(address).status_code == 404, address


def test_signing_in_is_needed(client: Any, proposal: Proposal) -> None:
    answer = client.get(url("proposal", proposal.reference))
    assert answer.status_code == 302
    with translation.override("en"):
        assert answer["Location"].startswith(reverse("account_login"))


def test_an_unknown_reference_is_not_found(client_as: Any, other: User) -> None:
    assert client_as(other).get(url("proposal", "D-1999-999")).status_code == 404


# The list.


def test_the_list_shows_open_proposals_first_and_whether_i_positioned(
    client_as: Any, author: User, other: User, in_round: Round
) -> None:
    decided = proposal_open(by=author, title="Une vieille décision", text="Texte.")
    Proposal.objects.filter(pk=decided.pk).update(
        status=ProposalStatus.REJECTED, created_at=timezone.now() + timedelta(days=1)
    )
    http = client_as(other)
    page = body(http.get(url("proposals")))
    assert in_round.proposal.reference in page
    assert page.index(in_round.proposal.title) < page.index("Une vieille décision")
    assert "to take" in page
    position_take(round=in_round, by=other, value="consent")
    assert "taken" in body(http.get(url("proposals") + "?status=voting"))


def test_the_list_filters_by_status_and_kind(
    client_as: Any, author: User, proposal: Proposal
) -> None:
    http = client_as(author)
    assert proposal.title in body(http.get(url("proposals") + "?status=discussion&kind=general"))
    assert proposal.title not in body(http.get(url("proposals") + "?status=adopted"))
    assert proposal.title not in body(http.get(url("proposals") + "?kind=election"))
    # An unknown filter is ignored, not an error.
    assert http.get(url("proposals") + "?status=nonsense").status_code == 200


def test_the_list_takes_as_many_queries_for_many_proposals_as_for_one(
    client_as: Any, author: User, other: User, in_round: Round
) -> None:
    http = client_as(other)
    http.get(url("proposals"))
    with CaptureQueriesContext(connection) as one:
        assert http.get(url("proposals")).status_code == 200
    for number in range(6):
        more = proposal_open(by=author, title=f"Proposition {number}", text="Texte.")
        position_take(round=round_open(proposal=more, by=author), by=other, value="consent")
    with CaptureQueriesContext(connection) as many:
        assert http.get(url("proposals")).status_code == 200
    assert len(many) == len(one)


# A new proposal.


def test_an_associate_opens_a_proposal_and_lands_on_its_page(client_as: Any, author: User) -> None:
    answer = client_as(author).post(
        url("proposal_new"),
        {
            "title": "Changer la règle de répartition",
            "text": "Nouvelle règle.",
            "kind": "rule_change",
            "mode": "majority",
            "threshold": "two_thirds",
            "named_positions": "on",
        },
    )
    opened = Proposal.objects.get(title="Changer la règle de répartition")
    assert answer.status_code == 302
    assert answer["Location"] == url("proposal", opened.reference)
    assert (opened.kind, opened.mode, opened.threshold) == ("rule_change", "majority", "two_thirds")
    assert opened.author == author
    assert opened.versions.count() == 1


def test_an_election_is_always_decided_by_secret_ballot(client_as: Any, author: User) -> None:
    client_as(author).post(
        url("proposal_new"),
        {
            "title": "Élire deux référents",
            "text": "Deux sièges.",
            "kind": "election",
            "mode": "majority",
            "threshold": "simple",
            "named_positions": "on",
            "seats": "2",
        },
    )
    opened = Proposal.objects.get(title="Élire deux référents")
    assert (opened.mode, opened.named_positions, opened.seats) == ("election", False, 2)


def test_a_contributive_budget_without_amount_comes_back_filled_in(
    client_as: Any, author: User
) -> None:
    answer = client_as(author).post(
        url("proposal_new"),
        {
            "title": "Financer la traduction",
            "text": "Un budget.",
            "kind": "contributive_budget",
            "mode": "consent",
            "threshold": "simple",
        },
    )
    page = body(answer)
    assert answer.status_code == 400
    assert "A contributive budget needs a positive amount." in page
    assert 'value="Financer la traduction"' in page
    assert not Proposal.objects.filter(title="Financer la traduction").exists()


def test_admissions_are_not_opened_by_hand(client_as: Any, author: User) -> None:
    page = client_as(author).get(url("proposal_new"))
    assert 'value="admission"' not in body(page)
    answer = client_as(author).post(
        url("proposal_new"),
        {"title": "Admettre X", "text": "Texte.", "kind": "admission", "mode": "consent"},
    )
    assert answer.status_code == 400
    assert not Proposal.objects.filter(title="Admettre X").exists()


# The proposal's page.


def test_the_text_is_rendered_from_markdown_and_html_is_escaped(
    client_as: Any, other: User, proposal: Proposal
) -> None:
    page = body(client_as(other).get(url("proposal", proposal.reference)))
    assert "<strong>essaie</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "Aline Autrice" in page


def test_an_associate_writes_in_the_discussion(
    client_as: Any, other: User, proposal: Proposal
) -> None:
    http = client_as(other)
    answer = http.post(url("proposal", proposal.reference), {"action": "comment", "body": "Oui !"})
    assert answer.status_code == 302
    assert Comment.objects.get(proposal=proposal).author == other
    assert "Oui !" in body(http.get(url("proposal", proposal.reference)))
    empty = http.post(url("proposal", proposal.reference), {"action": "comment", "body": " "})
    assert empty.status_code == 400


def test_an_unknown_action_is_a_bad_request(
    client_as: Any, other: User, proposal: Proposal
) -> None:
    answer = client_as(other).post(url("proposal", proposal.reference), {"action": "nonsense"})
    assert answer.status_code == 400


def test_the_author_attaches_a_pdf_and_associates_download_it(
    client_as: Any, author: User, other: User, proposal: Proposal, demo: Any
) -> None:
    upload = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    answer = client_as(author).post(
        url("proposal", proposal.reference), {"action": "attach", "file": upload}
    )
    assert answer.status_code == 302
    attachment = Attachment.objects.get(proposal=proposal)
    assert attachment.name == "budget.pdf"
    download = client_as(other).get(url("attachment", proposal.reference, attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "budget.pdf" in download["Content-Disposition"]
    outsider = client_as(demo["member"]).get(url("attachment", proposal.reference, attachment.pk))
    assert outsider.status_code == 404


def test_a_document_refused_by_the_service_is_kept_for_the_next_sending(
    client_as: Any, author: User, proposal: Proposal, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = url("proposal", proposal.reference)
    upload = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    monkeypatch.setattr(proposals_service, "MAX_ATTACHMENTS", 0)
    refused = client_as(author).post(page, {"action": "attach", "file": upload})

    assert refused.status_code == 400
    assert "you need not attach it again" in body(refused)
    monkeypatch.setattr(proposals_service, "MAX_ATTACHMENTS", 10)
    form = page_form(refused.content, having=".//input[@name='action'][@value='attach']")
    sent = submit(client_as(author), page, form)

    assert sent.status_code == 302
    assert Attachment.objects.get(proposal=proposal).name == "budget.pdf"


def test_a_document_that_is_not_a_pdf_is_refused_next_to_its_field(
    client_as: Any, author: User, proposal: Proposal
) -> None:
    upload = SimpleUploadedFile("budget.pdf", b"not a pdf", content_type="application/pdf")
    answer = client_as(author).post(
        url("proposal", proposal.reference), {"action": "attach", "file": upload}
    )
    assert answer.status_code == 400
    assert "its content is not one" in body(answer)
    assert not Attachment.objects.filter(proposal=proposal).exists()


def test_only_the_author_or_a_coordinator_attaches_documents(
    client_as: Any, other: User, proposal: Proposal
) -> None:
    upload = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    answer = client_as(other).post(
        url("proposal", proposal.reference), {"action": "attach", "file": upload}
    )
    assert answer.status_code == 403
    page = body(client_as(other).get(url("proposal", proposal.reference)))
    assert 'value="attach"' not in page


def test_the_author_opens_a_round_of_the_length_chosen(
    client_as: Any, author: User, proposal: Proposal
) -> None:
    answer = client_as(author).post(
        url("proposal", proposal.reference), {"action": "open_round", "days": "10"}
    )
    opened = Round.objects.get(proposal=proposal)
    assert answer.status_code == 302
    assert opened.closes_at - opened.opened_at >= timedelta(days=10) - timedelta(seconds=5)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.VOTING


def test_a_round_too_long_is_refused_and_another_associate_cannot_open_one(
    client_as: Any, author: User, other: User, proposal: Proposal
) -> None:
    too_long = client_as(author).post(
        url("proposal", proposal.reference), {"action": "open_round", "days": "99"}
    )
    assert too_long.status_code == 400
    refused = client_as(other).post(url("proposal", proposal.reference), {"action": "open_round"})
    assert refused.status_code == 403
    assert not Round.objects.filter(proposal=proposal).exists()


def test_a_second_round_cannot_open_while_one_is_open(
    client_as: Any, demo: Any, in_round: Round
) -> None:
    # The form is not offered then; posted anyway, the service's refusal is shown.
    answer = client_as(demo["coordinator"]).post(
        url("proposal", in_round.proposal.reference), {"action": "open_round"}
    )
    assert answer.status_code == 400
    assert "A round is already open on this proposal." in body(answer)


# Positions.


def position(http: Any, round: Round, **data: str) -> Any:
    return http.post(url("proposal", round.proposal.reference), {"action": "position", **data})


def test_an_associate_consents_and_sees_their_position(
    client_as: Any, other: User, in_round: Round
) -> None:
    http = client_as(other)
    assert position(http, in_round, value="consent").status_code == 302
    assert Position.objects.get(round=in_round, person=other).value == "consent"
    page = body(http.get(url("proposal", in_round.proposal.reference)))
    assert "Your position: <strong>Consent</strong>" in page
    assert "Bruno Associé" in page  # positions are named on this proposal


def test_an_objection_needs_its_reason_and_the_change_requested(
    client_as: Any, other: User, in_round: Round
) -> None:
    http = client_as(other)
    answer = position(http, in_round, value="objection", comment="Cela nuirait au réseau.")
    page = body(answer)
    assert answer.status_code == 400
    assert "the change that would make the proposal safe to try" in page
    assert "Cela nuirait au réseau." in page
    assert not Position.objects.filter(round=in_round).exists()
    done = position(
        http, in_round, value="objection", comment="Cela nuirait.", change_requested="Plafonner."
    )
    assert done.status_code == 302
    raised = Position.objects.get(round=in_round, person=other)
    assert (raised.objection_state, raised.change_requested) == ("raised", "Plafonner.")


def test_a_concern_needs_a_comment(client_as: Any, other: User, in_round: Round) -> None:
    answer = position(client_as(other), in_round, value="concern")
    assert answer.status_code == 400
    assert "Say what your concern is." in body(answer)


def test_a_majority_vote_offers_yes_no_abstain(client_as: Any, author: User, other: User) -> None:
    vote = proposal_open(by=author, title="Voter", text="Texte.", mode="majority")
    current = round_open(proposal=vote, by=author)
    http = client_as(other)
    page = body(http.get(url("proposal", vote.reference)))
    assert 'value="yes"' in page
    assert 'value="objection"' not in page
    assert "change_requested" not in page
    assert position(http, current, value="yes").status_code == 302
    assert position(http, current, value="consent").status_code == 400


def test_a_proxy_holder_takes_a_position_for_the_giver(
    client_as: Any, other: User, giver: User, in_round: Round
) -> None:
    proxy_give(giver=giver, holder=other, proposal=in_round.proposal)
    http = client_as(other)
    page = body(http.get(url("proposal", in_round.proposal.reference)))
    assert "Whose vote" in page
    assert "Chloé Donneuse" in page
    answer = position(http, in_round, value="consent", on_behalf=str(giver.pk))
    assert answer.status_code == 302
    taken = Position.objects.get(round=in_round, person=giver)
    assert taken.cast_by == other
    # Someone whose proxy one does not hold is not offered, and refused.
    stranger = associate("Denis Inconnu")
    assert position(http, in_round, value="consent", on_behalf=str(stranger.pk)).status_code == 400
    assert not Position.objects.filter(round=in_round, person=stranger).exists()


def test_someone_outside_the_rounds_electorate_takes_no_position(
    client_as: Any, demo: Any, in_round: Round
) -> None:
    # Staff take part (they coordinate) but are not associates: not in the electorate.
    http = client_as(demo["staff"])
    page = body(http.get(url("proposal", in_round.proposal.reference)))
    assert "you take no position in it" in page
    assert 'name="action" value="position"' not in page
    assert position(http, in_round, value="consent").status_code == 400
    assert not Position.objects.filter(round=in_round).exists()


def test_a_position_without_an_open_round_is_refused_with_a_message(
    client_as: Any, other: User, proposal: Proposal
) -> None:
    answer = position(client_as(other), Round(proposal=proposal), value="consent")
    assert answer.status_code == 302
    assert not Position.objects.filter(round__proposal=proposal).exists()


# Objections: examined by a facilitator, withdrawn by their author.


@pytest.fixture
def objection(in_round: Round, other: User) -> Position:
    return position_take(
        round=in_round,
        by=other,
        value="objection",
        comment="Le budget dépasse nos moyens.",
        change_requested="Le réduire de moitié.",
    )


def test_a_facilitator_declares_an_objection_not_valid_with_a_reason(
    client_as: Any, demo: Any, objection: Position
) -> None:
    http = client_as(demo["coordinator"])
    address = url("proposal", objection.round.proposal.reference)
    prefix = f"o{objection.pk}"
    page = body(http.get(address))
    assert "Examine this objection" in page
    assert "Le budget dépasse nos moyens." in page
    no_reason = http.post(
        address, {"action": "examine", "position": objection.pk, f"{prefix}-valid": "not_valid"}
    )
    assert no_reason.status_code == 400
    assert "needs a written reason" in body(no_reason)
    answer = http.post(
        address,
        {
            "action": "examine",
            "position": objection.pk,
            f"{prefix}-valid": "not_valid",
            f"{prefix}-reason": "Une préférence, pas un tort.",
        },
    )
    assert answer.status_code == 302
    objection.refresh_from_db()
    assert objection.objection_state == ObjectionState.NOT_VALID
    assert objection.examination == "Une préférence, pas un tort."


def test_only_facilitators_examine_objections(
    client_as: Any, author: User, objection: Position
) -> None:
    answer = client_as(author).post(
        url("proposal", objection.round.proposal.reference),
        {"action": "examine", "position": objection.pk, f"o{objection.pk}-valid": "valid"},
    )
    assert answer.status_code == 403
    objection.refresh_from_db()
    assert objection.objection_state == ObjectionState.RAISED


def test_the_objections_author_withdraws_it_and_nobody_else_can(
    client_as: Any, author: User, other: User, objection: Position
) -> None:
    address = url("proposal", objection.round.proposal.reference)
    data = {"action": "withdraw_objection", "position": objection.pk}
    assert "Withdraw my objection" not in body(client_as(author).get(address))
    client_as(author).post(address, data)
    objection.refresh_from_db()
    assert objection.objection_state == ObjectionState.RAISED
    http = client_as(other)
    assert "Withdraw my objection" in body(http.get(address))
    assert http.post(address, data).status_code == 302
    objection.refresh_from_db()
    assert objection.objection_state == ObjectionState.WITHDRAWN


def test_objections_are_shown_without_names_when_positions_are_anonymous(
    client_as: Any, author: User, other: User
) -> None:
    secret = proposal_open(by=author, title="Anonyme", text="Texte.", named_positions=False)
    current = round_open(proposal=secret, by=author)
    position_take(round=current, by=other, value="objection", comment="Tort.", change_requested="X")
    page = body(client_as(author).get(url("proposal", secret.reference)))
    assert "An associate" in page
    assert "Bruno Associé" not in page
    assert "published as counts only" in page


# Steering: withdrawing, amending, the outcome.


def test_withdrawing_needs_the_confirmation(
    client_as: Any, author: User, other: User, in_round: Round
) -> None:
    address = url("proposal", in_round.proposal.reference)
    refused = client_as(other).post(address, {"action": "withdraw", "confirm": "on"})
    assert refused.status_code == 403
    http = client_as(author)
    assert http.post(address, {"action": "withdraw"}).status_code == 302
    in_round.proposal.refresh_from_db()
    assert in_round.proposal.status == ProposalStatus.VOTING
    http.post(address, {"action": "withdraw", "confirm": "on"})
    in_round.proposal.refresh_from_db()
    in_round.refresh_from_db()
    assert in_round.proposal.status == ProposalStatus.WITHDRAWN
    assert in_round.reason == "superseded"
    assert "Ended: the proposal was withdrawn" in body(http.get(address))


def test_the_amend_page_is_prefilled_and_says_a_new_round_will_open(
    client_as: Any, author: User, in_round: Round
) -> None:
    page = body(client_as(author).get(url("proposal_amend", in_round.proposal.reference)))
    assert "Tester un budget participatif" in page
    assert "Le réseau **essaie** un budget." in page
    assert "a new round opens on the new version" in page


def test_an_amendment_opens_a_new_round_on_the_new_version(
    client_as: Any, author: User, other: User, in_round: Round, objection: Position
) -> None:
    answer = client_as(author).post(
        url("proposal_amend", in_round.proposal.reference),
        {"title": "Tester un petit budget", "text": "Un budget réduit.", "note": "Réduit."},
    )
    assert answer.status_code == 302
    in_round.refresh_from_db()
    objection.refresh_from_db()
    assert in_round.reason == "superseded"
    assert objection.objection_state == ObjectionState.INTEGRATED
    new = Round.objects.get(proposal=in_round.proposal, closed_at__isnull=True)
    assert new.version.number == 2
    page = body(client_as(other).get(url("proposal", in_round.proposal.reference)))
    assert "Replaced by an amendment" in page
    assert "You have not taken a position yet." in page


def test_an_amendment_that_changes_nothing_comes_back_with_the_reason(
    client_as: Any, author: User, proposal: Proposal
) -> None:
    answer = client_as(author).post(
        url("proposal_amend", proposal.reference),
        {"title": proposal.title, "text": proposal.text, "note": "Rien."},
    )
    assert answer.status_code == 400
    assert "The amendment changes nothing in the text." in body(answer)


def test_only_those_who_steer_amend(client_as: Any, other: User, proposal: Proposal) -> None:
    assert client_as(other).get(url("proposal_amend", proposal.reference)).status_code == 403
    answer = client_as(other).post(
        url("proposal_amend", proposal.reference),
        {"title": "Autre", "text": "Autre.", "note": "Autre."},
    )
    assert answer.status_code == 403
    assert proposal.versions.count() == 1


def test_a_closed_round_tells_its_outcome_counts_and_proxies(
    client_as: Any, author: User, other: User, giver: User, in_round: Round
) -> None:
    proxy_give(giver=giver, holder=other, proposal=in_round.proposal)
    position_take(round=in_round, by=other, value="consent")
    position_take(round=in_round, by=other, value="consent", on_behalf=giver)
    round_close(round=in_round, now=in_round.closes_at + timedelta(minutes=1))
    http = client_as(author)
    page = body(http.get(url("proposal", in_round.proposal.reference)))
    assert "Adopted: no objection stands and the quorum is met" in page
    assert "Counts by college" in page
    assert "Chloé Donneuse to Bruno Associé" in page
    assert "Write the outcome statement" in page
    answer = http.post(
        url("proposal", in_round.proposal.reference),
        {"action": "statement", "text": "Le budget est adopté pour un an."},
    )
    assert answer.status_code == 302
    in_round.proposal.refresh_from_db()
    assert in_round.proposal.outcome_statement == "Le budget est adopté pour un an."


def test_the_outcome_statement_is_the_authors_or_a_coordinators(
    client_as: Any, other: User, in_round: Round
) -> None:
    round_close(round=in_round, now=in_round.closes_at + timedelta(minutes=1))
    answer = client_as(other).post(
        url("proposal", in_round.proposal.reference), {"action": "statement", "text": "Non."}
    )
    assert answer.status_code == 403


# Versions.


def test_a_version_shows_what_changed_since_the_one_before(
    client_as: Any, author: User, other: User, proposal: Proposal
) -> None:
    proposal_amend(
        proposal=proposal,
        by=author,
        title="Tester un petit budget participatif",
        text="Le réseau **essaie** un petit budget.",
        note="Plus modeste.",
    )
    http = client_as(other)
    page = body(http.get(url("version", proposal.reference, 2)))
    assert '<ins><span class="visually-hidden">[added: </span>petit ' in page
    assert '<del><span class="visually-hidden">[line removed: </span>&lt;script&gt;' in page
    assert "Plus modeste." in page
    first = body(http.get(url("version", proposal.reference, 1)))
    assert "This is the first version of the text." in first
    assert http.get(url("version", proposal.reference, 3)).status_code == 404
    listed = body(http.get(url("proposal", proposal.reference)))
    assert url("version", proposal.reference, 2) in listed


# Elections.


@pytest.fixture
def election(author: User) -> Proposal:
    return proposal_open(by=author, title="Élire un référent", text="Un siège.", kind="election")


def test_an_associate_stands_and_a_coordinator_puts_another_forward(
    client_as: Any, demo: Any, other: User, election: Proposal
) -> None:
    address = url("proposal", election.reference)
    stood = client_as(other).post(address, {"action": "stand", "statement": "Moi."})
    assert stood.status_code == 302
    third = associate("Élise Candidate")
    client_as(demo["coordinator"]).post(address, {"action": "stand", "person": str(third.pk)})
    assert set(Candidate.objects.filter(proposal=election).values_list("person", flat=True)) == {
        other.pk,
        third.pk,
    }
    again = client_as(other).post(address, {"action": "stand"})
    assert again.status_code == 400
    assert "already stands" in body(again)


def test_an_approval_ballot_is_cast_once_and_stays_secret(
    client_as: Any, author: User, other: User, election: Proposal
) -> None:
    candidate = candidate_add(proposal=election, by=other, person=other)
    current = round_open(proposal=election, by=author)
    http = client_as(author)
    address = url("proposal", election.reference)
    page = body(http.get(address))
    assert 'type="checkbox" name="approved"' in page
    assert http.post(address, {"action": "ballot", "approved": [candidate.pk]}).status_code == 302
    assert Participation.objects.get(round=current).person == author
    page = body(http.get(address))
    assert "You have voted." in page
    assert 'name="action" value="ballot"' not in page
    again = http.post(address, {"action": "ballot", "approved": [candidate.pk]})
    assert again.status_code == 400
    assert "cannot be changed" in body(again)


def test_a_ranking_names_each_candidate_once(client_as: Any, author: User, other: User) -> None:
    election = proposal_open(
        by=author, title="Deux sièges", text="Texte.", kind="election", seats=2
    )
    first = candidate_add(proposal=election, by=other, person=other)
    second = candidate_add(proposal=election, by=author, person=author)
    round_open(proposal=election, by=author)
    http = client_as(other)
    address = url("proposal", election.reference)
    page = body(http.get(address))
    assert "1st choice" in page
    assert "2nd choice" in page
    twice = http.post(
        address, {"action": "ballot", "rank_1": str(first.pk), "rank_2": str(first.pk)}
    )
    assert twice.status_code == 400
    assert "Rank each candidate once only." in body(twice)
    done = http.post(
        address, {"action": "ballot", "rank_1": str(second.pk), "rank_2": str(first.pk)}
    )
    assert done.status_code == 302
    assert election.rounds.get().ballots.get().choices == [second.pk, first.pk]


# The proposal's page does not grow in queries with its rows.


def test_the_proposal_page_takes_as_many_queries_with_many_rows_as_with_few(
    client_as: Any, demo: Any, author: User, other: User, proposal: Proposal
) -> None:
    comment_add(proposal=proposal, by=other, body="Premier message.")
    proposal_amend(proposal=proposal, by=author, title="V2", text="Deux.", note="Deux.")
    round_open(proposal=proposal, by=author)
    proposal_amend(proposal=proposal, by=author, title="V3", text="Trois.", note="Trois.")
    current = Round.objects.get(proposal=proposal, closed_at__isnull=True)
    position_take(round=current, by=other, value="objection", comment="Tort.", change_requested="X")
    http = client_as(demo["coordinator"])
    address = url("proposal", proposal.reference)
    http.get(address)
    with CaptureQueriesContext(connection) as few:
        assert http.get(address).status_code == 200
    people = [associate(f"Associé {number}") for number in range(5)]
    for number, person in enumerate(people):
        comment_add(proposal=proposal, by=person, body=f"Message {number}.")
        proposal_amend(
            proposal=proposal, by=author, title=f"V{number + 4}", text=f"{number}", note="."
        )
    current = Round.objects.get(proposal=proposal, closed_at__isnull=True)
    for person in [other, *people]:
        position_take(
            round=current, by=person, value="objection", comment="Tort.", change_requested="X"
        )
    with CaptureQueriesContext(connection) as many:
        assert http.get(address).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


# My space.


def test_my_space_shows_the_rounds_awaiting_my_position(
    client_as: Any, demo: Any, other: User, in_round: Round
) -> None:
    with translation.override("en"):
        dashboard = reverse("web:dashboard")
    page = body(client_as(other).get(dashboard))
    assert "awaits your position" in page
    assert url("proposals") in page
    position_take(round=in_round, by=other, value="consent")
    assert "awaits your position" not in body(client_as(other).get(dashboard))
    assert url("proposals") not in body(client_as(demo["member"]).get(dashboard))
