"""Client satisfaction, as the matching engine and the public directory read it.

Matching reads it through needs/satisfaction.py (a source registered here), and caches it
in its network index: the index triggers watch the evaluations and the missions' members,
so that a new or changed evaluation (its score) or a change of members rebuilds the index.
The directory shows a public aggregate in a section of the organisation's profile
(network/profile_sections.py).

`connect()` does all three; MissionsConfig.ready() calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guichet.missions.domain.evaluations import mean_and_count
from guichet.missions.selectors_evaluations import public_satisfaction, scores_by_organisation
from guichet.needs.index_triggers import watch
from guichet.needs.satisfaction import Satisfaction, register_source
from guichet.network.profile_sections import ProfileSection, register_section

EVALUATIONS_TABLE = "missions_evaluation"
MEMBERS_TABLE = "missions_missionmember"
# Only a score's change counts: asking, reminding or renewing a link changes nothing matching
# reads.
EVALUATION_CONDITIONS = {
    "INSERT": "NEW.score IS NOT NULL",
    "UPDATE": "NEW.score IS DISTINCT FROM OLD.score",
    "DELETE": "OLD.score IS NOT NULL",
}


def missions_satisfaction(
    organisations: Iterable[int], software: Iterable[int]
) -> dict[int, Satisfaction]:
    """Per organisation: the mean (a float on the 1 to 5 scale) and count of the submitted
    evaluations of the missions it was a member of; organisations never evaluated are left
    out (matching treats them as neutral).

    Per organisation regardless of `software`: the index and the per-lot query must give the
    same figure, and per-software satisfaction is future work."""
    found: dict[int, Satisfaction] = {}
    for organisation_id, scores in scores_by_organisation(organisations).items():
        mean, count = mean_and_count(scores)
        if mean is not None:
            found[organisation_id] = Satisfaction(mean=mean, count=count)
    return found


def profile_context(organisation: Any) -> dict[str, Any]:
    """The public profile's section: the aggregate only (domain.public_aggregate)."""
    return {"satisfaction": public_satisfaction(organisation.pk)}


def connect() -> None:
    """Plug client satisfaction into matching, its index and the public profile
    (idempotent; from MissionsConfig.ready(), before migrations install the triggers)."""
    register_source(missions_satisfaction)
    watch(EVALUATIONS_TABLE, EVALUATION_CONDITIONS)
    watch(MEMBERS_TABLE)
    register_section(
        ProfileSection(
            key="missions-satisfaction",
            template="missions/evaluations/profile_section.html",
            context=profile_context,
        )
    )
