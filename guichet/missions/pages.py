"""The missions' pages, for the browser quality suite (see core/registries/pages.py).

The evaluation and contribution pages are registered by their own modules, imported here.
"""

from django.urls import reverse

from guichet.core.registries.pages import Page, exempt_url, register
from guichet.missions import pages_contributions, pages_evaluations  # noqa: F401 - registers
from guichet.missions.demo import RUNNING_TITLE
from guichet.missions.models import Mission
from guichet.needs.services.links import follow_token


def _demo_mission(**lookup: object) -> int:
    found = Mission.objects.filter(**lookup).order_by("pk").first()
    if found is None:
        raise LookupError(f"No demo mission matches {lookup}: load the demo.")
    return found.pk


register(
    Page(
        "missions",
        lambda: reverse("missions:list"),
        ("coordinator", "member_other"),
        ("missions:list",),
    )
)
register(
    Page(
        "missions-running",
        lambda: reverse("missions:list") + "?status=running",
        ("coordinator",),
    )
)
register(
    Page(
        "mission-running",
        lambda: reverse("missions:mission", args=[_demo_mission(title__startswith=RUNNING_TITLE)]),
        ("coordinator", "member_other"),
        ("missions:mission",),
    )
)
register(
    Page(
        "mission-closed",
        lambda: reverse("missions:mission", args=[_demo_mission(status="closed")]),
        ("coordinator",),
    )
)
exempt_url("missions:start", "POST only: starts a mission, then its page.")
exempt_url("missions:mission_document", "A file download, for the mission's members.")


def _follow_with_mission() -> str:
    """The client's follow-up page of the running demo mission's request."""
    mission = Mission.objects.get(pk=_demo_mission(title__startswith=RUNNING_TITLE))
    return reverse("needs:request_follow", args=[follow_token(mission.request)])


register(Page("request-follow-mission", _follow_with_mission))
