"""The matching engine: rank member organisations for a lot, and explain every score.

Pure Python over small dataclasses, so that a ranking can be recorded with its inputs and
replayed, and so that members can read the rules (docs/algorithms/matching.md says the same
in prose). Nothing here reads the database or translates: reasons are codes with parameters,
turned into plain words by the pages.

A score is a weighted mean of five components, each between 0 and 1:

- fit: how close the organisation is to the lot's software (its role, and its evidence);
- proximity: how near it is to the lot's place;
- capacity: whether its free monthly capacity covers what the lot needs per month;
- satisfaction: past client evaluations, shrunk toward neutral when they are few;
- spread: a little more for those who recently received little work.

Some organisations are not scored but excluded, each with its reason: the client's own
organisation, those who declined, organisations that are not admitted members or have not
signed the current charter (unless the client brought them), and, for on-site lots, those
beyond the radius.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

COMPONENTS = ("fit", "proximity", "capacity", "satisfaction", "spread")

# Editors first, then those ever farther from the code (the charter's direct-link commitment).
DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "editor": 1.0,
    "maintainer": 0.9,
    "core_contributor": 0.8,
    "contributor": 0.6,
    "integrator": 0.45,
    "trainer": 0.4,
    "host": 0.35,
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "fit": 0.45,
    "proximity": 0.2,
    "capacity": 0.1,
    "satisfaction": 0.15,
    "spread": 0.1,
}
# Scores are compared at this precision, so that float noise never decides an order.
PRECISION = 9


@dataclass(frozen=True)
class Rules:
    """One version of the matching rules. Every ranking records the version it used."""

    version: int = 1
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    role_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ROLE_WEIGHTS))
    # How much of its role weight a link keeps, by how well it is proven.
    verified_factor: float = 1.0
    evidenced_factor: float = 0.85
    unproven_factor: float = 0.7
    # On-site lots exclude organisations farther than this.
    onsite_radius_km: float = 150.0
    # The distance at which proximity is worth one half.
    proximity_half_km: float = 200.0
    # Satisfaction on a 1-5 scale: the neutral mean, and how many evaluations it weighs.
    satisfaction_prior_mean: float = 3.0
    satisfaction_prior_weight: float = 5.0
    # Fair spread: the window (read by the selector) and the days that halve the bonus.
    spread_window_days: int = 365
    spread_half_days: float = 40.0
    # A lot without dates is assumed to spread its days over this many months.
    default_lot_months: float = 3.0

    def __post_init__(self) -> None:
        if set(self.weights) != set(COMPONENTS):
            raise ValueError(f"weights must name exactly {', '.join(COMPONENTS)}")
        if any(weight < 0 for weight in self.weights.values()):
            raise ValueError("weights cannot be negative")
        if sum(self.weights.values()) <= 0:
            raise ValueError("at least one weight must be positive")
        if set(self.role_weights) != set(DEFAULT_ROLE_WEIGHTS):
            raise ValueError("role weights must name every role")
        if any(not 0 <= weight <= 1 for weight in self.role_weights.values()):
            raise ValueError("role weights lie between 0 and 1")
        factors = (self.verified_factor, self.evidenced_factor, self.unproven_factor)
        if any(not 0 <= factor <= 1 for factor in factors):
            raise ValueError("evidence factors lie between 0 and 1")
        positive = (
            self.onsite_radius_km,
            self.proximity_half_km,
            self.satisfaction_prior_weight,
            self.spread_half_days,
            self.default_lot_months,
            self.spread_window_days,
        )
        if any(value <= 0 for value in positive):
            raise ValueError("radius, half-distances, windows and priors must be positive")
        if not 1 <= self.satisfaction_prior_mean <= 5:
            raise ValueError("the neutral satisfaction lies between 1 and 5")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["weights"] = dict(self.weights)
        data["role_weights"] = dict(self.role_weights)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        return cls(**data)


@dataclass(frozen=True)
class SoftwareRef:
    id: int
    name: str


@dataclass(frozen=True)
class Link:
    """An organisation's role on a software, and how well it is proven."""

    software: int
    role: str
    verified: bool = False
    evidence: int = 0


