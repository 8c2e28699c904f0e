"""Opening, amending, discussing and withdrawing proposals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.access import is_coordinator
from guichet.core.audit import audit_record
from guichet.core.documents import CheckedDocument
from guichet.governance import notifications
from guichet.governance.access import can_take_part, is_associate
from guichet.governance.domain import decisions
from guichet.governance.models import (
    OPEN_STATUSES,
    Attachment,
    Candidate,
    Comment,
    DecisionMode,
    ObjectionState,
    Position,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalVersion,
    Round,
    Threshold,
)
from guichet.governance.services.common import (
    GovernanceError,
    may_steer,
    statutes_current,
)
from guichet.governance.services.rounds import round_open, round_supersede

MAX_ATTACHMENTS = 10


def _next_reference(year: int) -> str:
    """The year's next number after its highest (not its count: a number once given is
    never given again, even if its proposal is gone)."""
    prefix = f"D-{year}-"
    numbers = Proposal.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    highest = max(
        (int(ref[len(prefix) :]) for ref in numbers if ref[len(prefix) :].isdigit()), default=0
    )
    return f"{prefix}{highest + 1:03d}"


def _checked_texts(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise GovernanceError("title_required")
    if not text:
        raise GovernanceError("text_required")
    return title, text


def proposal_open(
    *,
    by: Any,
    title: str,
    text: str,
    kind: str = ProposalKind.GENERAL,
    mode: str = DecisionMode.CONSENT,
    threshold: str = Threshold.SIMPLE,
    named_positions: bool = True,
    seats: int = 1,
    subject: str = "",
    budget_amount: Decimal | None = None,
    payload: dict[str, Any] | None = None,
) -> Proposal:
    """A new proposal in discussion, its text as version 1; the associates are told.

    Elections are decided by election and their ballots are secret; the other kinds by
    consent or majority. The discussion lasts at least the statutes' minimum before any
    round may close.
    """
    if not can_take_part(by):
        raise GovernanceError("not_an_associate")
    title, text = _checked_texts(title, text)
    if kind not in ProposalKind.values:
        raise GovernanceError("unknown_kind")
    if kind == ProposalKind.ELECTION:
        mode, named_positions = DecisionMode.ELECTION, False
    elif mode not in (DecisionMode.CONSENT, DecisionMode.MAJORITY):
        raise GovernanceError("unknown_mode")
    if threshold not in Threshold.values:
        raise GovernanceError("unknown_threshold")
    if not 1 <= seats <= 50:
        raise GovernanceError("seats_out_of_range")
    if kind == ProposalKind.CONTRIBUTIVE_BUDGET and (budget_amount is None or budget_amount <= 0):
        raise GovernanceError("budget_required")
    now = timezone.now()
    statutes = statutes_current()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                proposal = _proposal_create(
                    reference=_next_reference(now.year),
                    kind=kind,
                    mode=mode,
                    threshold=threshold,
                    title=title,
                    text=text,
                    by=by,
                    discussion_ends_at=now + timedelta(days=statutes.discussion_days),
                    named_positions=named_positions,
                    seats=seats if kind == ProposalKind.ELECTION else 1,
                    subject=subject,
                    budget_amount=budget_amount,
                    payload=payload or {},
                )
            return proposal
        except IntegrityError:
            continue  # two proposals took the same number at once: count again
    raise GovernanceError("reference_busy")


def _proposal_create(*, by: Any, **fields: Any) -> Proposal:
    """The proposal, its first version, its audit entry and its emails, all or nothing."""
    proposal = Proposal.objects.create(author=by, **fields)
    ProposalVersion.objects.create(
        proposal=proposal, number=1, title=proposal.title, text=proposal.text, created_by=by
    )
    audit_record(
        action="proposal.open",
        actor=by,
        target=proposal,
        data={"kind": proposal.kind, "mode": proposal.mode, "reference": proposal.reference},
    )
    notifications.proposal_opened(proposal)
    return proposal


def _locked_open(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in OPEN_STATUSES:
        raise GovernanceError("proposal_closed")
    return locked


def _open_round_before_deadline(proposal: Proposal) -> Round | None:
    """The open round, refused once past its deadline: it is decided as at its deadline (by
    the closing task), never ended without outcome by an amendment or a withdrawal."""
    current = proposal.rounds.filter(closed_at__isnull=True).first()
    if current is not None and timezone.now() >= current.closes_at:
        raise GovernanceError("round_past_deadline")
    return current


def proposal_amend(
    *, proposal: Proposal, by: Any, title: str, text: str, note: str
) -> ProposalVersion:
    """A new version of the text. If a round is open it ends without outcome, its standing
    objections marked integrated, and a new round opens on the new version (positions
    start afresh; the old round stays in the history)."""
    if not may_steer(proposal, by):
        raise GovernanceError("not_the_author")
    title, text = _checked_texts(title, text)
    if not proposal.amendable:
        raise GovernanceError("amend_the_subject")
    if not (note or "").strip():
        raise GovernanceError("amendment_note_required")
    with transaction.atomic():
        proposal = _locked_open(proposal)
        if proposal.mode == DecisionMode.ELECTION and proposal.rounds.exists():
            raise GovernanceError("election_started")
        current = _open_round_before_deadline(proposal)
        latest = proposal.versions.order_by("-number").first()
        if latest is not None and latest.title == title and latest.text == text:
            raise GovernanceError("amendment_unchanged")
        version = ProposalVersion.objects.create(
            proposal=proposal,
            number=(latest.number if latest else 0) + 1,
            title=title,
            text=text,
            note=note.strip(),
            created_by=by,
        )
        proposal.title, proposal.text = title, text
        proposal.save(update_fields=["title", "text"])
        audit_record(
            action="proposal.amend",
            actor=by,
            target=proposal,
            data={"version": version.number, "round_superseded": bool(current)},
        )
        if current is not None:
            Position.objects.filter(
                round=current, objection_state__in=sorted(decisions.STANDING)
            ).update(objection_state=ObjectionState.INTEGRATED)
            round_supersede(round=current)
            round_open(proposal=proposal, by=by)
    return version


def proposal_withdraw(*, proposal: Proposal, by: Any) -> Proposal:
    """The author (or a coordinator) withdraws a proposal still open; an open round ends."""
    if not may_steer(proposal, by):
        raise GovernanceError("not_the_author")
    with transaction.atomic():
        proposal = _locked_open(proposal)
        current = _open_round_before_deadline(proposal)
        if current is not None:
            round_supersede(round=current)
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        audit_record(action="proposal.withdraw", actor=by, target=proposal)
    return proposal


def comment_add(*, proposal: Proposal, by: Any, body: str) -> Comment:
    """A message in the discussion thread (associates and coordinators), while it is open."""
    if not can_take_part(by):
        raise GovernanceError("not_an_associate")
    body = (body or "").strip()
    if not body:
        raise GovernanceError("comment_empty")
    if len(body) > 10_000:
        raise GovernanceError("comment_too_long")
    with transaction.atomic():
        proposal = _locked_open(proposal)
        comment = Comment.objects.create(proposal=proposal, author=by, body=body)
        audit_record(action="proposal.comment", actor=by, target=proposal)
    return comment


def attachment_add(*, proposal: Proposal, by: Any, document: CheckedDocument) -> Attachment:
    """A checked document attached by the author or a coordinator, while it is open."""
    if not may_steer(proposal, by):
        raise GovernanceError("not_the_author")
    with transaction.atomic():
        proposal = _locked_open(proposal)
        if proposal.attachments.count() >= MAX_ATTACHMENTS:
            raise GovernanceError("too_many_attachments")
        attachment = Attachment.objects.create(
            proposal=proposal,
            file=document.file,
            name=document.name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by=by,
        )
        audit_record(action="proposal.attach", actor=by, target=proposal)
    return attachment


def candidate_add(*, proposal: Proposal, by: Any, person: Any, statement: str = "") -> Candidate:
    """An associate stands (or is put forward by a coordinator) before the election opens."""
    if proposal.mode != DecisionMode.ELECTION:
        raise GovernanceError("not_an_election")
    if not (by.pk == person.pk or is_coordinator(by)):
        raise GovernanceError("not_allowed")
    if not is_associate(person):
        raise GovernanceError("candidate_not_associate")
    with transaction.atomic():
        proposal = _locked_open(proposal)
        if proposal.rounds.exists():
            raise GovernanceError("election_started")
        if proposal.candidates.filter(person=person).exists():
            raise GovernanceError("already_candidate")
        candidate = Candidate.objects.create(
            proposal=proposal, person=person, statement=(statement or "").strip()
        )
        audit_record(action="election.stand", actor=by, target=proposal)
    return candidate


def outcome_statement_record(*, proposal: Proposal, by: Any, text: str) -> Proposal:
    """The author or a coordinator states the outcome in words, once the decision is taken;
    the same words sent again change nothing (not even who stated them)."""
    if not may_steer(proposal, by):
        raise GovernanceError("not_the_author")
    text = (text or "").strip()
    if not text:
        raise GovernanceError("statement_required")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in (ProposalStatus.ADOPTED, ProposalStatus.REJECTED):
            raise GovernanceError("not_decided")
        if text == proposal.outcome_statement:
            return proposal
        proposal.outcome_statement = text
        proposal.outcome_statement_by = by
        proposal.save(update_fields=["outcome_statement", "outcome_statement_by"])
        audit_record(action="proposal.statement", actor=by, target=proposal)
    return proposal


def current_round(proposal: Proposal) -> Round | None:
    return proposal.rounds.filter(closed_at__isnull=True).first()
