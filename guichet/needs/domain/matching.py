"""The matching engine: rank member organisations for a lot, and explain every score.

Pure Python over small dataclasses, so that a ranking can be recorded with its inputs and
replayed, and so that members can read the rules (docs/algorithms/matching.md says the same
in prose). Nothing here reads the database or translates: reasons are codes with parameters,
turned into plain words by the pages.

A score is a weighted mean of five components, each between 0 and 1:

- fit: how close the organisation is to the lot's software (its role, and its evidence);
- proximity: how near it is to the lot's place, for on-site work (neutral for remote work);
- capacity: whether its free monthly capacity, less what its missions already take over the
  lot's period, covers what the lot needs per month;
- satisfaction: past client evaluations, shrunk toward neutral when they are few;
- spread: a little more for those who recently received little work.

Some organisations are not scored but excluded, each with its reason: the client's own
organisation, those who declined, organisations that are not admitted members or have not
signed the current charter (unless the client brought them), and, for on-site lots, those
beyond the radius or whose place is unknown. An on-site lot whose own place is unknown is not
ranked at all (`ranking_refusal`): without it, the radius would silently not apply.
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
_SCALE = 10.0**PRECISION


def rounded(value: float) -> float:
    """`value` at PRECISION decimals, rounded as NumPy rounds (scaled, then to the nearest,
    ties to even), so that both engines agree to the last bit: Python's own round() rounds
    the exact decimal value, and the two differ on a tie such as 0.5376953125."""
    return round(value * _SCALE) / _SCALE


# The engine's own version, recorded with each lot so that a ranking replays under the
# engine it was made with. 1: proximity counted for remote lots too. 2: remote lots are
# neutral on proximity (the distance says nothing about remote work).
ENGINE = 2


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
    engine: int = ENGINE


@dataclass(frozen=True)
class Candidate:
    """An organisation that could take the lot, with what the engine needs to know of it."""

    organisation: int
    name: str
    links: tuple[Link, ...] = ()
    distance_km: float | None = None
    capacity_days: float = 0
    # Person-days a month its missions (and lots it was chosen for) already take over the
    # lot's period (domain/commitments.py).
    committed_days: float = 0
    ratings_count: int = 0
    ratings_mean: float | None = None
    # Whether the ratings are those of missions on the lot's software (domain/satisfaction).
    ratings_on_software: bool = False
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


def fit_value(lot: LotNeed, candidate: Candidate, rules: Rules) -> float:
    """The mean, over the lot's software, of the organisation's strongest link to each."""
    if not lot.software:
        return 0.5
    total = 0.0
    for software in lot.software:
        strengths = [
            link_strength(link, rules) for link in candidate.links if link.software == software.id
        ]
        if strengths:
            total += max(strengths)
    return total / len(lot.software)


def fit(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    """Fit, explained: for each software, the strongest link and how it is proven."""
    weight = rules.weights["fit"]
    value = fit_value(lot, candidate, rules)
    if not lot.software:
        return Component("fit", value, weight, Reason("no_software"))
    strongest: list[dict[str, Any]] = []
    for software in lot.software:
        links = [link for link in candidate.links if link.software == software.id]
        if not links:
            continue
        best = max(links, key=lambda link: (link_strength(link, rules), link.role))
        strongest.append(
            {
                "software": software.name,
                "role": best.role,
                "verified": best.verified,
                "evidence": best.evidence,
            }
        )
    if not strongest:
        return Component("fit", value, weight, Reason("no_link"))
    return Component("fit", value, weight, Reason("links", {"links": strongest}))


def distance_counts(lot: LotNeed) -> bool:
    """Whether the distance says anything about the lot: only for on-site work, and only
    when the lot has a place (an on-site lot without one is not ranked: `ranking_refusal`).
    Rankings made by engine 1 counted it for remote work too, and replay so."""
    return lot.has_place and (lot.on_site or lot.engine < 2)


def proximity_value(lot: LotNeed, candidate: Candidate, rules: Rules) -> float:
    """Worth one when next door, one half at `proximity_half_km`; neutral (one half for
    everyone) for remote work and when a place is unknown."""
    if not distance_counts(lot) or candidate.distance_km is None:
        return 0.5
    return rules.proximity_half_km / (rules.proximity_half_km + max(0.0, candidate.distance_km))


def proximity(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    weight = rules.weights["proximity"]
    value = proximity_value(lot, candidate, rules)
    if not lot.on_site and lot.engine >= 2:
        return Component("proximity", value, weight, Reason("remote"))
    if not distance_counts(lot) or candidate.distance_km is None:
        return Component("proximity", value, weight, Reason("distance_unknown"))
    params = {"km": round(max(0.0, candidate.distance_km))}
    return Component("proximity", value, weight, Reason("distance", params))


def _capacity_figures(lot: LotNeed, candidate: Candidate, rules: Rules) -> tuple[float, float]:
    months = lot.months if lot.months and lot.months > 0 else rules.default_lot_months
    return max(0.0, candidate.capacity_days - candidate.committed_days), lot.person_days / months


def capacity_value(lot: LotNeed, candidate: Candidate, rules: Rules) -> float:
    """Free days per month against the days per month the lot needs, capped at one."""
    available, need = _capacity_figures(lot, candidate, rules)
    return 1.0 if need <= 0 else min(1.0, available / need)


def capacity(lot: LotNeed, candidate: Candidate, rules: Rules) -> Component:
    weight = rules.weights["capacity"]
    available, need = _capacity_figures(lot, candidate, rules)
    params: dict[str, Any] = {"available": round(available, 1), "needed": round(need, 1)}
    if candidate.committed_days > 0:
        # Said only when something is committed: rankings recorded before commitments were
        # counted keep their explanations as they were.
        params["capacity"] = round(candidate.capacity_days, 1)
        params["committed"] = round(candidate.committed_days, 1)
    value = capacity_value(lot, candidate, rules)
    return Component("capacity", value, weight, Reason("capacity", params))


def shrunk_satisfaction(mean: float | None, count: int, rules: Rules) -> float:
    """The mean rating pulled toward neutral by as many imaginary neutral ratings as the
    prior weighs: one 5/5 does not outrank twenty 4.5/5."""
    prior, prior_weight = rules.satisfaction_prior_mean, rules.satisfaction_prior_weight
    if mean is None or count <= 0:
        return prior
    return (prior * prior_weight + mean * count) / (prior_weight + count)


def satisfaction_value(candidate: Candidate, rules: Rules) -> float:
    shrunk = shrunk_satisfaction(candidate.ratings_mean, candidate.ratings_count, rules)
    return (shrunk - 1) / 4


def satisfaction(candidate: Candidate, rules: Rules) -> Component:
    weight = rules.weights["satisfaction"]
    value = satisfaction_value(candidate, rules)
    if candidate.ratings_mean is None or candidate.ratings_count <= 0:
        return Component("satisfaction", value, weight, Reason("not_rated"))
    params: dict[str, Any] = {
        "mean": round(candidate.ratings_mean, 1),
        "count": candidate.ratings_count,
    }
    if candidate.ratings_on_software:
        params["on_software"] = True
    return Component("satisfaction", value, weight, Reason("rated", params))


def spread_value(candidate: Candidate, rules: Rules) -> float:
    """Worth one to a member that received no work in the window, one half at
    `spread_half_days` days received."""
    return rules.spread_half_days / (rules.spread_half_days + max(0.0, candidate.recent_days))


def spread(candidate: Candidate, rules: Rules) -> Component:
    weight = rules.weights["spread"]
    params = {
        "days": round(max(0.0, candidate.recent_days), 1),
        "window_days": rules.spread_window_days,
    }
    return Component(
        "spread", spread_value(candidate, rules), weight, Reason("recent_work", params)
    )


# --- Eligibility and ranking ----------------------------------------------------------------


def ranking_refusal(lot: LotNeed) -> Reason | None:
    """None when the lot may be ranked, else why not: an on-site lot whose place is unknown
    (no commune, or one without coordinates) would rank members however far away, so it
    waits until its place is fixed."""
    if lot.on_site and not lot.has_place:
        return Reason("onsite_place_unknown")
    return None


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


def values(lot: LotNeed, candidate: Candidate, rules: Rules) -> tuple[float, ...]:
    """The five component values, in the order of COMPONENTS, without their explanations."""
    return (
        fit_value(lot, candidate, rules),
        proximity_value(lot, candidate, rules),
        capacity_value(lot, candidate, rules),
        satisfaction_value(candidate, rules),
        spread_value(candidate, rules),
    )


def weighted_total(component_values: Sequence[float], rules: Rules) -> float:
    """The weighted mean of the component values, at the precision scores are compared at.

    Added one by one, left to right, as NumPy adds the array engine's columns: Python's
    sum() of floats compensates rounding errors (since 3.12), and would differ from it in
    the last bit, enough to tip a total rounded on a tie."""
    weights = [rules.weights[name] for name in COMPONENTS]
    total = 0.0
    for value, weight in zip(component_values, weights, strict=True):
        total += value * weight
    return rounded(total / sum(weights))


def score(lot: LotNeed, candidate: Candidate, rules: Rules) -> Scored:
    """Every component, explained, and their weighted mean."""
    components = (
        fit(lot, candidate, rules),
        proximity(lot, candidate, rules),
        capacity(lot, candidate, rules),
        satisfaction(candidate, rules),
        spread(candidate, rules),
    )
    return Scored(
        organisation=candidate.organisation,
        name=candidate.name,
        total=weighted_total([component.value for component in components], rules),
        components=components,
        brought_by_client=candidate.brought_by_client,
    )


def rank(
    lot: LotNeed, candidates: Iterable[Candidate], rules: Rules, explain: int | None = None
) -> Ranking:
    """Rank the candidates for a lot; those who cannot take it are listed apart, with why.

    Best total first; at equal totals the closer to the software, then by name and id, so
    that the same inputs always give the same order. Scores are computed as numbers first;
    only the best `explain` (all when None) are explained component by component, since
    nobody reads the explanation of the 800th: the others keep their rank and total.
    """
    scored: list[tuple[tuple[float, float, str, int], Candidate]] = []
    excluded: list[Excluded] = []
    for candidate in candidates:
        reason = exclusion(lot, candidate, rules)
        if reason is not None:
            excluded.append(Excluded(candidate.organisation, candidate.name, reason))
            continue
        component_values = values(lot, candidate, rules)
        key = (
            -weighted_total(component_values, rules),
            -rounded(component_values[0]),
            candidate.name.casefold(),
            candidate.organisation,
        )
        scored.append((key, candidate))
    scored.sort(key=lambda item: item[0])
    ranked = tuple(
        score(lot, candidate, rules)
        if explain is None or position < explain
        else Scored(
            candidate.organisation, candidate.name, -key[0], (), candidate.brought_by_client
        )
        for position, (key, candidate) in enumerate(scored)
    )
    excluded.sort(key=lambda item: (item.name.casefold(), item.organisation))
    return Ranking(rules_version=rules.version, ranked=ranked, excluded=tuple(excluded))


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
        # Lots recorded before the engine had a version were ranked by the first one.
        engine=data.get("engine", 1),
    )


def candidate_to_dict(candidate: Candidate) -> dict[str, Any]:
    data = asdict(candidate)
    data["links"] = [asdict(link) for link in candidate.links]
    return data


def candidate_from_dict(data: Mapping[str, Any]) -> Candidate:
    links = tuple(Link(**link) for link in data["links"])
    return replace(Candidate(**{**data, "links": ()}), links=links)


CANDIDATE_FIELDS = tuple(name for name in Candidate.__dataclass_fields__ if name != "links")


def candidates_to_columns(candidates: Sequence[Candidate]) -> dict[str, Any]:
    """Candidates as a compact table (a network's popular software has a thousand of
    them): field names once, then one row per candidate, its links as short rows."""
    return {
        "fields": list(CANDIDATE_FIELDS),
        "rows": [
            [getattr(candidate, name) for name in CANDIDATE_FIELDS]
            + [
                [
                    [link.software, link.role, link.verified, link.evidence]
                    for link in candidate.links
                ]
            ]
            for candidate in candidates
        ],
    }


def candidates_from_record(data: Any) -> list[Candidate]:
    """Candidates from a record: the compact table, or a list of dicts (older records)."""
    if isinstance(data, Mapping):
        fields = list(data["fields"])
        return [
            Candidate(
                **dict(zip(fields, row[:-1], strict=True)),
                links=tuple(Link(*link) for link in row[-1]),
            )
            for row in data["rows"]
        ]
    return [candidate_from_dict(candidate) for candidate in data]


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
    lot: Mapping[str, Any],
    candidates: Any,
    rules: Mapping[str, Any],
    explain: int | None = None,
) -> Ranking:
    """Rank again from recorded inputs: an audit recomputes a recorded ranking this way."""
    return rank(
        lot_from_dict(lot), candidates_from_record(candidates), Rules.from_dict(rules), explain
    )
