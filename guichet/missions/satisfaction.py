"""Client satisfaction, as the matching engine and the public directory read it.

Matching reads it through needs/satisfaction.py (a source of ratings registered here: one
per evaluation and member, with the mission's software; needs/domain/satisfaction.py says
which count for a lot), and caches them in its network index: the index triggers watch the
evaluations and the missions' members, so that a new or changed evaluation (its score) or a
change of members rebuilds the index.
The directory shows a public aggregate in a section of the organisation's profile
(core/registries/sections.py).

`connect()` does all three; MissionsConfig.ready() calls it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from guichet.core.registries.sections import ORGANISATION_PROFILE, Section, register_section
from guichet.missions.models import MissionMember
from guichet.missions.selectors_evaluations import public_satisfaction
from guichet.needs.domain.satisfaction import Rating
from guichet.needs.index_triggers import watch
from guichet.needs.models import Lot
from guichet.needs.satisfaction import register_source

EVALUATIONS_TABLE = "missions_evaluation"
MEMBERS_TABLE = "missions_missionmember"
# Only a score's change counts: asking, reminding or renewing a link changes nothing matching
# reads.
EVALUATION_CONDITIONS = {
    "INSERT": "NEW.score IS NOT NULL",
    "UPDATE": "NEW.score IS DISTINCT FROM OLD.score",
    "DELETE": "OLD.score IS NOT NULL",
}


def missions_ratings(organisations: Iterable[int]) -> list[Rating]:
    """One rating per submitted evaluation and member of its mission (any role): the
    evaluation's score on the 1 to 5 scale, with the software of the mission's lots. Two
    queries, read whole and filtered here: evaluations are few, the organisations asked for
    may be the whole network."""
    wanted = set(organisations)
    rows = (
        MissionMember.objects.filter(
            mission__evaluations__submitted_at__isnull=False,
            mission__evaluations__score__isnull=False,
        )
        .order_by("organisation_id", "mission__evaluations__pk")
        .values_list("organisation_id", "mission_id", "mission__evaluations__score")
    )
    rated = [
        (organisation, mission, score)
        for organisation, mission, score in rows
        if organisation in wanted and score is not None
    ]
    software: dict[int, set[int]] = defaultdict(set)
    for mission_id, software_id in Lot.software.through.objects.filter(
        lot__missions__in={mission_id for _, mission_id, _ in rated}
    ).values_list("lot__missions", "software_id"):
        software[mission_id].add(software_id)
    return [
        Rating(organisation=organisation, score=float(score), software=frozenset(software[mission]))
        for organisation, mission, score in rated
    ]


def profile_context(organisation: Any) -> dict[str, Any]:
    """The public profile's section: the aggregate only (domain.public_aggregate)."""
    return {"satisfaction": public_satisfaction(organisation.pk)}


def connect() -> None:
    """Plug client satisfaction into matching, its index and the public profile
    (idempotent; from MissionsConfig.ready(), before migrations install the triggers)."""
    register_source(missions_ratings)
    watch(EVALUATIONS_TABLE, EVALUATION_CONDITIONS)
    watch(MEMBERS_TABLE)
    register_section(
        ORGANISATION_PROFILE,
        Section(
            key="missions-satisfaction",
            template="missions/evaluations/profile_section.html",
            context=profile_context,
        ),
    )
