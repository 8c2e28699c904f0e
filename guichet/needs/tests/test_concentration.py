"""How work is spread: quarters, figures that match the domain's formulas, the page and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from guichet.needs.demo import AWARDS
from guichet.needs.domain.concentration import gini, top_share
from guichet.needs.models import Lot, ShortlistEntry
from guichet.needs.reasons import number
from guichet.needs.selectors_concentration import (
    Quarter,
    concentration_by_quarter,
    last_quarters,
)
from guichet.network.models import Organisation


def _url(name: str) -> str:
    with translation.override("fr"):
        return reverse(name)


def _text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_quarters_run_back_from_the_current_one_across_years() -> None:
    quarters = last_quarters(8, datetime.date(2026, 2, 10))

    assert [q.code for q in quarters] == [
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
        "2025-Q1",
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
    ]
    assert (quarters[1].start, quarters[1].end) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert Quarter.of(datetime.date(2025, 3, 31)) == Quarter(2025, 1)
    assert Quarter.of(datetime.date(2025, 4, 1)) == Quarter(2025, 2)


def _expected() -> dict[str, dict[str, Any]]:
    """The figures recomputed here from every award, straight from the domain's functions."""
    members = list(Organisation.objects.filter(is_member=True).values_list("pk", flat=True))
    days: dict[str, dict[int, Decimal]] = {}
    for entry in ShortlistEntry.objects.filter(chosen_at__isnull=False).select_related("lot"):
        if entry.organisation_id not in members:
            continue
        code = Quarter.of(timezone.localdate(entry.chosen_at)).code
        per_member = days.setdefault(code, {})
        per_member[entry.organisation_id] = (
            per_member.get(entry.organisation_id, Decimal(0)) + entry.lot.person_days
        )
    expected = {}
    for code, per_member in days.items():
        values = [per_member.get(member, Decimal(0)) for member in members]
        expected[code] = {
            "members": len(members),
            "with_work": len(per_member),
            "total": sum(values, Decimal(0)),
            "gini": gini(values),
            "top_share": top_share(values),
        }
    return expected


@pytest.mark.django_db
def test_the_figures_are_the_domain_s_on_the_demo_awards(demo: Any) -> None:
    figures = concentration_by_quarter()
    expected = _expected()

    assert len(figures) == 8
    assert figures[0].in_progress
    assert not any(f.in_progress for f in figures[1:])
    shown = {f.quarter.code: f for f in figures}
    awarded = [code for code in expected if code in shown]
    # The demo's awards fall in several earlier quarters.
    assert len(awarded) >= 4
    assert figures[0].quarter.code not in expected
    for code, wanted in expected.items():
        if code not in shown:
            continue
        got = shown[code]
        assert got.members == wanted["members"]
        assert got.members_with_work == wanted["with_work"]
        assert got.total_days == wanted["total"]
        assert got.gini == wanted["gini"]
        assert got.top_share == wanted["top_share"]
    # Every admitted member counts, those who received nothing too.
    members = Organisation.objects.filter(is_member=True).count()
    assert all(f.members == members for f in figures)
    oldest, now = figures[-1].quarter.start, timezone.now()
    in_window = [
        row for row in AWARDS if timezone.localdate(now - datetime.timedelta(days=row[6])) >= oldest
    ]
    assert sum(f.total_days for f in figures) == sum(Decimal(row[5]) for row in in_window)


@pytest.mark.django_db
def test_a_quarter_without_awards_has_no_index(demo: Any) -> None:
    ShortlistEntry.objects.filter(chosen_at__isnull=False).update(chosen_at=None)

    figures = concentration_by_quarter()

    assert all(f.total_days == 0 for f in figures)
    assert all(f.gini is None and f.top_share is None for f in figures)


@pytest.mark.django_db
def test_awards_to_organisations_that_are_not_members_do_not_count(demo: Any) -> None:
    entry = ShortlistEntry.objects.filter(chosen_at__isnull=False).order_by("-chosen_at").first()
    code = Quarter.of(timezone.localdate(entry.chosen_at)).code
    before = next(f for f in concentration_by_quarter() if f.quarter.code == code)
    Organisation.objects.filter(pk=entry.organisation_id).update(is_member=False)

    after = next(f for f in concentration_by_quarter() if f.quarter.code == code)

    assert after.total_days == before.total_days - entry.lot.person_days
    assert after.members == before.members - 1


