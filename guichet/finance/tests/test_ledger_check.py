"""`manage.py ledger_check` finds what was changed behind the services' back, names the first
broken record, and exits with a non-zero status.

To change validated records at all, a test lifts the database's guards for one statement,
as someone with a hand on the database could; all inside the test's own transaction, rolled
back at its end.
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connection
from django.utils import translation

from guichet.finance import guards
from guichet.finance.models import Entry, JournalSequence
from guichet.finance.services.entries import entry_reverse
from guichet.finance.tests.factories import posted, year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def books() -> list[Entry]:
    """Three bank entries and the reversal of the second."""
    year()
    entries = [posted(label=f"Frais {n}") for n in (1, 2, 3)]
    return [*entries, entry_reverse(entry=entries[1], by=None, date=date(2026, 3, 5))]


def tamper(statement: str, params: list[object]) -> None:
    """One statement run behind the guards' back, the guards put back after it."""
    guards.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    guards.install(connection)


def check() -> str:
    """The command's verdict in French, the books' language."""
    with translation.override("fr"):
        try:
            output = StringIO()
            call_command("ledger_check", stdout=output)
        except CommandError as error:
            return str(error)
    return output.getvalue()


def test_intact_books_pass_and_say_what_was_read() -> None:
    assert check() == "Comptabilité intacte\u00a0: 4 écritures validées, 8 lignes.\n"


def test_a_changed_amount_names_its_entry(books: list[Entry]) -> None:
    tamper("UPDATE finance_posting SET debit_cents = 1300 WHERE entry_id = %s AND position = 1",
        [books[1].pk])  # fmt: skip
    tamper("UPDATE finance_posting SET credit_cents = 1300 WHERE entry_id = %s AND position = 2",
        [books[1].pk])  # fmt: skip

    assert check() == (
        "Comptabilité rompue — écriture BQ nº 2 de l'exercice commençant le 2026-01-01 "
        "(rang 2 dans la chaîne)\u00a0: son contenu ne correspond plus à son empreinte\u00a0: "
        "elle a été modifiée."
    )


def test_a_deleted_entry_is_found_where_it_was(books: list[Entry]) -> None:
    tamper("DELETE FROM finance_posting WHERE entry_id = %s", [books[0].pk])
    tamper("DELETE FROM finance_entry WHERE id = %s", [books[0].pk])

    assert "écriture BQ nº 2" in check()
    assert "une écriture manque dans la chaîne avant celle-ci" in check()


def test_an_entry_moved_to_another_number_is_named(books: list[Entry]) -> None:
    tamper("UPDATE finance_entry SET number = 7 WHERE id = %s", [books[2].pk])

    assert "écriture BQ nº 7" in check()


def test_a_number_given_to_no_entry_is_named() -> None:
    JournalSequence.objects.filter(journal__code="BQ").update(last_number=5)

    assert check() == (
        "Comptabilité rompue — journal BQ, exercice commençant le 2026-01-01\u00a0: le "
        "compteur du journal ne correspond pas à sa dernière écriture validée."
    )


def test_a_lost_guard_is_named() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS finance_journal_code"
            + (" ON finance_journal" if connection.vendor == "postgresql" else "")
        )

    assert "garde finance_journal_code" in check()


def test_a_broken_ledger_exits_with_a_non_zero_status(books: list[Entry]) -> None:
    tamper("UPDATE finance_entry SET label = 'Autre' WHERE id = %s", [books[3].pk])

    with pytest.raises(SystemExit) as exit_status:
        call_command_from_shell("ledger_check")
    assert exit_status.value.code == 1


def call_command_from_shell(name: str) -> None:
    """As `manage.py <name>` runs it: a CommandError becomes exit status 1."""
    command = load_command_class("guichet.finance", name)
    command.stderr = StringIO()  # type: ignore[assignment]
    command.run_from_argv(["manage.py", name])
