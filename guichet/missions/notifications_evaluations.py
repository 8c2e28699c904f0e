"""Emails of client evaluations besides the client's own link (notifications.py): the
members are told when their client's evaluation arrives (kind EVALUATION_PUBLISHED, which
each person may refuse from the Emails page of its space)."""

from __future__ import annotations

from guichet.missions.models import Evaluation
from guichet.missions.notifications import EVALUATION_PUBLISHED, to_members


def evaluation_received(evaluation: Evaluation) -> None:
    """One email to each person of the mission's organisations who accepts this kind. The
    comment is not in the email: it is read on the mission's page, behind sign-in."""
    to_members(
        evaluation.mission,
        EVALUATION_PUBLISHED,
        "evaluation_received",
        {"evaluation": evaluation, "has_comment": bool(evaluation.comment.strip())},
    )
