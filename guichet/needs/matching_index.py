"""The network as the matching engine reads it, loaded once per process and kept current.

Ranking a lot reads every organisation linked to its software: for a popular software, a
thousand organisations and their links. Reading them from the database for each lot costs
tens of milliseconds; reading them once into arrays (domain/matching_arrays.py) and ranking
there costs about one. The index is current while the database's index token is unchanged:
triggers change the token whenever an organisation, a link, its evidence, a charter
signature, an award, a chosen lot's dates or days, a place, the rules, or (from the missions
app) an evaluation, a mission, its members or their delivered days change (index_triggers.py),
and the index is also rebuilt when older than GUICHET_MATCHING_INDEX_MAX_AGE (the fair-spread
window and what remains of each commitment move with time).

Each index is recorded once as a MatchingSnapshot; rankings point at the snapshot they read,
so that any ranking can be replayed with exactly the network it saw.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from guichet.needs.commitments import commitments_of
from guichet.needs.domain.commitments import default_days
from guichet.needs.domain.matching import Rules, SoftwareRef
from guichet.needs.domain.matching_arrays import ROLES, LotInputs, NetworkIndex, Place
from guichet.needs.domain.satisfaction import ratings_for_lot
from guichet.needs.models import (
    Lot,
    MatchingIndexState,
    MatchingRules,
    MatchingSnapshot,
    MemberResponse,
)
from guichet.needs.satisfaction import ratings_of
from guichet.needs.selectors_matching import (
    lot_need,
    lot_period_of,
    lot_place,
    named_by_client,
    recent_days,
    rules_current,
    rules_from_record,
)
from guichet.network.models import (
    CharterSignature,
    Evidence,
    Organisation,
    SoftwareLink,
)
from guichet.network.services.charter import current_charter

# Snapshots kept in memory besides the current one, for pages replaying earlier rankings.
KEPT = 3


@dataclass(frozen=True)
class Current:
    """The index in force, with the snapshot that records it and the rules it was built
    under."""

    token: str
    snapshot: int
    rules_record: MatchingRules
    rules: Rules
    index: NetworkIndex


_lock = threading.Lock()
_current: Current | None = None
_snapshots: OrderedDict[int, NetworkIndex] = OrderedDict()


State = tuple[str, int | None, datetime | None]


def index_current(state: State | None = None) -> Current:
    """The current index: from memory when the token is unchanged (one small query, or
    none when the caller read `state` with its own), else from its snapshot, else built
    from the database and recorded."""
    global _current
    token, snapshot, built_at = state if state is not None else _state()
    max_age = timedelta(seconds=settings.GUICHET_MATCHING_INDEX_MAX_AGE)
    if snapshot is not None and built_at is not None and built_at < timezone.now() - max_age:
        token, snapshot = _token_renew(), None
    with _lock:
        if _current is not None and (_current.token, _current.snapshot) == (token, snapshot):
            return _current
        if snapshot is not None:
            record = MatchingSnapshot.objects.select_related("rules").get(pk=snapshot)
            rules = rules_from_record(record.rules)
            _current = Current(token, snapshot, record.rules, rules, _unpacked(record))
        else:
            _current = _build(token)
        return _current


def snapshot_index(pk: int) -> NetworkIndex:
    """A recorded snapshot's index (a ranking's replay), kept in memory for the next page."""
    with _lock:
        if _current is not None and _current.snapshot == pk:
            return _current.index
        if pk in _snapshots:
            _snapshots.move_to_end(pk)
            return _snapshots[pk]
    record = MatchingSnapshot.objects.get(pk=pk)
    with _lock:
        return _unpacked(record)


def _unpacked(record: MatchingSnapshot) -> NetworkIndex:
    """The snapshot's index, kept among the recent ones (callers hold `_lock`)."""
    index = NetworkIndex.unpack(bytes(record.data))
    _snapshots[record.pk] = index
    while len(_snapshots) > KEPT:
        _snapshots.popitem(last=False)
    return index


