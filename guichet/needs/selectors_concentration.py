"""How the work awarded through the guichet is spread among members, quarter by quarter.

An award is a shortlist entry the client chose (`chosen_at`); it weighs its lot's
person-days and counts in the quarter it was chosen in (local time). Every admitted member
counts, those who received nothing included, so that a network where a few take everything
looks like it. Two queries, whatever the number of members or awards.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from guichet.core.registries.datasets import latest_of
from guichet.needs.domain.concentration import concentration
from guichet.needs.models import ShortlistEntry
from guichet.network.models import Organisation

QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """The quarter's last day."""
        return self.next().start - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        """As in open data: 2026-Q2."""
        return f"{self.year}-Q{self.number}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class QuarterFigures:
    quarter: Quarter
    in_progress: bool
    members: int
    members_with_work: int
    total_days: Decimal
    top_share: Decimal | None
    gini: Decimal | None


def last_quarters(count: int, today: datetime.date) -> list[Quarter]:
    """The quarter of `today` and the `count - 1` before it, the most recent first."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def _start_of(quarter: Quarter) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(quarter.start, datetime.time.min))


def concentration_by_quarter(
    count: int = QUARTERS_SHOWN, today: datetime.date | None = None
) -> list[QuarterFigures]:
    """The figures of the last `count` quarters, the current one (in progress) first."""
    today = today or timezone.localdate()
    quarters = last_quarters(count, today)
    members = list(Organisation.objects.filter(is_member=True).values_list("pk", flat=True))
    awards = ShortlistEntry.objects.filter(
        chosen_at__gte=_start_of(quarters[-1]),
        chosen_at__lt=_start_of(quarters[0].next()),
        organisation__is_member=True,
    ).values_list("organisation_id", "chosen_at", "lot__person_days")
    days: dict[Quarter, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for organisation, chosen_at, person_days in awards:
        quarter = Quarter.of(timezone.localdate(chosen_at))
        days[quarter][organisation] += person_days or Decimal(0)
    figures = []
    for quarter in quarters:
        received = days.get(quarter, {})
        measured = concentration([received.get(member, Decimal(0)) for member in members])
        figures.append(
            QuarterFigures(
                quarter=quarter,
                in_progress=quarter == quarters[0],
                members=measured.members,
                members_with_work=sum(1 for value in received.values() if value > 0),
                total_days=measured.total_days,
                top_share=measured.top_share,
                gini=measured.gini,
            )
        )
    return figures


def awards_updated() -> datetime.datetime | None:
    """When the figures last changed: the latest award, or the latest admission (every
    admitted member counts). Two queries."""
    awarded = ShortlistEntry.objects.filter(organisation__is_member=True).aggregate(
        latest=Max("chosen_at")
    )["latest"]
    admitted = Organisation.objects.aggregate(latest=Max("admitted_at"))["latest"]
    return latest_of(awarded, admitted)
