"""The database itself keeps the ledger: raw SQL, past every Python check, is refused.

Run on SQLite and on PostgreSQL (DATABASE_URL): each statement goes through
`connection.cursor()`, as a script or a hand-typed query would.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from guichet.finance import guards
from guichet.finance.domain.chain import GENESIS
from guichet.finance.models import Entry, EntryStatus, FiscalYear, Posting
from guichet.finance.services.fiscal_years import fiscal_year_close, fiscal_year_lock
from guichet.finance.tests.factories import account, draft, journal, posted, year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def years() -> Any:
    return year(date(2025, 1, 1), date(2025, 12, 31)), year()


def refused(sql: str, params: list[Any] | None = None) -> str:
    """Run one statement; it must fail, and the message the database gave is returned."""
    with (
        pytest.raises(IntegrityError) as error,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])
    return str(error.value)


def run(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def validation_sql(entry: Entry) -> tuple[str, list[Any]]:
    """The UPDATE that validates a draft by hand, with the right number and chain place, so
    that only the rule under test can refuse it."""
    last = Entry.objects.filter(status="validated").order_by("-sequence").first()
    number = (
        Entry.objects.filter(
            status="validated", journal=entry.journal, fiscal_year=entry.fiscal_year
        ).count()
        + 1
    )
    return (
        "UPDATE finance_entry SET status = 'validated', number = %s, sequence = %s, "
        "previous_hash = %s, hash = %s, validated_at = %s WHERE id = %s",
        [
            number,
            (last.sequence or 0) + 1 if last else 1,
            last.hash if last else GENESIS,
            "f" * 64,
            "2026-03-02 10:00:00",
            entry.pk,
        ],
    )


def test_updating_a_validated_posting_fails() -> None:
    entry = posted()
    line = entry.postings.first()
    assert line is not None

    message = refused("UPDATE finance_posting SET debit_cents = 99999 WHERE id = %s", [line.pk])

    assert guards.VALIDATED_POSTING in message
    line.refresh_from_db()
    assert line.debit_cents == 1250


def test_deleting_a_validated_posting_fails() -> None:
    entry = posted()
    line = entry.postings.first()
    assert line is not None

    assert guards.VALIDATED_POSTING in refused(
        "DELETE FROM finance_posting WHERE id = %s", [line.pk]
    )
    assert Posting.objects.filter(pk=line.pk).exists()


def test_adding_a_posting_to_a_validated_entry_fails() -> None:
    entry = posted()

    message = refused(
        "INSERT INTO finance_posting (entry_id, position, account_id, label, debit_cents, "
        "credit_cents) VALUES (%s, 3, %s, 'ajout', 100, 0)",
        [entry.pk, account("512").pk],
    )

    assert guards.VALIDATED_POSTING in message
    assert entry.postings.count() == 2


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE finance_entry SET label = 'Autre' WHERE id = %s",
        "UPDATE finance_entry SET date = '2026-03-05' WHERE id = %s",
        "UPDATE finance_entry SET status = 'draft', number = NULL, sequence = NULL, "
        "validated_at = NULL, hash = '', previous_hash = '' WHERE id = %s",
        "DELETE FROM finance_entry WHERE id = %s",
    ],
)
def test_changing_or_deleting_a_validated_entry_fails(sql: str) -> None:
    entry = posted()

    assert guards.VALIDATED_ENTRY in refused(sql, [entry.pk])
    assert Entry.objects.get(pk=entry.pk).label == entry.label


def test_validating_an_unbalanced_entry_fails() -> None:
    entry = draft()
    run("UPDATE finance_posting SET credit_cents = 1249 WHERE entry_id = %s AND position = 2",
        [entry.pk])  # fmt: skip

    assert guards.UNBALANCED in refused(*validation_sql(entry))
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.DRAFT


def test_validating_an_entry_of_one_posting_fails() -> None:
    entry = draft()
    run("DELETE FROM finance_posting WHERE entry_id = %s AND position = 2", [entry.pk])

    assert guards.UNBALANCED in refused(*validation_sql(entry))


def test_validating_a_balanced_draft_by_hand_passes_the_same_guard() -> None:
    """The guard refuses what breaks the rules, not every validation."""
    entry = draft()

    run(*validation_sql(entry))

    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.VALIDATED


def test_validating_with_a_skipped_number_fails() -> None:
    posted()
    entry = draft()
    sql, params = validation_sql(entry)
    params[0] += 1

    assert guards.NUMBER_GAP in refused(sql, params)


def test_validating_out_of_the_chain_fails() -> None:
    posted()
    entry = draft()
    sql, params = validation_sql(entry)
    params[2] = GENESIS

    assert guards.CHAIN in refused(sql, params)


def test_validating_into_a_closed_year_fails() -> None:
    entry = draft(on=date(2025, 6, 1))
    run("UPDATE finance_fiscalyear SET status = 'closed' WHERE id = %s", [entry.fiscal_year_id])

    assert guards.YEAR_NOT_OPEN in refused(*validation_sql(entry))


def test_validating_an_entry_dated_outside_its_year_fails() -> None:
    entry = draft()
    run("UPDATE finance_entry SET date = '2027-01-01' WHERE id = %s", [entry.pk])

    assert guards.YEAR_NOT_OPEN in refused(*validation_sql(entry))


def test_writing_an_entry_already_validated_fails() -> None:
    message = refused(
        "INSERT INTO finance_entry (journal_id, fiscal_year_id, number, date, label, "
        "document_reference, document_date, status, validated_at, sequence, previous_hash, "
        "hash, source_kind, created_at) VALUES (%s, %s, 1, '2026-03-01', 'x', 'x', "
        "'2026-03-01', 'validated', '2026-03-01 10:00:00', 1, %s, %s, '', '2026-03-01 10:00:00')",
        [
            journal("BQ").pk,
            FiscalYear.objects.get(starts_on=date(2026, 1, 1)).pk,
            GENESIS,
            "f" * 64,
        ],
    )
    assert guards.DRAFT_FIRST in message


def test_a_closed_year_never_reopens_and_a_locked_one_never_changes() -> None:
    last_year = FiscalYear.objects.get(starts_on=date(2025, 1, 1))
    fiscal_year_close(year=last_year, by=None)

    assert guards.YEAR_BACKWARDS in refused(
        "UPDATE finance_fiscalyear SET status = 'open' WHERE id = %s", [last_year.pk]
    )
    fiscal_year_lock(year=last_year, by=None)
    assert guards.YEAR_LOCKED in refused(
        "UPDATE finance_fiscalyear SET status = 'closed' WHERE id = %s", [last_year.pk]
    )


def test_the_dates_of_a_year_with_entries_never_change() -> None:
    entry = draft()

    assert guards.YEAR_DATES in refused(
        "UPDATE finance_fiscalyear SET ends_on = '2027-01-31' WHERE id = %s",
        [entry.fiscal_year_id],
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE finance_account SET number = '5121' WHERE number = '512'",
        "UPDATE finance_journal SET code = 'BQ1' WHERE code = 'BQ'",
    ],
)
def test_account_numbers_and_journal_codes_never_change(sql: str) -> None:
    assert guards.IDENTIFIER in refused(sql)


def test_a_draft_and_its_postings_stay_free_to_change_and_discard() -> None:
    entry = draft()

    run("UPDATE finance_posting SET label = 'Précisé' WHERE entry_id = %s", [entry.pk])
    run("UPDATE finance_entry SET label = 'Précisé' WHERE id = %s", [entry.pk])
    run("DELETE FROM finance_posting WHERE entry_id = %s", [entry.pk])
    run("DELETE FROM finance_entry WHERE id = %s", [entry.pk])

    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_every_guard_is_installed_and_a_lost_one_is_named() -> None:
    assert guards.missing(connection) == []
    with transaction.atomic():
        run("DROP TRIGGER IF EXISTS finance_journal_code" + (
            " ON finance_journal" if connection.vendor == "postgresql" else ""))  # fmt: skip
        assert guards.missing(connection) == ["finance_journal_code"]
        transaction.set_rollback(True)
    assert guards.missing(connection) == []
