"""What the client evaluations' services refuse, said to people: one sentence per code.

missions/messages.py gathers these with the other missions' sentences; the evaluation pages
read them here (`evaluation_message`), so that they work on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from guichet.missions.domain.evaluations import MAX_COMMENT_LENGTH, MAX_REPLY_LENGTH

if TYPE_CHECKING:  # django-stubs' name for a lazy string; a development dependency only
    from django_stubs_ext import StrPromise

MESSAGES: dict[str, StrPromise] = {
    # The client's link.
    "link_unknown": _(
        "This link does not open any evaluation: it is incomplete, or it was replaced by a "
        "newer one sent to you by email."
    ),
    "link_expired": _(
        "This evaluation link has expired: for your safety, evaluation links work for a while only."
    ),
    # The client's answers.
    "evaluation_not_open": _(
        "This mission cannot be evaluated at the moment: a mission is evaluated once it is "
        "delivered, and a cancelled one never is."
    ),
    "evaluation_closed": _(
        "The mission is closed: your evaluation is kept as you last sent it and can no longer "
        "be changed."
    ),
    "rating_missing": _("Give a rating from 1 to 5 to each of the four questions."),
    "rating_out_of_range": _("Ratings go from 1 to 5."),
    "comment_too_long": _("The comment is too long: write at most %(max)s characters."),
    # A member's reply.
    "reply_not_member": _("This organisation does not work on this mission."),
    "reply_not_manager": _("Only a manager of the organisation can reply for it."),
    "reply_nothing_to_answer": _("The client has not sent this evaluation yet."),
    "reply_empty": _("Write the reply before publishing it."),
    "reply_too_long": _("The reply is too long: write at most %(max)s characters."),
}
PARAMS = {
    "comment_too_long": {"max": MAX_COMMENT_LENGTH},
    "reply_too_long": {"max": MAX_REPLY_LENGTH},
}