@dataclass(frozen=True)
class LotNeed:
    """What a lot asks for, as the engine sees it."""

    software: tuple[SoftwareRef, ...]
    person_days: float
    on_site: bool = False
    # Whether the lot has a place; without one, distances are unknown for everyone.
    has_place: bool = True
    months: float | None = None
    client_organisation: int | None = None
    declined: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """An organisation that could take the lot, with what the engine needs to know of it."""

    organisation: int
    name: str
    links: tuple[Link, ...] = ()
    distance_km: float | None = None
    capacity_days: float = 0
    committed_days: float = 0
    ratings_count: int = 0
    ratings_mean: float | None = None
    recent_days: float = 0
    is_member: bool = True
    signed_current_charter: bool = True
    brought_by_client: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a component is worth what it is, or why an organisation is excluded.

    `code` keys a sentence in the user's language; `params` fill it.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Component:
    name: str
    value: float
    weight: float
    reason: Reason

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Scored:
    organisation: int
    name: str
    total: float
    components: tuple[Component, ...]
    brought_by_client: bool = False

    def component(self, name: str) -> Component:
        return next(component for component in self.components if component.name == name)


@dataclass(frozen=True)
class Excluded:
    organisation: int
    name: str
    reason: Reason


@dataclass(frozen=True)
class Ranking:
    rules_version: int
    ranked: tuple[Scored, ...]
    excluded: tuple[Excluded, ...]


# --- Components ------------------------------------------------------------------------------


def link_strength(link: Link, rules: Rules) -> float:
    """A link's worth: its role's weight, kept whole only when a coordinator verified it."""
    if link.verified:
        factor = rules.verified_factor
    elif link.evidence > 0:
        factor = rules.evidenced_factor
    else:
        factor = rules.unproven_factor
    return rules.role_weights.get(link.role, 0.0) * factor


