from typing import Any

from django.core.management.base import BaseCommand

from guichet.missions.services.evaluations import evaluation_reminders_send


class Command(BaseCommand):
    help = (
        "Reminds the clients who have not evaluated their delivered mission, 7 and 14 days "
        "after being asked, once each (run it daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = evaluation_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"{sent} evaluation reminder(s) sent."))
