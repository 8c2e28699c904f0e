"""`manage.py verify_audit_log`, which an operator runs to check the audit log."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guichet.core.audit import audit_record
from guichet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def write_log(count: int) -> list[int]:
    """Appends `count` records after the demo's, and gives their sequence numbers."""
    return [audit_record(action=f"test.{n}", data={"n": n}).sequence for n in range(count)]


def tamper(sql: str, params: list[int]) -> None:
    """What an attacker with database access would do: go around the application."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_audit_log_reports_an_intact_log() -> None:
    write_log(3)
    out = StringIO()

    call_command("verify_audit_log", stdout=out)

    # The demo's records and the three new ones, all counted.
    assert f"Audit log intact: {AuditEntry.objects.count()} records." in out.getvalue()


# Each case tampers with the test's own records (the 1st to 4th it writes after the demo's):
# the SQL's parameters and the record reported broken are positions among them.
@pytest.mark.parametrize(
    ("tampering", "targets", "broken_at"),
    [
        ("UPDATE core_auditentry SET data = '{\"n\": 99}' WHERE sequence = %s", [2], 2),
        ("UPDATE core_auditentry SET ip_address = '198.51.100.1' WHERE sequence = %s", [3], 3),
        ("DELETE FROM core_auditentry WHERE sequence = %s", [2], 2),
        ("UPDATE core_auditentry SET sequence = %s WHERE sequence = %s", [10, 1], 1),
    ],
    ids=["changed-data", "changed-ip", "removed", "renumbered"],
)
def test_verify_audit_log_fails_after_tampering(
    tampering: str, targets: list[int], broken_at: int
) -> None:
    base = write_log(4)[0] - 1
    tamper(tampering, [base + position for position in targets])

    with pytest.raises(CommandError, match=rf"#{base + broken_at}\b") as failure:
        call_command("verify_audit_log", stdout=StringIO())

    assert failure.value.returncode != 0
