"""The database's own guard of the ledger: triggers, on SQLite and on PostgreSQL.

Python checks every rule first and says it in the person's language; these triggers make
the same rules hold for any code, the admin, a script or a hand-typed SQL statement:

- an entry is written as a draft; validated, it is never changed nor deleted, and its
  postings are never added to, changed nor deleted;
- an entry validates only with two postings or more that balance, in an open fiscal year
  that holds its date, with the next number of its journal and year and the next place in
  the chain (after the hash of the last validated entry);
- a fiscal year goes open → closed → locked, never back; its dates never change once it
  has entries; account numbers, auxiliary codes and journal codes never change.

Installed by migration 0003, and again after every `migrate` (SQLite drops a table's
triggers when a migration rebuilds the table). A test database can be emptied only with
the guards off: `remove()` first, `install()` after.
"""

# The SQL below is built from this module's constants only, never from anyone's input.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

DRAFT_FIRST = "ledger: an entry is written as a draft, then validated"
VALIDATED_ENTRY = "ledger: a validated entry is never changed nor deleted; write a reversing entry"
UNBALANCED = (
    "ledger: an entry validates only with two postings or more whose debits equal their credits"
)
YEAR_NOT_OPEN = "ledger: an entry validates only in an open fiscal year that holds its date"
NUMBER_GAP = "ledger: an entry takes the next number of its journal and fiscal year"
CHAIN = "ledger: an entry takes the next place in the chain, after the hash of the last one"
VALIDATED_POSTING = "ledger: the postings of a validated entry are never added, changed nor deleted"
YEAR_LOCKED = "ledger: a locked fiscal year never changes"
YEAR_BACKWARDS = "ledger: a fiscal year goes from open to closed to locked, never back"
YEAR_DATES = "ledger: the dates of a fiscal year with entries never change"
IDENTIFIER = "ledger: account numbers, auxiliary codes and journal codes never change"

TABLES = (
    "finance_entry",
    "finance_posting",
    "finance_fiscalyear",
    "finance_account",
    "finance_auxiliaryaccount",
    "finance_journal",
)
GENESIS_SQL = "'" + "0" * 64 + "'"
_VALIDATED = "status = 'validated'"

# SQLite: one trigger per rule, each refusing with RAISE(ABORT, …).
SQLITE_TRIGGERS = {
    "finance_entry_draft_first": (
        "BEFORE INSERT ON finance_entry WHEN NEW.status <> 'draft'",
        [f"SELECT RAISE(ABORT, '{DRAFT_FIRST}')"],
    ),
    "finance_entry_validated_update": (
        "BEFORE UPDATE ON finance_entry WHEN OLD.status = 'validated'",
        [f"SELECT RAISE(ABORT, '{VALIDATED_ENTRY}')"],
    ),
    "finance_entry_validated_delete": (
        "BEFORE DELETE ON finance_entry WHEN OLD.status = 'validated'",
        [f"SELECT RAISE(ABORT, '{VALIDATED_ENTRY}')"],
    ),
    "finance_entry_validate": (
        "BEFORE UPDATE ON finance_entry WHEN OLD.status = 'draft' AND NEW.status = 'validated'",
        [
            f"SELECT RAISE(ABORT, '{UNBALANCED}') WHERE "
            "(SELECT count(*) FROM finance_posting WHERE entry_id = NEW.id) < 2 OR "
            "(SELECT coalesce(sum(debit_cents - credit_cents), 0) FROM finance_posting "
            "WHERE entry_id = NEW.id) <> 0",
            f"SELECT RAISE(ABORT, '{YEAR_NOT_OPEN}') WHERE NOT EXISTS (SELECT 1 FROM "
            "finance_fiscalyear WHERE id = NEW.fiscal_year_id AND status = 'open' "
            "AND NEW.date BETWEEN starts_on AND ends_on)",
            f"SELECT RAISE(ABORT, '{NUMBER_GAP}') WHERE NEW.number IS NOT "
            "(SELECT coalesce(max(number), 0) + 1 FROM finance_entry WHERE "
            "journal_id = NEW.journal_id AND fiscal_year_id = NEW.fiscal_year_id "
            f"AND {_VALIDATED})",
            f"SELECT RAISE(ABORT, '{CHAIN}') WHERE NEW.sequence IS NOT "
            f"(SELECT coalesce(max(sequence), 0) + 1 FROM finance_entry WHERE {_VALIDATED}) "
            "OR NEW.previous_hash IS NOT coalesce((SELECT hash FROM finance_entry WHERE "
            f"{_VALIDATED} ORDER BY sequence DESC LIMIT 1), {GENESIS_SQL})",
        ],
    ),
    "finance_posting_insert": (
        "BEFORE INSERT ON finance_posting WHEN (SELECT status FROM finance_entry "
        "WHERE id = NEW.entry_id) = 'validated'",
        [f"SELECT RAISE(ABORT, '{VALIDATED_POSTING}')"],
    ),
    "finance_posting_update": (
        "BEFORE UPDATE ON finance_posting WHEN (SELECT status FROM finance_entry "
        "WHERE id = OLD.entry_id) = 'validated' OR (SELECT status FROM finance_entry "
        "WHERE id = NEW.entry_id) = 'validated'",
        [f"SELECT RAISE(ABORT, '{VALIDATED_POSTING}')"],
    ),
    "finance_posting_delete": (
        "BEFORE DELETE ON finance_posting WHEN (SELECT status FROM finance_entry "
        "WHERE id = OLD.entry_id) = 'validated'",
        [f"SELECT RAISE(ABORT, '{VALIDATED_POSTING}')"],
    ),
    "finance_fiscalyear_update": (
        "BEFORE UPDATE ON finance_fiscalyear",
        [
            f"SELECT RAISE(ABORT, '{YEAR_LOCKED}') WHERE OLD.status = 'locked'",
            f"SELECT RAISE(ABORT, '{YEAR_BACKWARDS}') WHERE "
            "(OLD.status = 'closed' AND NEW.status = 'open') "
            "OR NEW.status NOT IN ('open', 'closed', 'locked')",
            f"SELECT RAISE(ABORT, '{YEAR_DATES}') WHERE (NEW.starts_on IS NOT OLD.starts_on "
            "OR NEW.ends_on IS NOT OLD.ends_on) AND EXISTS "
            "(SELECT 1 FROM finance_entry WHERE fiscal_year_id = OLD.id)",
        ],
    ),
    "finance_account_number": (
        "BEFORE UPDATE ON finance_account WHEN NEW.number IS NOT OLD.number",
        [f"SELECT RAISE(ABORT, '{IDENTIFIER}')"],
    ),
    "finance_auxiliaryaccount_code": (
        "BEFORE UPDATE ON finance_auxiliaryaccount WHEN NEW.code IS NOT OLD.code",
        [f"SELECT RAISE(ABORT, '{IDENTIFIER}')"],
    ),
    "finance_journal_code": (
        "BEFORE UPDATE ON finance_journal WHEN NEW.code IS NOT OLD.code",
        [f"SELECT RAISE(ABORT, '{IDENTIFIER}')"],
    ),
}