def _state() -> State:
    """The token, and the snapshot already recorded at it if any."""
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        return _state_of(cursor.fetchone())


# Plain SQL on the hot path: building these through the ORM costs more than running them.
STATE_SQL = (
    "SELECT state.token, snapshot.id, CAST(snapshot.built_at AS TEXT) "
    "FROM needs_matchingindexstate state LEFT JOIN needs_matchingsnapshot snapshot "
    "ON snapshot.token = state.token"
)
# What ranking a lot reads besides the index, with the index state, in one round trip: the
# state (kind 0), the lot's software (1), its shortlist entries (2).
LOT_SQL = (
    "SELECT 0, state.token, snapshot.id, CAST(snapshot.built_at AS TEXT), 0 "
    "FROM needs_matchingindexstate state LEFT JOIN needs_matchingsnapshot snapshot "
    "ON snapshot.token = state.token "
    "UNION ALL SELECT 1, software.name, software.id, NULL, 0 "
    "FROM needs_lot_software chosen "
    "JOIN network_software software ON software.id = chosen.software_id "
    "WHERE chosen.lot_id = %s "
    "UNION ALL SELECT 2, member_response, organisation_id, NULL, "
    "CASE WHEN brought_by_client THEN 1 ELSE 0 END "
    "FROM needs_shortlistentry WHERE lot_id = %s"
)


def _state_of(row: tuple[Any, ...] | None) -> State:
    if row is None:  # a database emptied since its migration (a flushed test database)
        return _token_renew(), None, None
    token, snapshot, built = row
    built_at = parse_datetime(built) if built else None
    if built_at is not None and timezone.is_naive(built_at):
        built_at = timezone.make_aware(built_at, UTC)
    return token, snapshot, built_at


@dataclass(frozen=True)
class LotReads:
    state: State
    software: list[SoftwareRef]
    # (organisation, member's answer, brought by the client)
    entries: list[tuple[int, str, bool]]


