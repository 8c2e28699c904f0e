"""Entries validated at the same moment, each from a connection of its own, still get every
number of their journal once, none skipped, and one unbroken chain; reversals asked twice at
once reverse the entry once.

Only on PostgreSQL: SQLite serialises writers by itself, so there is nothing to race there.
The test commits (threads cannot see an uncommitted transaction), so the database is emptied
after it, as for every transactional test (PostgreSQL empties it with TRUNCATE, which the
ledger's row guards do not stop); the chart is put back first, in case an earlier
transactional test emptied it.
"""

from __future__ import annotations

import importlib
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.apps import apps
from django.db import connection

from guichet.finance.messages import FinanceError
from guichet.finance.models import Entry, EntryStatus
from guichet.finance.selectors.integrity import ledger_verify
from guichet.finance.services.entries import entry_reverse, entry_validate
from guichet.finance.tests.factories import draft, posted, year

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers by itself; the race exists on PostgreSQL only.",
    ),
]

WORKERS = 16


def chart_seeded() -> None:
    seeding = importlib.import_module("guichet.finance.migrations.0002_chart_and_journals")
    seeding.seed(apps, None)


def all_at_once(tasks: list[Callable[[], object]]) -> tuple[list[str], list[str]]:
    """Run every task in its own thread and connection, released together: the codes of
    the refusals, and any other error."""
    start = threading.Event()
    refused: list[str] = []
    errors: list[str] = []

    def run(task: Callable[[], object]) -> None:
        try:
            start.wait()
            task()
        except FinanceError as error:
            refused.append(error.code)
        except BaseException as error:  # a deadlock or a duplicate number would land here
            errors.append(repr(error))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(run, task) for task in tasks]
        start.set()
        for future in futures:
            future.result()
    return refused, errors


def validating(pk: int) -> Callable[[], object]:
    return lambda: entry_validate(entry=Entry.objects.get(pk=pk), by=None)


def reversing(pk: int) -> Callable[[], object]:
    return lambda: entry_reverse(entry=Entry.objects.get(pk=pk), by=None, date=date(2026, 6, 1))


def test_entries_validated_at_once_take_every_number_once_in_one_chain() -> None:
    chart_seeded()
    year()
    already = [posted(code="OD") for _ in range(3)]
    bank = [draft(code="BQ").pk for _ in range(30)]
    misc = [draft(code="OD").pk for _ in range(20)]
    interleaved = itertools.zip_longest(bank, misc)
    tasks = [validating(pk) for pair in interleaved for pk in pair if pk is not None]
    tasks += [reversing(already[0].pk), reversing(already[0].pk), reversing(already[1].pk)]

    refused, errors = all_at_once(tasks)

    assert errors == []
    assert refused == ["entry_already_reversed"]
    validated = Entry.objects.filter(status=EntryStatus.VALIDATED)
    bank_numbers = sorted(validated.filter(journal__code="BQ").values_list("number", flat=True))
    misc_numbers = sorted(validated.filter(journal__code="OD").values_list("number", flat=True))
    assert bank_numbers == list(range(1, 31))
    assert misc_numbers == list(range(1, 3 + 20 + 2 + 1))
    assert sorted(validated.values_list("sequence", flat=True)) == list(range(1, 3 + 50 + 2 + 1))
    assert ledger_verify().broken is None


def test_one_draft_validated_twice_at_once_is_validated_once() -> None:
    chart_seeded()
    year()
    entry = draft()

    refused, errors = all_at_once([validating(entry.pk) for _ in range(8)])

    assert errors == []
    assert refused == ["entry_validated"] * 7
    entry.refresh_from_db()
    assert entry.number == 1
    assert ledger_verify().broken is None
