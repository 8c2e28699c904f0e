"""Emails about upstream contributions: a merge tells the mission's members (the people of
its organisations who did not opt out of the kind, see notifications.py)."""

from __future__ import annotations

from guichet.missions import notifications
from guichet.missions.models import Contribution


def contribution_merged(contribution: Contribution) -> None:
    """Tell the mission's members that one of its contributions is merged upstream."""
    notifications.to_members(
        contribution.mission,
        notifications.CONTRIBUTION_MERGED,
        "contribution_merged",
        {
            "contribution": contribution,
            "software": contribution.software,
            "organisation": contribution.organisation,
        },
    )
