"""Reads for the matching engine: a lot's candidates, in a fixed number of queries.

Candidates are the admitted members that have a link to one of the lot's software (every
member when the lot names none), plus any provider the client brought for this lot or
asked for by name in its request, plus the client's own organisation when it would otherwise
be proposed (to show why it is not).

Committed days come from needs/commitments.py (chosen lots, and the missions app's source),
counted over the lot's period by domain/commitments.py, as the network index counts them.

The candidates' own inputs (charter signature, recent work) come with them in one query, as
subqueries: a popular software has a thousand candidates or more, and lists of their ids
sent back in further queries cost more to prepare than the queries take to run.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from guichet.needs.commitments import commitments_of
from guichet.needs.domain.commitments import committed_per_month, default_days, lot_period
from guichet.needs.domain.matching import Candidate, Link, LotNeed, Rules, SoftwareRef
from guichet.needs.models import Lot, MatchingRules, MemberResponse, ShortlistEntry
from guichet.needs.satisfaction import satisfaction_of
from guichet.network.domain.geo import Point, distance_km
from guichet.network.models import (
    CharterSignature,
    Commune,
    Evidence,
    Organisation,
    SoftwareLink,
)
from guichet.network.services.charter import current_charter


def rules_current() -> tuple[MatchingRules, Rules]:
    """The rules in force: the highest version.

    The first migration records version 1; a database emptied since (a flushed test
    database, a restore without it) gets it back here, from the engine's defaults, which
    are that same version 1.
    """
    record = MatchingRules.objects.order_by("-version").first()
    if record is None:
        parameters = Rules().to_dict()
        parameters.pop("version")
        record, _ = MatchingRules.objects.get_or_create(
            version=1, defaults={"parameters": parameters, "note": "First version of the rules."}
        )
    return record, rules_from_record(record)


def rules_from_record(record: MatchingRules) -> Rules:
    return Rules.from_dict({**record.parameters, "version": record.version})


def lot_place(lot: Lot) -> Commune | None:
    return lot.commune if lot.commune_id else lot.request.commune


def lot_period_of(lot: Lot, rules: Rules, today: date | None = None) -> tuple[int, int]:
    """The lot's period (ordinals), over which members' commitments count."""
    return lot_period(
        starts=lot.start_date,
        deadline=lot.deadline,
        today=today or timezone.localdate(),
        length=default_days(rules.default_lot_months),
    )


def lot_committed(
    lot: Lot, organisations: list[int], rules: Rules, today: date | None = None
) -> dict[int, float]:
    """Each organisation's committed days a month over the lot's period (zero: left out)."""
    today = today or timezone.localdate()
    commitments = commitments_of(
        organisations, today=today, length=default_days(rules.default_lot_months)
    )
    return committed_per_month(commitments, lot_period_of(lot, rules, today))


def lot_need(
    lot: Lot,
    *,
    software: list[SoftwareRef] | None = None,
    declined: frozenset[int] | None = None,
) -> LotNeed:
    """The lot as the engine sees it. Expects `lot.request` loaded (select_related); reads
    the lot's software and the members who declined it unless given."""
    if software is None:
        software = [SoftwareRef(item.pk, item.name) for item in lot.software.order_by("name")]
    place = lot_place(lot)
    months = None
    if lot.start_date and lot.deadline and lot.deadline > lot.start_date:
        months = max(0.5, (lot.deadline - lot.start_date).days / 30.4)
    if declined is None:
        declined = frozenset(
            ShortlistEntry.objects.filter(lot=lot, member_response=MemberResponse.DECLINED)
            .order_by()
            .values_list("organisation_id", flat=True)
        )
    return LotNeed(
        software=tuple(software),
        person_days=float(lot.person_days),
        on_site=lot.on_site,
        has_place=place is not None and place.latitude is not None and place.longitude is not None,
        months=months,
        client_organisation=lot.request.client_organisation_id,
        declined=declined,
    )


def _point(latitude: float | None, longitude: float | None) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(latitude, longitude)


def named_by_client(lot: Lot) -> set[int]:
    """The member the client asked for by name in its request (expects `lot.request`)."""
    named = lot.request.named_provider_id
    return {named} if named is not None else set()


