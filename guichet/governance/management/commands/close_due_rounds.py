from typing import Any

from django.core.management.base import BaseCommand

from guichet.governance.services.rounds import rounds_close_due, rounds_remind


class Command(BaseCommand):
    help = (
        "Reminds the associates who have not positioned 48 hours before a round closes, then "
        "closes every round due (run it every few minutes; each round decides once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = rounds_remind()
        closed = rounds_close_due()
        self.stdout.write(
            self.style.SUCCESS(f"{reminded} round(s) reminded, {closed} round(s) closed.")
        )
