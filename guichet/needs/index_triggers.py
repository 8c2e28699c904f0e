"""Database triggers that change the matching index token whenever something the index
holds changes, installed after every migration.

Triggers rather than Django signals: bulk imports (`import_sill`, `load_communes`), queryset
updates and raw SQL change the data too, and a signal would not see them. A change rolled back
rolls its token change back with it. Installed by `post_migrate`, idempotently, because SQLite
drops a table's triggers when a migration rebuilds that table.

Apps that come later in the dependency order (missions: client satisfaction, committed days)
have their
tables watched too by calling `watch(table)` from their AppConfig.ready(), before migrations
run; this module never imports them.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

STATE = "needs_matchingindexstate"
# Every row of these tables feeds the index (rules included: a snapshot is built under one).
WATCHED = (
    "network_organisation",
    "network_softwarelink",
    "network_evidence",
    "network_chartersignature",
    "network_charter",
    "network_commune",
    "needs_matchingrules",
)
EVENTS = ("INSERT", "UPDATE", "DELETE")
# Of the shortlists, only awards count (the fair spread): a change of `chosen_at`.
AWARDS = "needs_shortlistentry"
AWARD_CONDITIONS = {
    "INSERT": "NEW.chosen_at IS NOT NULL",
    "UPDATE": "NEW.chosen_at IS DISTINCT FROM OLD.chosen_at",
    "DELETE": "OLD.chosen_at IS NOT NULL",
}
# Of the lots, only what a chosen lot commits its provider to (needs/commitments.py): its days
# and dates. A lot created or deleted changes no commitment by itself (an award's own trigger
# fires when a chosen entry goes with its lot).
LOTS = "needs_lot"
LOT_CONDITIONS = {
    "UPDATE": "NEW.person_days IS DISTINCT FROM OLD.person_days "
    "OR NEW.start_date IS DISTINCT FROM OLD.start_date "
    "OR NEW.deadline IS DISTINCT FROM OLD.deadline",
}
# Tables of later apps, with their conditions if any (see watch()).
_later: dict[str, dict[str, str]] = {}
FUNCTION = "needs_matching_index_touch"
# The statement each trigger runs: a new random token.
TOUCH = {
    "sqlite": "UPDATE needs_matchingindexstate SET token = lower(hex(randomblob(16)))",
    "postgresql": "UPDATE needs_matchingindexstate "
    "SET token = replace(gen_random_uuid()::text, '-', '')",
}


def watch(table: str, conditions: dict[str, str] | None = None) -> None:
    """Have a later app's table change the index token too (idempotent). `conditions`
    maps an event ("INSERT", "UPDATE", "DELETE") to the SQL condition on NEW/OLD under which
    it counts, written with IS DISTINCT FROM (SQLite gets IS NOT); an event left out counts
    always. Call it from the app's AppConfig.ready()."""
    if table in WATCHED or table in (AWARDS, LOTS):
        return
    _later[table] = dict(conditions or {})


def _name(table: str, event: str) -> str:
    return f"{table}_{event.lower()}_index"


def _sqlite(table: str, event: str, condition: str | None) -> str:
    when = f"WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')} " if condition else ""
    return (
        f"CREATE TRIGGER IF NOT EXISTS {_name(table, event)} AFTER {event} ON {table} {when}"
        f"BEGIN {TOUCH['sqlite']}; END"
    )


def _postgresql(table: str, event: str, condition: str | None) -> str:
    scope = f"FOR EACH ROW WHEN ({condition})" if condition else "FOR EACH STATEMENT"
    return (
        f"CREATE OR REPLACE TRIGGER {_name(table, event)} AFTER {event} ON {table} {scope} "
        f"EXECUTE FUNCTION {FUNCTION}()"
    )


def statements(vendor: str, tables: set[str] | None = None) -> list[str]:
    """The SQL that installs (or reinstalls) every trigger on this database; a later app's
    table is left out when `tables` (those that exist) does not hold it."""
    found = []
    if vendor == "postgresql":
        found.append(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$ "
            f"BEGIN {TOUCH['postgresql']}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    build = _postgresql if vendor == "postgresql" else _sqlite
    for table in WATCHED:
        found += [build(table, event, None) for event in EVENTS]
    found += [build(AWARDS, event, AWARD_CONDITIONS[event]) for event in EVENTS]
    found += [build(LOTS, event, condition) for event, condition in LOT_CONDITIONS.items()]
    for table, conditions in _later.items():
        if tables is None or table in tables:
            found += [build(table, event, conditions.get(event)) for event in EVENTS]
    return found


def install(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """post_migrate receiver: install the triggers once the tables they watch exist."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {STATE, AWARDS, LOTS, *WATCHED} <= tables:
        return  # an earlier migration state (migrating backwards, or partly)
    with connection.cursor() as cursor:
        for statement in statements(connection.vendor, tables):
            cursor.execute(statement)