def matching_candidates(lot: Lot, need: LotNeed, rules: Rules) -> list[Candidate]:
    """Every organisation the engine should consider for the lot, with its inputs."""
    software_ids = [item.id for item in need.software]
    brought = set(
        ShortlistEntry.objects.filter(lot=lot, brought_by_client=True)
        .order_by()
        .values_list("organisation_id", flat=True)
    ) | named_by_client(lot)
    considered = Q(is_member=True) | Q(pk__in=brought)
    if software_ids:
        linked = SoftwareLink.objects.filter(software__in=software_ids).values("organisation_id")
        considered &= Q(pk__in=linked) | Q(pk__in=brought)
    charter = current_charter()
    signed = (
        Exists(CharterSignature.objects.filter(charter=charter, organisation=OuterRef("pk")))
        if charter
        else Value(False, output_field=BooleanField())
    )
    recent = Subquery(
        _awards(days=rules.spread_window_days)
        .filter(organisation=OuterRef("pk"))
        .values("organisation")
        .annotate(days=Sum("lot__person_days"))
        .values("days")
    )
    organisations = list(
        Organisation.objects.filter(considered)
        .annotate(signed=signed, recent=recent)
        .order_by()
        .values(
            "pk",
            "name",
            "is_member",
            "capacity_days",
            "commune__latitude",
            "commune__longitude",
            "signed",
            "recent",
        )
    )
    ids = [row["pk"] for row in organisations]
    links: dict[int, list[Link]] = defaultdict(list)
    if software_ids:
        now = timezone.now()
        fresh = now - timedelta(days=settings.GUICHET_LINK_VERIFICATION_DAYS)
        evidence = (
            Evidence.objects.filter(link=OuterRef("pk"))
            .order_by()
            .values("link")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # Every link to the lot's software: those of organisations that are not candidates
        # are never read, and filtering them out would cost more than reading them.
        rows = (
            SoftwareLink.objects.filter(software__in=software_ids)
            .annotate(
                evidence_count=Coalesce(Subquery(evidence), Value(0), output_field=IntegerField())
            )
            .order_by()
            .values_list("organisation_id", "software_id", "role", "verified_at", "evidence_count")
        )
        for organisation, software, role, verified_at, evidence_count in rows:
            verified = verified_at is not None and verified_at > fresh
            links[organisation].append(Link(software, role, verified, evidence_count))
    ratings = satisfaction_of(ids, software_ids)
    committed = lot_committed(lot, ids, rules)
    place = lot_place(lot)
    centre = _point(place.latitude, place.longitude) if place else None
    candidates = []
    for row in organisations:
        point = _point(row["commune__latitude"], row["commune__longitude"])
        distance = distance_km(centre, point) if centre and point else None
        rating = ratings.get(row["pk"])
        candidates.append(
            Candidate(
                organisation=row["pk"],
                name=row["name"],
                links=tuple(sorted(links[row["pk"]], key=lambda link: (link.software, link.role))),
                distance_km=round(distance, 3) if distance is not None else None,
                capacity_days=float(row["capacity_days"]),
                committed_days=committed.get(row["pk"], 0.0),
                ratings_count=rating.count if rating else 0,
                ratings_mean=rating.mean if rating else None,
                ratings_on_software=rating.on_software if rating else False,
                recent_days=float(row["recent"] or Decimal(0)),
                is_member=row["is_member"],
                signed_current_charter=row["signed"],
                brought_by_client=row["pk"] in brought,
            )
        )
    candidates.sort(key=lambda candidate: candidate.organisation)
    return candidates


def _awards(*, days: int) -> QuerySet[ShortlistEntry]:
    """Lots awarded over the last `days` days: a lot counts for the provider the client
    chose for it."""
    since = timezone.now() - timedelta(days=days)
    return ShortlistEntry.objects.filter(chosen_at__gte=since).order_by()


def recent_days(organisations: list[int] | None, *, days: int) -> dict[int, Decimal]:
    """Person-days awarded to each organisation over the last `days` days: a lot counts for
    the provider the client chose for it."""
    awards = _awards(days=days)
    if organisations is not None:
        awards = awards.filter(organisation__in=organisations)
    rows = awards.values("organisation_id").annotate(days=Sum("lot__person_days"))
    return {row["organisation_id"]: row["days"] or Decimal(0) for row in rows}
