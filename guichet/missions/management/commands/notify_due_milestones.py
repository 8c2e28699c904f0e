from typing import Any

from django.core.management.base import BaseCommand

from guichet.missions.services.missions import milestones_notify_due


class Command(BaseCommand):
    help = "Emails the members of each mission whose milestone fell due (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = milestones_notify_due()
        self.stdout.write(self.style.SUCCESS(f"{sent} milestone(s) notified."))