def lot_reads(lot: Lot) -> LotReads:
    """The index state, the lot's software and its shortlist, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(LOT_SQL, [lot.pk, lot.pk])
        rows = cursor.fetchall()
    states = sorted((row[1:4] for row in rows if row[0] == 0), key=lambda row: row[0])
    software = sorted(
        (SoftwareRef(row[2], row[1]) for row in rows if row[0] == 1),
        key=lambda item: (item.name, item.id),
    )
    entries = [(row[2], row[1], bool(row[4])) for row in rows if row[0] == 2]
    return LotReads(_state_of(states[0] if states else None), software, entries)


def _token_renew() -> str:
    token = secrets.token_hex(16)
    if not MatchingIndexState.objects.update(token=token):
        MatchingIndexState.objects.create(token=token)
    return token


def _build(token: str) -> Current:
    """Read the network into an index, and record it as the snapshot of `token`."""
    record, rules = rules_current()
    index = network_index(rules)
    try:
        with transaction.atomic():
            snapshot = MatchingSnapshot.objects.create(
                token=token,
                rules=record,
                built_at=timezone.now(),
                organisations=len(index.organisation),
                links=len(index.link_software),
                data=index.pack(),
            )
    except IntegrityError:  # another process recorded this token's snapshot first
        snapshot = MatchingSnapshot.objects.get(token=token)
    _snapshots[snapshot.pk] = index
    return Current(token, snapshot.pk, record, rules, index)


def network_index(rules: Rules) -> NetworkIndex:
    """Every organisation and link, read in a handful of queries."""
    rows = list(
        Organisation.objects.order_by("pk").values_list(
            "pk", "name", "is_member", "capacity_days", "commune__latitude", "commune__longitude"
        )
    )
    ids = [row[0] for row in rows]
    row_of = {pk: at for at, pk in enumerate(ids)}
    signed = np.zeros(len(ids), dtype=bool)
    charter = current_charter()
    if charter is not None:
        signatures = CharterSignature.objects.filter(charter=charter).values_list(
            "organisation_id", flat=True
        )
        signed[[row_of[pk] for pk in signatures if pk in row_of]] = True
    recent = np.zeros(len(ids))
    for pk, days in recent_days(None, days=rules.spread_window_days).items():
        if pk in row_of:
            recent[row_of[pk]] = float(days)
    ratings = [rating for rating in ratings_of(ids) if rating.organisation in row_of]
    count, mean = np.zeros(len(ids)), np.full(len(ids), math.nan)
    for pk, rated in ratings_for_lot(ratings, []).items():
        count[row_of[pk]], mean[row_of[pk]] = rated.count, rated.mean
    pairs = [(at, software) for at, rating in enumerate(ratings) for software in rating.software]
    commitments = [
        item
        for item in commitments_of(
            None, today=timezone.localdate(), length=default_days(rules.default_lot_months)
        )
        if item.organisation in row_of
    ]
    evidence = dict(
        Evidence.objects.order_by()
        .values("link_id")
        .annotate(count=Count("pk"))
        .values_list("link_id", "count")
    )
    links = list(
        SoftwareLink.objects.order_by("software_id", "organisation_id", "role").values_list(
            "pk", "software_id", "organisation_id", "role", "verified_at"
        )
    )
    role_of = {role: at for at, role in enumerate(ROLES)}

    def coordinate(value: float | None) -> float:
        return math.nan if value is None else value

    return NetworkIndex(
        organisation=np.array(ids, dtype=np.int64),
        names=[row[1] for row in rows],
        is_member=np.array([row[2] for row in rows], dtype=bool),
        signed=signed,
        capacity=np.array([float(row[3]) for row in rows]),
        latitude=np.array([coordinate(row[4]) for row in rows]),
        longitude=np.array([coordinate(row[5]) for row in rows]),
        recent=recent,
        ratings_count=count,
        ratings_mean=mean,
        rating_row=np.array([row_of[r.organisation] for r in ratings], dtype=np.int64),
        rating_score=np.array([r.score for r in ratings], dtype=np.float64),
        rating_pair=np.array([at for at, _ in pairs], dtype=np.int64),
        rating_software=np.array([software for _, software in pairs], dtype=np.int64),
        commitment_row=np.array([row_of[c.organisation] for c in commitments], dtype=np.int64),
        commitment_days=np.array([c.days for c in commitments], dtype=np.float64),
        commitment_first=np.array([c.first for c in commitments], dtype=np.int64),
        commitment_last=np.array([c.last for c in commitments], dtype=np.int64),
        link_software=np.array([link[1] for link in links], dtype=np.int64),
        link_row=np.array([row_of[link[2]] for link in links], dtype=np.int64),
        link_role=np.array([role_of[link[3]] for link in links], dtype=np.int8),
        link_verified_at=np.array(
            [math.nan if link[4] is None else link[4].timestamp() for link in links]
        ),
        link_evidence=np.array([evidence.get(link[0], 0) for link in links], dtype=np.int64),
    )


def lot_inputs(lot: Lot, reads: LotReads | None = None, rules: Rules | None = None) -> LotInputs:
    """The lot as the engine ranks it (expects `lot.request` and the places loaded): its
    need, its place, the providers its client brought, which verifications still count, and
    its period (the length of a lot without dates is that of `rules`, else the defaults')."""
    reads = reads if reads is not None else lot_reads(lot)
    declined = frozenset(pk for pk, answer, _ in reads.entries if answer == MemberResponse.DECLINED)
    need = lot_need(lot, software=reads.software, declined=declined)
    place = lot_place(lot)
    located = place is not None and place.latitude is not None and place.longitude is not None
    fresh = timezone.now() - timedelta(days=settings.GUICHET_LINK_VERIFICATION_DAYS)
    return LotInputs(
        need=need,
        place=Place(place.latitude, place.longitude) if located else None,  # type: ignore[union-attr,arg-type]
        brought=frozenset(pk for pk, _, brought in reads.entries if brought) | named_by_client(lot),
        verified_after=fresh.timestamp(),
        period=lot_period_of(lot, rules or Rules()),
    )
