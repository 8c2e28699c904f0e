from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guichet.core.audit import audit_verify
from guichet.core.models import AuditEntry


class Command(BaseCommand):
    help = "Checks that no audit record was changed, removed or inserted out of order."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"Audit log broken at record #{broken.sequence}: {broken.reason}.")
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {AuditEntry.objects.count()} records.")
        )
