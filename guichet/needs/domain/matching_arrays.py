"""The matching engine over the whole network at once: the same rules as `matching.py`,
computed as NumPy array operations over an index of every organisation and link.

`matching.py` states the rules one candidate at a time, readably, and explains them; this
module applies them to a thousand candidates in about a millisecond. A test keeps both in
step (same order, same totals, same exclusions), and the explanations shown to people always
come from `matching.py`'s own functions, for the best ranked only.

Nothing here reads the database: the index is built by the needs app from it, packed into
bytes to be recorded, and unpacked to replay a ranking exactly as it was made.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from guichet.needs.domain.commitments import DAYS_PER_MONTH
from guichet.needs.domain.matching import (
    COMPONENTS,
    DEFAULT_ROLE_WEIGHTS,
    PRECISION,
    Candidate,
    Excluded,
    Link,
    LotNeed,
    Ranking,
    Rules,
    Scored,
    distance_counts,
    exclusion,
    lot_from_dict,
    lot_to_dict,
    score,
)

EARTH_RADIUS_KM = 6371.0088  # as network.domain.geo, which this module may not import
ROLES: tuple[str, ...] = tuple(DEFAULT_ROLE_WEIGHTS)


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float


@dataclass
class NetworkIndex:
    """Every organisation (one row each, by ascending id) and every link (grouped by
    software), as the engine needs them."""

    organisation: np.ndarray  # int64 ids, ascending
    names: list[str]
    is_member: np.ndarray  # bool
    signed: np.ndarray  # bool: signed the current charter
    capacity: np.ndarray  # float64: free person-days per month
    latitude: np.ndarray  # float64, NaN when the place is unknown
    longitude: np.ndarray
    recent: np.ndarray  # float64: person-days received within the fair-spread window
    ratings_count: np.ndarray  # float64
    ratings_mean: np.ndarray  # float64, NaN when not rated
    link_software: np.ndarray  # int64, ascending
    link_row: np.ndarray  # int64: the organisation's row
    link_role: np.ndarray  # int8: index in ROLES
    link_verified_at: np.ndarray  # float64 POSIX seconds, NaN when never verified
    link_evidence: np.ndarray  # int64: pieces of evidence
    # Every rating (domain/satisfaction.Rating), by organisation then evaluation: its row and
    # score; and each (rating, software of its mission) pair. Empty in snapshots recorded
    # before ratings were kept per software.
    rating_row: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rating_score: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    rating_pair: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rating_software: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Every commitment (domain/commitments.Commitment), by organisation then period: its row,
    # remaining days, first and last day (ordinals). Empty in snapshots recorded before
    # commitments were counted.
    commitment_row: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    commitment_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    commitment_first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    commitment_last: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Derived on creation: rows by id, name order for ties, each software's slice of links.
    row_of: dict[int, int] = field(init=False)
    name_rank: np.ndarray = field(init=False)
    software_slices: dict[int, tuple[int, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {pk: row for row, pk in enumerate(self.organisation.tolist())}
        folded = [name.casefold() for name in self.names]
        order = sorted(set(folded))
        position = {name: index for index, name in enumerate(order)}
        self.name_rank = np.array([position[name] for name in folded], dtype=np.int64)
        self.software_slices = {}
        software, starts = np.unique(self.link_software, return_index=True)
        stops = [*starts[1:].tolist(), len(self.link_software)] if len(starts) else []
        for pk, start, stop in zip(software.tolist(), starts.tolist(), stops, strict=True):
            self.software_slices[pk] = (start, stop)

    # --- Recording: the index as bytes, and back -------------------------------------------

    ARRAYS = (
        "organisation",
        "is_member",
        "signed",
        "capacity",
        "latitude",
        "longitude",
        "recent",
        "ratings_count",
        "ratings_mean",
        "link_software",
        "link_row",
        "link_role",
        "link_verified_at",
        "link_evidence",
        "rating_row",
        "rating_score",
        "rating_pair",
        "rating_software",
        "commitment_row",
        "commitment_days",
        "commitment_first",
        "commitment_last",
    )

    def pack(self) -> bytes:
        """The index as compressed bytes (NumPy's own format: no pickle)."""
        buffer = io.BytesIO()
        names = np.frombuffer(json.dumps(self.names).encode(), dtype=np.uint8)
        np.savez_compressed(
            buffer, names=names, **{name: getattr(self, name) for name in self.ARRAYS}
        )
        return buffer.getvalue()

    @classmethod
    def unpack(cls, data: bytes) -> NetworkIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            return cls(
                names=json.loads(arrays["names"].tobytes().decode()),
                **{name: arrays[name] for name in cls.ARRAYS if name in arrays.files},
            )


@dataclass(frozen=True)
class LotInputs:
    """Everything about the lot a ranking depends on, besides the network and the rules."""

    need: LotNeed
    place: Place | None
    brought: frozenset[int]
    # Links verified after this instant (POSIX seconds) count as verified.
    verified_after: float
    # The lot's period (ordinals, domain/commitments.lot_period), over which members'
    # commitments count; None in rankings recorded before they were counted.
    period: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lot": lot_to_dict(self.need),
            "place": [self.place.latitude, self.place.longitude] if self.place else None,
            "brought": sorted(self.brought),
            "verified_after": self.verified_after,
            "period": list(self.period) if self.period else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LotInputs:
        place = data["place"]
        return cls(
            need=lot_from_dict(data["lot"]),
            place=Place(*place) if place else None,
            brought=frozenset(data["brought"]),
            verified_after=data["verified_after"],
            period=tuple(data["period"]) if data.get("period") else None,
        )


@dataclass(frozen=True)
class Ordered:
    """A ranking as numbers: who is ranked, in order, with totals; who is excluded."""

    rules_version: int
    rows: np.ndarray  # index rows, best first
    totals: np.ndarray  # their totals, at PRECISION
    excluded_rows: np.ndarray  # index rows of the excluded, by id

    def ranked_ids(self, index: NetworkIndex) -> list[int]:
        return [int(pk) for pk in index.organisation[self.rows]]

    def excluded_ids(self, index: NetworkIndex) -> list[int]:
        return [int(pk) for pk in index.organisation[self.excluded_rows]]


def _distances(index: NetworkIndex, rows: np.ndarray, place: Place | None) -> np.ndarray:
    """Great-circle distances from the lot's place, rounded to the metre; NaN when unknown."""
    if place is None:
        return np.full(len(rows), np.nan)
    lat1 = math.radians(place.latitude)
    lat2 = np.radians(index.latitude[rows])
    dlon = np.radians(index.longitude[rows] - place.longitude)
    h = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    distance: np.ndarray = np.round(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))), 3)
    return distance


