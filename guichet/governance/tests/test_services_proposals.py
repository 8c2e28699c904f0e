"""Proposals as services: opened by associates, referenced, versioned by amendments,
discussed, documented, withdrawn, and their outcome stated once decided."""

from __future__ import annotations

import difflib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guichet.core.documents import document_check
from guichet.core.models import AuditEntry
from guichet.governance.models import (
    DecisionMode,
    ObjectionState,
    Position,
    PositionValue,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
)
from guichet.governance.services.common import GovernanceError
from guichet.governance.services.positions import objection_examine, position_take
from guichet.governance.services.proposals import (
    MAX_ATTACHMENTS,
    attachment_add,
    comment_add,
    current_round,
    outcome_statement_record,
    proposal_amend,
    proposal_open,
    proposal_withdraw,
)
from guichet.governance.tests.factories import (
    associate,
    associates,
    closed,
    discussed,
    opened,
    proposal,
)

pytestmark = pytest.mark.django_db


def refused(code: str) -> Any:
    return pytest.raises(GovernanceError, match=f"^{code}$")


def pdf(name: str = "annexe.pdf") -> Any:
    return document_check(SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n", "application/pdf"))


# --- Opening ---------------------------------------------------------------------------------


def test_an_associate_opens_a_proposal_in_discussion_with_its_first_version(
    cleared: dict[str, Any],
) -> None:
    author = associate()

    opened_proposal = proposal_open(by=author, title=" La charte ", text="Son texte.")

    assert opened_proposal.status == ProposalStatus.DISCUSSION
    assert opened_proposal.title == "La charte"
    assert opened_proposal.discussion_ends_at >= timezone.now() + timedelta(days=6)
    version = opened_proposal.versions.get()
    assert (version.number, version.title, version.text) == (1, "La charte", "Son texte.")
    assert version.created_by == author
    assert AuditEntry.objects.filter(
        action="proposal.open", object_id=str(opened_proposal.pk)
    ).exists()


def test_a_coordinator_who_is_not_an_associate_may_open_a_proposal(coordinator: Any) -> None:
    assert proposal(coordinator).author == coordinator


@pytest.mark.parametrize("login", ["member", "client", "applicant"])
def test_people_who_are_not_associates_cannot_open_a_proposal(
    cleared: dict[str, Any], login: str
) -> None:
    with refused("not_an_associate"):
        proposal(cleared[login])
    assert not Proposal.objects.exists()


def test_references_are_unique_and_follow_each_other_within_the_year(
    cleared: dict[str, Any],
) -> None:
    author = associate()
    year = timezone.now().year

    references = [proposal(author, title=f"Proposition {n}").reference for n in range(3)]

    assert references == [f"D-{year}-001", f"D-{year}-002", f"D-{year}-003"]


def test_the_next_reference_follows_the_highest_even_when_a_number_is_missing(
    cleared: dict[str, Any],
) -> None:
    author = associate()
    year = timezone.now().year
    first, _second, third = (proposal(author, title=f"P{n}") for n in range(3))
    Proposal.objects.filter(pk=first.pk).delete()  # no round yet: it can go

    assert proposal(author).reference == f"D-{year}-004"
    assert third.reference == f"D-{year}-003"


def test_an_election_is_always_decided_by_a_secret_election(cleared: dict[str, Any]) -> None:
    item = proposal(
        associate(),
        kind=ProposalKind.ELECTION,
        mode=DecisionMode.MAJORITY,
        named_positions=True,
        seats=3,
    )

    assert (item.mode, item.named_positions, item.seats) == (DecisionMode.ELECTION, False, 3)


def test_only_an_election_fills_several_seats(cleared: dict[str, Any]) -> None:
    assert proposal(associate(), seats=3).seats == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "title_required"),
        ({"text": ""}, "text_required"),
        ({"kind": "coup"}, "unknown_kind"),
        ({"mode": "election"}, "unknown_mode"),
        ({"threshold": "unanimity"}, "unknown_threshold"),
        ({"kind": ProposalKind.ELECTION, "seats": 0}, "seats_out_of_range"),
        ({"kind": ProposalKind.CONTRIBUTIVE_BUDGET}, "budget_required"),
        (
            {"kind": ProposalKind.CONTRIBUTIVE_BUDGET, "budget_amount": Decimal("0")},
            "budget_required",
        ),
    ],
)
def test_a_proposal_that_is_not_complete_is_refused(
    cleared: dict[str, Any], fields: dict[str, Any], code: str
) -> None:
    with refused(code):
        proposal(associate(), **fields)
    assert not Proposal.objects.exists()


# --- Amending --------------------------------------------------------------------------------


