"""Missions: delivery, invoices, upstream contributions and client evaluations."""

from guichet.missions.models.contributions import (
    Contribution,
    ContributionKind,
    ContributionStatus,
)
from guichet.missions.models.delivery import DeliveredDays, Invoice, InvoiceStatus
from guichet.missions.models.evaluations import Evaluation, EvaluationReply
from guichet.missions.models.missions import (
    Milestone,
    Mission,
    MissionDocument,
    MissionEvent,
    MissionMember,
    MissionRole,
    MissionStatus,
)

__all__ = [
    "Contribution",
    "ContributionKind",
    "ContributionStatus",
    "DeliveredDays",
    "Evaluation",
    "EvaluationReply",
    "Invoice",
    "InvoiceStatus",
    "Milestone",
    "Mission",
    "MissionDocument",
    "MissionEvent",
    "MissionMember",
    "MissionRole",
    "MissionStatus",
]