def _raise(message: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'"


# PostgreSQL: one plpgsql function per table. Rows read to decide are locked FOR SHARE, so
# that a posting added while its entry is being validated waits, then sees it validated.
POSTGRESQL_FUNCTIONS = {
    "finance_entry_guard": f"""
DECLARE
  postings bigint; difference bigint; year_status text; year_start date; year_end date;
  last_number bigint; last_sequence bigint; last_hash text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'draft' THEN {_raise(DRAFT_FIRST)}; END IF;
    RETURN NEW;
  END IF;
  IF OLD.status = 'validated' THEN {_raise(VALIDATED_ENTRY)}; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF NEW.status = 'validated' THEN
    SELECT count(*), coalesce(sum(debit_cents - credit_cents), 0) INTO postings, difference
      FROM finance_posting WHERE entry_id = NEW.id;
    IF postings < 2 OR difference <> 0 THEN {_raise(UNBALANCED)}; END IF;
    SELECT status, starts_on, ends_on INTO year_status, year_start, year_end
      FROM finance_fiscalyear WHERE id = NEW.fiscal_year_id FOR SHARE;
    IF year_status IS DISTINCT FROM 'open' OR NEW.date < year_start OR NEW.date > year_end
    THEN {_raise(YEAR_NOT_OPEN)}; END IF;
    SELECT coalesce(max(number), 0) INTO last_number FROM finance_entry
      WHERE journal_id = NEW.journal_id AND fiscal_year_id = NEW.fiscal_year_id
      AND {_VALIDATED};
    IF NEW.number IS DISTINCT FROM last_number + 1 THEN {_raise(NUMBER_GAP)}; END IF;
    SELECT sequence, hash INTO last_sequence, last_hash FROM finance_entry
      WHERE {_VALIDATED} ORDER BY sequence DESC LIMIT 1;
    IF NEW.sequence IS DISTINCT FROM coalesce(last_sequence, 0) + 1
      OR NEW.previous_hash IS DISTINCT FROM coalesce(last_hash, {GENESIS_SQL})
    THEN {_raise(CHAIN)}; END IF;
  END IF;
  RETURN NEW;
END""",
    "finance_posting_guard": f"""
DECLARE entry_status text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT status INTO entry_status FROM finance_entry WHERE id = OLD.entry_id FOR SHARE;
    IF entry_status = 'validated' THEN {_raise(VALIDATED_POSTING)}; END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT status INTO entry_status FROM finance_entry WHERE id = NEW.entry_id FOR SHARE;
    IF entry_status = 'validated' THEN {_raise(VALIDATED_POSTING)}; END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END""",
    "finance_fiscalyear_guard": f"""
BEGIN
  IF OLD.status = 'locked' THEN {_raise(YEAR_LOCKED)}; END IF;
  IF (OLD.status = 'closed' AND NEW.status = 'open')
    OR NEW.status NOT IN ('open', 'closed', 'locked') THEN {_raise(YEAR_BACKWARDS)}; END IF;
  IF (NEW.starts_on <> OLD.starts_on OR NEW.ends_on <> OLD.ends_on)
    AND EXISTS (SELECT 1 FROM finance_entry WHERE fiscal_year_id = OLD.id)
  THEN {_raise(YEAR_DATES)}; END IF;
  RETURN NEW;
END""",
    # The column it keeps is the trigger's argument.
    "finance_identifier_guard": f"""
BEGIN
  IF to_jsonb(NEW) ->> TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD) ->> TG_ARGV[0]
  THEN {_raise(IDENTIFIER)}; END IF;
  RETURN NEW;
END""",
}
POSTGRESQL_TRIGGERS = {
    "finance_entry_guard": (
        "BEFORE INSERT OR UPDATE OR DELETE ON finance_entry",
        "finance_entry_guard()",
    ),
    "finance_posting_guard": (
        "BEFORE INSERT OR UPDATE OR DELETE ON finance_posting",
        "finance_posting_guard()",
    ),
    "finance_fiscalyear_guard": (
        "BEFORE UPDATE ON finance_fiscalyear",
        "finance_fiscalyear_guard()",
    ),
    "finance_account_number": (
        "BEFORE UPDATE ON finance_account",
        "finance_identifier_guard('number')",
    ),
    "finance_auxiliaryaccount_code": (
        "BEFORE UPDATE ON finance_auxiliaryaccount",
        "finance_identifier_guard('code')",
    ),
    "finance_journal_code": (
        "BEFORE UPDATE ON finance_journal",
        "finance_identifier_guard('code')",
    ),
}


def _table(when: str) -> str:
    return when.split(" ON ", 1)[1].split()[0]


def trigger_names(vendor: str) -> set[str]:
    """The triggers this database should hold."""
    return set(POSTGRESQL_TRIGGERS if vendor == "postgresql" else SQLITE_TRIGGERS)


def install_statements(vendor: str) -> list[str]:
    """The SQL that (re)installs every guard, replacing any older version of it."""
    if vendor == "postgresql":
        found = [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$"
            for name, body in POSTGRESQL_FUNCTIONS.items()
        ]
        for name, (when, function) in POSTGRESQL_TRIGGERS.items():
            found.append(f"DROP TRIGGER IF EXISTS {name} ON {_table(when)}")
            found.append(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION {function}")
        return found
    if vendor != "sqlite":
        raise NotImplementedError("The ledger's guards exist for SQLite and PostgreSQL only.")
    found = []
    for name, (when, statements) in SQLITE_TRIGGERS.items():
        body = "; ".join(statements)
        found.append(f"DROP TRIGGER IF EXISTS {name}")
        found.append(f"CREATE TRIGGER {name} {when} BEGIN {body}; END")
    return found


def remove_statements(vendor: str) -> list[str]:
    """The SQL that removes every guard (to migrate backwards, or to empty a test database)."""
    if vendor == "postgresql":
        found = [
            f"DROP TRIGGER IF EXISTS {name} ON {_table(when)}"
            for name, (when, _function) in POSTGRESQL_TRIGGERS.items()
        ]
        return found + [f"DROP FUNCTION IF EXISTS {name}()" for name in POSTGRESQL_FUNCTIONS]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def install(connection: BaseDatabaseWrapper) -> None:
    """Install (or reinstall) every guard on this connection's database."""
    with connection.cursor() as cursor:
        for statement in install_statements(connection.vendor):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Remove every guard: only to migrate backwards or to empty a test database."""
    with connection.cursor() as cursor:
        for statement in remove_statements(connection.vendor):
            cursor.execute(statement)


def missing(connection: BaseDatabaseWrapper) -> list[str]:
    """The guards this database should hold but does not, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return sorted(trigger_names(connection.vendor) - present)


def install_after_migrate(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """post_migrate receiver: put the guards back once their tables exist."""
    connection = connections[using]
    if set(TABLES) <= set(connection.introspection.table_names()):
        install(connection)
