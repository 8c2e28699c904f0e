from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guichet.core.demo_data import load_all


class Command(BaseCommand):
    help = "Loads the demo data (idempotent: run it as often as you like) and prints the logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even outside DEBUG (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The demo creates well-known passwords: it runs only with DEBUG.")
        with transaction.atomic():
            logins = load_all()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.password}  {login.description}")