def _fit(index: NetworkIndex, lot: LotInputs, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Per organisation row: the mean over the lot's software of its strongest link, and
    whether it has any link to them."""
    size = len(index.organisation)
    role_weights = np.array([rules.role_weights[role] for role in ROLES])
    total = np.zeros(size)
    linked = np.zeros(size, dtype=bool)
    for software in lot.need.software:
        start, stop = index.software_slices.get(software.id, (0, 0))
        rows = index.link_row[start:stop]
        factor = np.where(
            index.link_verified_at[start:stop] > lot.verified_after,
            rules.verified_factor,
            np.where(
                index.link_evidence[start:stop] > 0, rules.evidenced_factor, rules.unproven_factor
            ),
        )
        best = np.zeros(size)
        np.maximum.at(best, rows, role_weights[index.link_role[start:stop]] * factor)
        total += best
        linked[rows] = True
    return total, linked


def lot_ratings(index: NetworkIndex, lot: LotInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every row's ratings count and mean for the lot, and whether they are those of missions
    on its software: `domain/satisfaction.ratings_for_lot` over the whole network (the sums
    taken in the same order, so that both engines agree to the last bit)."""
    size = len(index.organisation)
    on_software = np.zeros(size, dtype=bool)
    wanted = [software.id for software in lot.need.software]
    if not wanted or not len(index.rating_pair):
        return index.ratings_count, index.ratings_mean, on_software
    hit = np.unique(index.rating_pair[np.isin(index.rating_software, wanted)])
    if not len(hit):
        return index.ratings_count, index.ratings_mean, on_software
    rows, scores = index.rating_row[hit], index.rating_score[hit]
    counted = np.bincount(rows, minlength=size).astype(np.float64)
    summed = np.bincount(rows, weights=scores, minlength=size)
    on_software = counted > 0
    count, mean = index.ratings_count.copy(), index.ratings_mean.copy()
    count[on_software] = counted[on_software]
    mean[on_software] = summed[on_software] / counted[on_software]
    return count, mean, on_software


def lot_committed(index: NetworkIndex, lot: LotInputs) -> np.ndarray:
    """Every row's committed days a month over the lot's period:
    `domain/commitments.committed_per_month` over the whole network (the shares summed in the
    same order, so that both engines agree to the last bit)."""
    size = len(index.organisation)
    if lot.period is None or not len(index.commitment_row):
        return np.zeros(size)
    first, last = lot.period
    if last <= first:
        return np.zeros(size)
    overlap = np.minimum(index.commitment_last, last) - np.maximum(index.commitment_first, first)
    length = index.commitment_last - index.commitment_first
    share = np.where(overlap > 0, index.commitment_days * overlap / length, 0.0)
    summed = np.bincount(index.commitment_row, weights=share, minlength=size)
    committed: np.ndarray = summed * DAYS_PER_MONTH / (last - first)
    return committed


def rank_index(index: NetworkIndex, lot: LotInputs, rules: Rules) -> Ordered:
    """Rank the lot's candidates: the organisations linked to its software (every member
    when it names none) and those the client brought; same rules, order and exclusions as
    `matching.rank`."""
    need = lot.need
    fit_sum, linked = _fit(index, lot, rules)
    considered = index.is_member & linked if need.software else index.is_member.copy()
    brought_rows = np.array(
        [index.row_of[pk] for pk in lot.brought if pk in index.row_of], dtype=np.int64
    )
    considered[brought_rows] = True
    rows = np.flatnonzero(considered)
    brought = np.isin(rows, brought_rows) if len(brought_rows) else np.zeros(len(rows), dtype=bool)
    fit = fit_sum[rows] / len(need.software) if need.software else np.full(len(rows), 0.5)
    distance = _distances(index, rows, lot.place)
    known = ~np.isnan(distance)
    proximity = np.full(len(rows), 0.5)
    if distance_counts(need):
        half = rules.proximity_half_km
        proximity[known] = half / (half + np.maximum(0.0, distance[known]))
    months = need.months if need.months and need.months > 0 else rules.default_lot_months
    per_month = need.person_days / months
    available = np.maximum(0.0, index.capacity[rows] - lot_committed(index, lot)[rows])
    capacity = np.ones(len(rows)) if per_month <= 0 else np.minimum(1.0, available / per_month)
    all_count, all_mean, _ = lot_ratings(index, lot)
    count, mean = all_count[rows], all_mean[rows]
    prior, prior_weight = rules.satisfaction_prior_mean, rules.satisfaction_prior_weight
    rated = (count > 0) & ~np.isnan(mean)
    shrunk = np.where(
        rated, (prior * prior_weight + np.nan_to_num(mean) * count) / (prior_weight + count), prior
    )
    satisfaction = (shrunk - 1) / 4
    half_days = rules.spread_half_days
    spread = half_days / (half_days + np.maximum(0.0, index.recent[rows]))
    weights = [rules.weights[name] for name in COMPONENTS]
    components = (fit, proximity, capacity, satisfaction, spread)
    total = sum(value * weight for value, weight in zip(components, weights, strict=True))
    total = np.round(total / sum(weights), PRECISION)
    # Exclusions, as `matching.exclusion` states them (here only whether; the explanation
    # says why).
    ids = index.organisation[rows]
    keep = ~np.isin(ids, list(need.declined)) if need.declined else np.ones(len(rows), dtype=bool)
    if need.client_organisation is not None:
        keep &= ids != need.client_organisation
    keep &= brought | (index.is_member[rows] & index.signed[rows])
    if need.on_site and need.has_place:
        keep &= known & (distance <= rules.onsite_radius_km)
    kept = np.flatnonzero(keep)
    order = np.lexsort(
        (ids[kept], index.name_rank[rows[kept]], -np.round(fit[kept], PRECISION), -total[kept])
    )
    return Ordered(
        rules_version=rules.version,
        rows=rows[kept][order],
        totals=total[kept][order],
        excluded_rows=rows[~keep],
    )


def candidate_at(index: NetworkIndex, row: int, lot: LotInputs) -> Candidate:
    """One organisation as `matching.py` sees it, to explain its score or exclusion."""
    links = []
    for software in lot.need.software:
        start, stop = index.software_slices.get(software.id, (0, 0))
        for at in (np.flatnonzero(index.link_row[start:stop] == row) + start).tolist():
            links.append(
                Link(
                    software.id,
                    ROLES[int(index.link_role[at])],
                    bool(index.link_verified_at[at] > lot.verified_after),
                    int(index.link_evidence[at]),
                )
            )
    distance = _distances(index, np.array([row]), lot.place)[0]
    counts, means, on_software = lot_ratings(index, lot)
    mean = float(means[row])
    committed = float(lot_committed(index, lot)[row])
    return Candidate(
        organisation=int(index.organisation[row]),
        name=index.names[row],
        links=tuple(sorted(links, key=lambda link: (link.software, link.role))),
        distance_km=None if math.isnan(distance) else float(distance),
        capacity_days=float(index.capacity[row]),
        committed_days=committed,
        ratings_count=int(counts[row]),
        ratings_mean=None if math.isnan(mean) else mean,
        ratings_on_software=bool(on_software[row]),
        recent_days=float(index.recent[row]),
        is_member=bool(index.is_member[row]),
        signed_current_charter=bool(index.signed[row]),
        brought_by_client=int(index.organisation[row]) in lot.brought,
    )


def explain(
    index: NetworkIndex, lot: LotInputs, rules: Rules, ordered: Ordered, best: int | None
) -> Ranking:
    """The ordered ranking in `matching.py`'s terms: the `best` first explained component by
    component (all when None), the others with their rank and total, the excluded with why."""
    ranked: list[Scored] = []
    brought = lot.brought
    for position, (row, total) in enumerate(
        zip(ordered.rows.tolist(), ordered.totals.tolist(), strict=True)
    ):
        if best is None or position < best:
            scored = score(lot.need, candidate_at(index, row, lot), rules)
            ranked.append(
                Scored(
                    scored.organisation,
                    scored.name,
                    total,
                    scored.components,
                    scored.brought_by_client,
                )
            )
        else:
            pk = int(index.organisation[row])
            ranked.append(Scored(pk, index.names[row], total, (), pk in brought))
    excluded = []
    for row in ordered.excluded_rows.tolist():
        candidate = candidate_at(index, row, lot)
        reason = exclusion(lot.need, candidate, rules)
        if reason is None:  # pragma: no cover - rank_index and exclusion disagree
            raise AssertionError(f"organisation {candidate.organisation} excluded without reason")
        excluded.append(Excluded(candidate.organisation, candidate.name, reason))
    excluded.sort(key=lambda item: (item.name.casefold(), item.organisation))
    return Ranking(
        rules_version=ordered.rules_version, ranked=tuple(ranked), excluded=tuple(excluded)
    )


# --- A ranking's record: numbers only, packed --------------------------------------------


def ordered_pack(ordered: Ordered, index: NetworkIndex) -> bytes:
    """What a ranking decided, by organisation id: ranked in order with totals, excluded."""
    return record_pack(
        index.organisation[ordered.rows], ordered.totals, index.organisation[ordered.excluded_rows]
    )


def record_pack(ranked: ArrayLike, totals: ArrayLike, excluded: ArrayLike) -> bytes:
    """Two counts, then the ids ranked, their totals and the ids excluded, little-endian:
    a thousand candidates pack in microseconds (a zip of arrays takes a fraction of a
    millisecond, JSON a few)."""
    ids, values, out = (
        np.asarray(ranked, dtype="<i8"),
        np.asarray(totals, dtype="<f8"),
        np.asarray(excluded, dtype="<i8"),
    )
    if len(ids) != len(values):
        raise ValueError("one total per ranked organisation")
    header = np.array([len(ids), len(out)], dtype="<i8")
    return b"".join((header.tobytes(), ids.tobytes(), values.tobytes(), out.tobytes()))


def ordered_unpack(data: bytes) -> dict[str, list[Any]]:
    ranked, excluded = (int(count) for count in np.frombuffer(data, dtype="<i8", count=2))
    values = np.frombuffer(data, dtype="<i8", offset=16, count=ranked)
    totals = np.frombuffer(data, dtype="<f8", offset=16 + 8 * ranked, count=ranked)
    out = np.frombuffer(data, dtype="<i8", offset=16 + 16 * ranked, count=excluded)
    return {"ranked": values.tolist(), "totals": totals.tolist(), "excluded": out.tolist()}


def ordered_as_record(ordered: Ordered, index: NetworkIndex) -> dict[str, list[Any]]:
    return {
        "ranked": ordered.ranked_ids(index),
        "totals": ordered.totals.tolist(),
        "excluded": ordered.excluded_ids(index),
    }
