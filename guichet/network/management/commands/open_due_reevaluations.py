from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.network.services.admission import reevaluations_open_due


class Command(BaseCommand):
    help = "Opens the periodic re-evaluation of every member that is due (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = reevaluations_open_due(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{len(opened)} re-evaluation(s) opened."))
        for application in opened:
            self.stdout.write(f"  {application.organisation.name}")