def test_an_amendment_is_a_new_version_whose_change_can_be_shown(cleared: dict[str, Any]) -> None:
    author = associate()
    item = proposal(author, text="Article 1.\nLes membres reversent 2 %.\n")

    version = proposal_amend(
        proposal=item,
        by=author,
        title=item.title,
        text="Article 1.\nLes membres reversent 3 %.\n",
        note="Le taux passe à 3 %.",
    )

    item.refresh_from_db()
    assert version.number == 2
    assert version.note == "Le taux passe à 3 %."
    assert item.text == "Article 1.\nLes membres reversent 3 %.\n".strip()
    first, second = item.versions.order_by("number")
    changed = [
        line
        for line in difflib.unified_diff(first.text.splitlines(), second.text.splitlines())
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["-Les membres reversent 2 %.", "+Les membres reversent 3 %."]


def test_an_amendment_needs_a_note_and_a_change(cleared: dict[str, Any]) -> None:
    author = associate()
    item = proposal(author)

    with refused("amendment_note_required"):
        proposal_amend(proposal=item, by=author, title="Autre", text=item.text, note=" ")
    with refused("amendment_unchanged"):
        proposal_amend(proposal=item, by=author, title=item.title, text=item.text, note="Rien")
    assert item.versions.count() == 1


@pytest.mark.parametrize("kind", ["charter_change", "rule_change"])
def test_a_charter_or_rules_change_is_not_amended_since_its_draft_is_what_applies(
    cleared: dict[str, Any], kind: str
) -> None:
    author = associate()
    item = proposal(author, kind=kind)

    with refused("amend_the_subject"):
        proposal_amend(proposal=item, by=author, title="Autre", text="Autre texte", note="N")
    assert item.versions.count() == 1
    assert proposal(author).amendable  # a general proposal is amended as it goes


def test_only_the_author_or_a_coordinator_amends(coordinator: Any) -> None:
    author, other = associates(2)
    item = proposal(author)

    with refused("not_the_author"):
        proposal_amend(proposal=item, by=other, title="T", text="Autre", note="N")
    proposal_amend(proposal=item, by=coordinator, title="T", text="Autre", note="N")

    assert item.versions.count() == 2


def test_amending_during_a_round_supersedes_it_and_opens_a_fresh_one(
    coordinator: Any,
) -> None:
    author, consenting, objecting, examined, settled = associates(5)
    item = discussed(proposal(author))
    first = opened(item)
    position_take(round=first, by=consenting, value=PositionValue.CONSENT)
    raised = position_take(
        round=first, by=objecting, value="objection", comment="Nuit", change_requested="Ôter"
    )
    valid = position_take(
        round=first, by=examined, value="objection", comment="Nuit", change_requested="Ôter"
    )
    objection_examine(position=valid, by=coordinator, valid=True)
    dismissed = position_take(
        round=first, by=settled, value="objection", comment="Goût", change_requested="Autre"
    )
    objection_examine(position=dismissed, by=coordinator, valid=False, reason="Une préférence")

    version = proposal_amend(
        proposal=item, by=author, title=item.title, text="Nouveau texte", note="Objection levée"
    )

    first.refresh_from_db()
    assert first.closed_at is not None
    assert (first.adopted, first.reason) == (None, "superseded")
    states = dict(Position.objects.filter(round=first).values_list("pk", "objection_state"))
    assert states[raised.pk] == ObjectionState.INTEGRATED
    assert states[valid.pk] == ObjectionState.INTEGRATED
    assert states[dismissed.pk] == ObjectionState.NOT_VALID
    assert Position.objects.filter(round=first).count() == 4  # the history stays
    second = current_round(item)
    assert second is not None
    assert (second.number, second.version) == (2, version)
    assert not second.positions.exists()
    item.refresh_from_db()
    assert item.status == ProposalStatus.VOTING
    assert Round.objects.filter(proposal=item).count() == 2


def test_amending_in_discussion_opens_no_round(cleared: dict[str, Any]) -> None:
    author = associate()
    item = proposal(author)

    proposal_amend(proposal=item, by=author, title="T", text="Autre", note="N")

    assert not item.rounds.exists()


# --- Discussion and attachments --------------------------------------------------------------


def test_associates_and_coordinators_discuss_a_proposal(coordinator: Any) -> None:
    author, other = associates(2)
    item = proposal(author)

    comment_add(proposal=item, by=other, body=" Je soutiens. ")
    comment_add(proposal=item, by=coordinator, body="Précision de procédure.")

    assert list(item.comments.values_list("author", "body")) == [
        (other.pk, "Je soutiens."),
        (coordinator.pk, "Précision de procédure."),
    ]


def test_who_is_not_an_associate_cannot_comment(cleared: dict[str, Any]) -> None:
    item = proposal(associate())

    with refused("not_an_associate"):
        comment_add(proposal=item, by=cleared["member"], body="Bonjour")


def test_an_empty_comment_or_one_on_a_decided_proposal_is_refused(
    cleared: dict[str, Any],
) -> None:
    author = associate()
    item = proposal(author)

    with refused("comment_empty"):
        comment_add(proposal=item, by=author, body="   ")
    proposal_withdraw(proposal=item, by=author)
    with refused("proposal_closed"):
        comment_add(proposal=item, by=author, body="Trop tard")
    assert not item.comments.exists()


def test_the_author_attaches_documents_up_to_the_limit(cleared: dict[str, Any]) -> None:
    author, other = associates(2)
    item = proposal(author)

    for n in range(MAX_ATTACHMENTS):
        attachment_add(proposal=item, by=author, document=pdf(f"annexe-{n}.pdf"))
    with refused("too_many_attachments"):
        attachment_add(proposal=item, by=author, document=pdf())
    with refused("not_the_author"):
        attachment_add(proposal=item, by=other, document=pdf())

    attachments = list(item.attachments.all())
    assert len(attachments) == MAX_ATTACHMENTS
    assert attachments[0].name == "annexe-0.pdf"
    assert attachments[0].content_type == "application/pdf"
    assert attachments[0].uploaded_by == author
    # The stored file is named at random, never after the uploaded name.
    assert "annexe" not in attachments[0].file.name


# --- Withdrawing -----------------------------------------------------------------------------


def test_the_author_withdraws_a_proposal_and_its_open_round_ends(cleared: dict[str, Any]) -> None:
    author, voter = associates(2)
    item = discussed(proposal(author))
    running = opened(item)
    position_take(round=running, by=voter, value=PositionValue.CONSENT)

    proposal_withdraw(proposal=item, by=author)

    item.refresh_from_db()
    running.refresh_from_db()
    assert item.status == ProposalStatus.WITHDRAWN
    assert item.decided_at is not None
    assert (running.reason, running.adopted) == ("superseded", None)
    assert running.closed_at is not None
    with refused("proposal_closed"):
        proposal_amend(proposal=item, by=author, title="T", text="Autre", note="N")
    with refused("proposal_closed"):
        proposal_withdraw(proposal=item, by=author)


def test_another_associate_cannot_withdraw_a_proposal(cleared: dict[str, Any]) -> None:
    author, other = associates(2)
    item = proposal(author)

    with refused("not_the_author"):
        proposal_withdraw(proposal=item, by=other)
    item.refresh_from_db()
    assert item.status == ProposalStatus.DISCUSSION


# --- The outcome statement -------------------------------------------------------------------


def adopted(author: Any, voter: Any) -> Proposal:
    item = discussed(proposal(author))
    running = opened(item)
    position_take(round=running, by=voter, value=PositionValue.CONSENT)
    closed(running)
    item.refresh_from_db()
    assert item.status == ProposalStatus.ADOPTED
    return item


def test_the_outcome_is_stated_only_once_the_decision_is_taken(cleared: dict[str, Any]) -> None:
    author, voter = associates(2)
    undecided = proposal(author)

    with refused("not_decided"):
        outcome_statement_record(proposal=undecided, by=author, text="Adoptée.")

    item = adopted(author, voter)
    outcome_statement_record(proposal=item, by=author, text=" Adoptée sans objection. ")
    item.refresh_from_db()
    assert (item.outcome_statement, item.outcome_statement_by) == (
        "Adoptée sans objection.",
        author,
    )
    assert AuditEntry.objects.filter(action="proposal.statement", actor_id=author.pk).exists()


def test_only_the_author_or_a_coordinator_states_the_outcome(coordinator: Any) -> None:
    author, voter = associates(2)
    item = adopted(author, voter)

    with refused("not_the_author"):
        outcome_statement_record(proposal=item, by=voter, text="Adoptée.")
    with refused("statement_required"):
        outcome_statement_record(proposal=item, by=coordinator, text=" ")
    outcome_statement_record(proposal=item, by=coordinator, text="Adoptée, consignée.")

    item.refresh_from_db()
    assert item.outcome_statement_by == coordinator


def test_a_withdrawn_proposal_has_no_outcome_to_state(cleared: dict[str, Any]) -> None:
    author = associate()
    item = proposal_withdraw(proposal=proposal(author), by=author)

    with refused("not_decided"):
        outcome_statement_record(proposal=item, by=author, text="Retirée.")


def test_a_round_past_its_deadline_is_decided_not_ended_by_an_amendment_or_a_withdrawal(
    cleared: dict[str, Any],
) -> None:
    # The closing task may run a little late: meanwhile, neither the author's amendment nor
    # a withdrawal may end without outcome a round whose deadline has passed.
    author, objecting = associates(2)
    item = discussed(proposal(author))
    running = opened(item)
    position_take(
        round=running, by=objecting, value="objection", comment="Nuit", change_requested="Ôter"
    )
    Round.objects.filter(pk=running.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with refused("round_past_deadline"):
        proposal_amend(proposal=item, by=author, title=item.title, text="Autre", note="N")
    with refused("round_past_deadline"):
        proposal_withdraw(proposal=item, by=author)

    running.refresh_from_db()
    assert running.closed_at is None
    assert item.versions.count() == 1
    decided = closed(running)
    assert (decided.adopted, decided.reason) == (False, "objection_standing")
