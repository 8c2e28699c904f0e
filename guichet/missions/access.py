"""Who may see or act on a mission, one place.

- Coordinators see and steer every mission.
- The people of an organisation working on the mission (any role) see it, its timeline,
  days and documents; the rates of all its members too, since they share one contract.
  Nobody else sees a mission's rates: another consortium's member gets a 404.
- Managers of a member organisation record that organisation's days, invoices and
  contributions; any of its people may log a contribution.
- The client sees its missions' status through its follow-up link, and evaluates through
  its own evaluation link — never another mission's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.access import is_coordinator
from guichet.missions.models import Mission, MissionMember
from guichet.network.models import Membership


def can_coordinate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_coordinator(user)


def organisations_of(user: Any) -> QuerySet[Any]:
    return Membership.objects.filter(person_id=getattr(user, "pk", None)).values("organisation_id")


def missions_of_person(user: Any) -> QuerySet[Mission]:
    """The missions a person may open: all for coordinators, else those of its organisations."""
    if not getattr(user, "is_authenticated", False):
        return Mission.objects.none()
    if is_coordinator(user):
        return Mission.objects.all()
    return Mission.objects.filter(
        pk__in=MissionMember.objects.filter(organisation__in=organisations_of(user)).values(
            "mission_id"
        )
    )


def managed_members(user: Any, mission: Mission) -> QuerySet[MissionMember]:
    """The mission's members the person speaks for: all for coordinators, else those of the
    organisations it manages."""
    members = mission.members.all()
    if can_coordinate(user):
        return members
    return members.filter(
        organisation__in=Membership.objects.filter(
            person_id=getattr(user, "pk", None), is_manager=True
        ).values("organisation_id")
    )


def own_members(user: Any, mission: Mission) -> QuerySet[MissionMember]:
    """The mission's members the person belongs to (manager or not); all for coordinators."""
    members = mission.members.all()
    if can_coordinate(user):
        return members
    return members.filter(organisation__in=organisations_of(user))


def may_steer(user: Any, mission: Mission) -> bool:
    """Coordinators, and the managers of the lead (or of a lone provider), move the mission
    through its workflow and keep its milestones."""
    if can_coordinate(user):
        return True
    return managed_members(user, mission).filter(role__in=("lead", "provider")).exists()
