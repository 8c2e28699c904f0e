"""The database's guard of the ledger: triggers on SQLite and PostgreSQL (finance/guards.py).

Read from the app's module rather than frozen here: the guards in force are always those
of the code that runs, reinstalled after every `migrate` as well.
"""

from typing import Any

from django.db import migrations

from guichet.finance import guards


def install(apps: Any, schema_editor: Any) -> None:
    guards.install(schema_editor.connection)


def remove(apps: Any, schema_editor: Any) -> None:
    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_chart_and_journals")]

    operations = [migrations.RunPython(install, remove)]
