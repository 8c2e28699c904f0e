"""What governance holds about a person: the proposals they opened, their messages, the
positions they took (and those they cast as a proxy), their proxies, their candidacies, and
that they voted in an election.

Ballots are not in the export: they are secret, and nothing links a ballot to its voter.

Erasure keeps the decision log whole: every position's value, every objection's state and
its examination, every count and the register of proxies stay, since decisions were taken on
them. What goes is what leads to the person beyond the anonymised account: the free texts
they wrote (messages, the comments and requested changes of their positions, candidacy
statements) are emptied, the links that may be empty are emptied (author, written by,
examined by), and the proxies still in force are revoked (kept in the register). The links
that must stay (a position's person, a participation) point at the account, which the
accounts app anonymises last.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.core.registries.personal_data import PersonalData, register
from guichet.governance.models import (
    Attachment,
    Candidate,
    Comment,
    Participation,
    Position,
    Proposal,
    ProposalVersion,
    Proxy,
)


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _proxy(proxy: Proxy) -> dict[str, Any]:
    # The other person of the proxy is theirs to export, not this person's.
    return {
        "proposal": proxy.proposal.reference if proxy.proposal else None,
        "from": _when(proxy.starts_on),
        "until": _when(proxy.ends_on),
        "given_at": _when(proxy.created_at),
        "revoked_at": _when(proxy.revoked_at),
    }


def export(person: Any) -> dict[str, Any]:
    positions = Position.objects.filter(person=person).select_related("round__proposal")
    cast_for_others = (
        Position.objects.filter(cast_by=person)
        .exclude(person=person)
        .select_related("round__proposal")
    )
    return {
        "proposals_opened": [
            {
                "reference": proposal.reference,
                "title": proposal.title,
                "kind": proposal.kind,
                "status": proposal.status,
                "opened_at": _when(proposal.created_at),
            }
            for proposal in Proposal.objects.filter(author=person).order_by("created_at")
        ],
        "comments": [
            {
                "proposal": comment.proposal.reference,
                "written_at": _when(comment.created_at),
                "message": comment.body,
            }
            for comment in Comment.objects.filter(author=person).select_related("proposal")
        ],
        "positions": [
            {
                "proposal": position.round.proposal.reference,
                "round": position.round.number,
                "position": position.value,
                "comment": position.comment,
                "change_requested": position.change_requested,
                "objection_state": position.objection_state,
                "taken_by_a_proxy": position.cast_by_id != position.person_id,
                "taken_at": _when(position.taken_at),
            }
            for position in positions
        ],
        "positions_taken_as_proxy": [
            {
                "proposal": position.round.proposal.reference,
                "round": position.round.number,
                "position": position.value,
                "taken_at": _when(position.taken_at),
            }
            for position in cast_for_others
        ],
        "proxies_given": [
            _proxy(proxy) for proxy in Proxy.objects.filter(giver=person).select_related("proposal")
        ],
        "proxies_held": [
            _proxy(proxy)
            for proxy in Proxy.objects.filter(holder=person).select_related("proposal")
        ],
        "candidacies": [
            {"election": candidate.proposal.reference, "statement": candidate.statement}
            for candidate in Candidate.objects.filter(person=person).select_related("proposal")
        ],
        # That the person voted, never what: ballots are secret and lead to nobody.
        "elections_voted_in": sorted(
            Participation.objects.filter(person=person)
            .values_list("round__proposal__reference", flat=True)
            .distinct()
        ),
        "versions_written": ProposalVersion.objects.filter(created_by=person).count(),
        "attachments_added": Attachment.objects.filter(uploaded_by=person).count(),
        "outcome_statements_written": Proposal.objects.filter(outcome_statement_by=person).count(),
        "objections_examined": Position.objects.filter(examined_by=person).count(),
    }


def erase(person: Any) -> int:
    with transaction.atomic():
        touched = Comment.objects.filter(author=person).update(body="", author=None)
        touched += Position.objects.filter(person=person).update(comment="", change_requested="")
        touched += Candidate.objects.filter(person=person).update(statement="")
        touched += Proxy.objects.filter(revoked_at__isnull=True, giver=person).update(
            revoked_at=timezone.now()
        )
        touched += Proxy.objects.filter(revoked_at__isnull=True, holder=person).update(
            revoked_at=timezone.now()
        )
        touched += Proposal.objects.filter(author=person).update(author=None)
        touched += Proposal.objects.filter(outcome_statement_by=person).update(
            outcome_statement_by=None
        )
        touched += ProposalVersion.objects.filter(created_by=person).update(created_by=None)
        touched += Attachment.objects.filter(uploaded_by=person).update(uploaded_by=None)
        touched += Position.objects.filter(examined_by=person).update(examined_by=None)
        return touched


register(
    PersonalData(
        app="governance",
        fields=(
            "governance.Proposal.author",
            "governance.Proposal.outcome_statement_by",
            "governance.ProposalVersion.created_by",
            "governance.Comment.author",
            "governance.Comment.body",
            "governance.Attachment.uploaded_by",
            "governance.Candidate.person",
            "governance.Candidate.statement",
            "governance.Position.person",
            "governance.Position.cast_by",
            "governance.Position.comment",
            "governance.Position.change_requested",
            "governance.Position.examined_by",
            "governance.Proxy.giver",
            "governance.Proxy.holder",
            "governance.Participation.person",
            "governance.Participation.cast_by",
        ),
        export=export,
        erase=erase,
        order=60,
    )
)
