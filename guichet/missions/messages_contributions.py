"""What the contribution and justification services refuse, said to people.

`MESSAGES` maps each code services/contributions.py raises to a translated sentence;
`error_message(code)` also answers the missions' general codes (mission_ended,
close_needs_contribution…) through guichet/missions/messages.py, which may gather these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from guichet.missions.services.contributions import JUSTIFICATION_MAX, JUSTIFICATION_MIN

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    "contributions_not_open": _(
        "This mission is cancelled: no contribution can be logged or changed on it."
    ),
    "organisation_not_member": _("This organisation does not work on this mission."),
    "contribution_kind_unknown": _("Choose a kind of contribution among those offered."),
    "contribution_status_unknown": _("Choose a status among those offered."),
    "contribution_title_missing": _(
        "Give the contribution a title, e.g. “Fix the CSV export of tickets”."
    ),
    "contribution_title_too_long": _("The title is too long: write at most 200 characters."),
    "url_not_http": _(
        "Give the contribution's web address, starting with https:// or http://, e.g. "
        "https://gitlab.com/project/-/merge_requests/42."
    ),
    "url_too_long": _("The address is too long: at most 500 characters."),
    "url_duplicate": _(
        "This address is already logged as a contribution: each contribution is logged once."
    ),
    "justification_not_needed": _(
        "This mission includes no development work: it needs no justification to close."
    ),
    "justification_not_allowed": _(
        "Only the managers of the mission's organisations and the coordinators may write the "
        "justification."
    ),
    "justification_too_short": _(
        "Explain in a few sentences why nothing went upstream (at least %(min)s characters)."
    ),
    "justification_too_long": _("The justification is too long: write at most %(max)s characters."),
    "justification_missing": _("No justification has been written yet: nothing to approve."),
    "justification_approve_not_allowed": _("Only a coordinator may approve a justification."),
}


# The figures some sentences give, unless the caller gives others.
PARAMS: dict[str, dict[str, Any]] = {
    "justification_too_short": {"min": JUSTIFICATION_MIN},
    "justification_too_long": {"max": JUSTIFICATION_MAX},
}
