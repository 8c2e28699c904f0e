"""`manage.py verify_audit_log`, which an operator runs to check the audit log."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guichet.core.audit import audit_record

pytestmark = pytest.mark.django_db


def write_log(count: int) -> None:
    for n in range(count):
        audit_record(action=f"test.{n}", data={"n": n})


def tamper(sql: str) -> None:
    """What an attacker with database access would do: go around the application."""
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_verify_audit_log_reports_an_intact_log() -> None:
    write_log(3)
    out = StringIO()

    call_command("verify_audit_log", stdout=out)

    assert "3" in out.getvalue()


@pytest.mark.parametrize(
    ("tampering", "broken_at"),
    [
        ("UPDATE core_auditentry SET data = '{\"n\": 99}' WHERE sequence = 2", 2),
        ("UPDATE core_auditentry SET ip_address = '198.51.100.1' WHERE sequence = 3", 3),
        ("DELETE FROM core_auditentry WHERE sequence = 2", 2),
        ("UPDATE core_auditentry SET sequence = 10 WHERE sequence = 1", 1),
    ],
    ids=["changed-data", "changed-ip", "removed", "renumbered"],
)
def test_verify_audit_log_fails_after_tampering(tampering: str, broken_at: int) -> None:
    write_log(4)
    tamper(tampering)

    with pytest.raises(CommandError, match=rf"#{broken_at}\b") as failure:
        call_command("verify_audit_log", stdout=StringIO())

    assert failure.value.returncode != 0