def fit(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    """The mean, over the lot's software, of the organisation's strongest link to each."""
    weight = rules.weights["fit"]
    if not lot.software:
        return Component("fit", 0.5, weight, Reason("no_software"))
    strongest: list[dict[str, Any]] = []
    total = 0.0
    for software in lot.software:
        links = [link for link in candidate.links if link.software == software.id]
        if not links:
            continue
        best = max(links, key=lambda link: (link_strength(link, rules), link.role))
        total += link_strength(best, rules)
        strongest.append(
            {
                "software": software.name,
                "role": best.role,
                "verified": best.verified,
                "evidence": best.evidence,
            }
        )
    value = total / len(lot.software)
    if not strongest:
        return Component("fit", 0.0, weight, Reason("no_link"))
    return Component("fit", value, weight, Reason("links", {"links": strongest}))


def proximity(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    """Worth one when next door, one half at `proximity_half_km`, neutral when unknown."""
    weight = rules.weights["proximity"]
    if not lot.has_place or candidate.distance_km is None:
        return Component("proximity", 0.5, weight, Reason("distance_unknown"))
    distance = max(0.0, candidate.distance_km)
    value = rules.proximity_half_km / (rules.proximity_half_km + distance)
    return Component("proximity", value, weight, Reason("distance", {"km": round(distance)}))


def capacity(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    """Free days per month against the days per month the lot needs, capped at one."""
    weight = rules.weights["capacity"]
    months = lot.months if lot.months and lot.months > 0 else rules.default_lot_months
    need = lot.person_days / months
    available = max(0.0, candidate.capacity_days - candidate.committed_days)
    value = 1.0 if need <= 0 else min(1.0, available / need)
    params = {"available": round(available, 1), "needed": round(need, 1)}
    return Component("capacity", value, weight, Reason("capacity", params))


def shrunk_satisfaction(mean: float | None, count: int, rules: Rules) -> float:
    """The mean rating pulled toward neutral by as many imaginary neutral ratings as the
    prior weighs: one 5/5 does not outrank twenty 4.5/5."""
    prior, prior_weight = rules.satisfaction_prior_mean, rules.satisfaction_prior_weight
    if mean is None or count <= 0:
        return prior
    return (prior * prior_weight + mean * count) / (prior_weight + count)


def satisfaction(candidate: Candidate, rules: Rules) -> Component:
    weight = rules.weights["satisfaction"]
    shrunk = shrunk_satisfaction(candidate.ratings_mean, candidate.ratings_count, rules)
    value = (shrunk - 1) / 4
    if candidate.ratings_mean is None or candidate.ratings_count <= 0:
        return Component("satisfaction", value, weight, Reason("not_rated"))
    params = {"mean": round(candidate.ratings_mean, 1), "count": candidate.ratings_count}
    return Component("satisfaction", value, weight, Reason("rated", params))


def spread(candidate: Candidate, rules: Rules) -> Component:
    """Worth one to a member that received no work in the window, one half at
    `spread_half_days` days received."""
    weight = rules.weights["spread"]
    recent = max(0.0, candidate.recent_days)
    value = rules.spread_half_days / (rules.spread_half_days + recent)
    params = {"days": round(recent, 1), "window_days": rules.spread_window_days}
    return Component("spread", value, weight, Reason("recent_work", params))


# --- Eligibility and ranking ----------------------------------------------------------------


def exclusion(lot: LotNeed, candidate: Candidate, rules: Rules) -> Reason | None:
    """None when the candidate may be proposed for the lot, else why not."""
    if lot.client_organisation is not None and candidate.organisation == lot.client_organisation:
        return Reason("client_organisation")
    if candidate.organisation in lot.declined:
        return Reason("declined")
    if not candidate.brought_by_client:
        if not candidate.is_member:
            return Reason("not_a_member")
        if not candidate.signed_current_charter:
            return Reason("charter_not_signed")
    if lot.on_site and lot.has_place:
        if candidate.distance_km is None:
            return Reason("place_unknown")
        if candidate.distance_km > rules.onsite_radius_km:
            params = {"km": round(candidate.distance_km), "radius": round(rules.onsite_radius_km)}
            return Reason("beyond_radius", params)
    return None


def score(lot: LotNeed, candidate: Candidate, rules: Rules) -> Scored:
    """Every component, and their weighted mean."""
    components = (
        fit(lot, candidate, rules),
        proximity(lot, candidate, rules),
        capacity(lot, candidate, rules),
        satisfaction(candidate, rules),
        spread(candidate, rules),
    )
    total_weight = sum(component.weight for component in components)
    total = sum(component.contribution for component in components) / total_weight
    return Scored(
        organisation=candidate.organisation,
        name=candidate.name,
        total=round(total, PRECISION),
        components=components,
        brought_by_client=candidate.brought_by_client,
    )


def order_key(scored: Scored) -> tuple[float, float, str, int]:
    """Best total first; at equal totals the closer to the software, then by name and id,
    so that the same inputs always give the same order."""
    return (
        -scored.total,
        -round(scored.component("fit").value, PRECISION),
        scored.name.casefold(),
        scored.organisation,
    )


def rank(lot: LotNeed, candidates: Iterable[Candidate], rules: Rules) -> Ranking:
    """Rank the candidates for a lot; those who cannot take it are listed apart, with why."""
    ranked: list[Scored] = []
    excluded: list[Excluded] = []
    for candidate in candidates:
        reason = exclusion(lot, candidate, rules)
        if reason is None:
            ranked.append(score(lot, candidate, rules))
        else:
            excluded.append(Excluded(candidate.organisation, candidate.name, reason))
    ranked.sort(key=order_key)
    excluded.sort(key=lambda item: (item.name.casefold(), item.organisation))
    return Ranking(rules_version=rules.version, ranked=tuple(ranked), excluded=tuple(excluded))


# --- Recording and replaying ----------------------------------------------------------------


def lot_to_dict(lot: LotNeed) -> dict[str, Any]:
    data = asdict(lot)
    data["software"] = [asdict(software) for software in lot.software]
    data["declined"] = sorted(lot.declined)
    return data


def lot_from_dict(data: Mapping[str, Any]) -> LotNeed:
    return LotNeed(
        software=tuple(SoftwareRef(**software) for software in data["software"]),
        person_days=data["person_days"],
        on_site=data["on_site"],
        has_place=data["has_place"],
        months=data["months"],
        client_organisation=data["client_organisation"],
        declined=frozenset(data["declined"]),
    )


def candidate_to_dict(candidate: Candidate) -> dict[str, Any]:
    data = asdict(candidate)
    data["links"] = [asdict(link) for link in candidate.links]
    return data


def candidate_from_dict(data: Mapping[str, Any]) -> Candidate:
    links = tuple(Link(**link) for link in data["links"])
    return replace(Candidate(**{**data, "links": ()}), links=links)


def ranking_to_dict(ranking: Ranking) -> dict[str, Any]:
    def component(item: Component) -> dict[str, Any]:
        return {
            "name": item.name,
            "value": round(item.value, PRECISION),
            "weight": item.weight,
            "reason": {"code": item.reason.code, "params": dict(item.reason.params)},
        }

    return {
        "rules_version": ranking.rules_version,
        "ranked": [
            {
                "organisation": scored.organisation,
                "name": scored.name,
                "total": scored.total,
                "brought_by_client": scored.brought_by_client,
                "components": [component(item) for item in scored.components],
            }
            for scored in ranking.ranked
        ],
        "excluded": [
            {
                "organisation": item.organisation,
                "name": item.name,
                "reason": {"code": item.reason.code, "params": dict(item.reason.params)},
            }
            for item in ranking.excluded
        ],
    }


def replay(
    lot: Mapping[str, Any], candidates: Sequence[Mapping[str, Any]], rules: Mapping[str, Any]
) -> Ranking:
    """Rank again from recorded inputs: an audit recomputes a recorded ranking this way."""
    return rank(
        lot_from_dict(lot),
        [candidate_from_dict(candidate) for candidate in candidates],
        Rules.from_dict(rules),
    )