@pytest.mark.django_db
def test_the_page_shows_each_quarter_s_figures(demo: Any, client: Any) -> None:
    response = client.get("/en" + _url("needs:concentration"))

    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    assert "<caption" in html
    assert html.count('<th scope="row">') == 8
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in body.split("</tr>")
        if row.strip()
    ]
    with translation.override("en"):
        figures = concentration_by_quarter()
        assert len(rows) == len(figures) == 8
        for row, f in zip(rows, figures, strict=True):
            label = f"Q{f.quarter.number} {f.quarter.year}"
            if f.in_progress:
                label += " (in progress)"
            cells = f"{label} {number(f.total_days)} {f.members_with_work} of {f.members} "
            assert row.startswith(cells), (row, cells)
            if f.gini is None:
                assert row.endswith("no work awarded no work awarded")
            else:
                assert row.endswith(f"{number(f.top_share * 100, 0)}% {number(f.gini, 2)}")
    assert "0 when every member received the same number of days" in text
    assert _url("needs:concentration_csv") in html


@pytest.mark.django_db
def test_the_french_page_writes_numbers_the_french_way(demo: Any, client: Any) -> None:
    response = client.get(_url("needs:concentration"))

    figures = [f for f in concentration_by_quarter() if f.gini is not None]
    with translation.override("fr"):
        assert number(figures[0].gini, 2) in _text(response)
    assert "," in number(figures[0].gini, 2)


@pytest.mark.django_db
def test_the_csv_has_the_same_figures(demo: Any, client: Any) -> None:
    response = client.get(_url("needs:concentration_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    figures = concentration_by_quarter()
    assert [row["quarter"] for row in rows] == [f.quarter.code for f in figures]
    for row, f in zip(rows, figures, strict=True):
        assert row["first_day"] == f.quarter.start.isoformat()
        assert row["last_day"] == f.quarter.end.isoformat()
        assert row["in_progress"] == ("yes" if f.in_progress else "no")
        assert int(row["members"]) == f.members
        assert int(row["members_with_work"]) == f.members_with_work
        assert Decimal(row["awarded_days"]) == f.total_days
        if f.gini is None:
            assert row["gini"] == row["top_10_percent_share"] == ""
        else:
            assert Decimal(row["gini"]) == round(f.gini, 3)
            assert Decimal(row["top_10_percent_share"]) == round(f.top_share, 3)


@pytest.mark.django_db
def test_the_page_takes_a_fixed_number_of_queries(
    demo: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        client.get(_url("needs:concentration"))
    # More awards, more members with work: the same queries.
    lot = Lot.objects.filter(shortlist__chosen_at__isnull=False).first()
    for position, slug in enumerate(("alpes-devops", "formalibre", "infra-coop"), start=10):
        other = Lot.objects.create(
            request=lot.request, position=position, title=slug, person_days=5
        )
        ShortlistEntry.objects.create(
            lot=other,
            organisation=Organisation.objects.get(slug=slug),
            chosen_at=timezone.now() - datetime.timedelta(days=100),
        )
    with django_assert_max_num_queries(3):
        client.get(_url("needs:concentration"))
    with django_assert_max_num_queries(3):
        client.get(_url("needs:concentration_csv"))


@pytest.mark.django_db
def test_the_demo_awards_are_loaded_once(demo: Any) -> None:
    from guichet.needs.demo import _awards, _rankings

    before = (ShortlistEntry.objects.count(), Lot.objects.count())
    runs = list(Lot.objects.filter(runs__isnull=False).values_list("runs", flat=True))

    _awards()
    _rankings()

    assert (ShortlistEntry.objects.count(), Lot.objects.count()) == before
    assert list(Lot.objects.filter(runs__isnull=False).values_list("runs", flat=True)) == runs
