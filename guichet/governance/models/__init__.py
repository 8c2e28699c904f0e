"""Governance: proposals, rounds of decision, positions, proxies, ballots, statutes."""

from guichet.governance.models.proposals import (
    OPEN_STATUSES,
    Attachment,
    Candidate,
    Comment,
    DecisionMode,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalVersion,
    Threshold,
)
from guichet.governance.models.rounds import (
    Ballot,
    ObjectionState,
    Participation,
    Position,
    PositionValue,
    Proxy,
    Round,
)
from guichet.governance.models.statutes import CollegeRule, Statutes

__all__ = [
    "OPEN_STATUSES",
    "Attachment",
    "Ballot",
    "Candidate",
    "CollegeRule",
    "Comment",
    "DecisionMode",
    "ObjectionState",
    "Participation",
    "Position",
    "PositionValue",
    "Proposal",
    "ProposalKind",
    "ProposalStatus",
    "ProposalVersion",
    "Proxy",
    "Round",
    "Statutes",
    "Threshold",
]
