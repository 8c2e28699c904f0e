"""Background tasks of governance. `close_round` (services/rounds.py) runs at each round's
deadline; this one catches up on everything due, for a cron or a periodic worker."""

from django.tasks import task

from guichet.governance.services.rounds import rounds_close_due, rounds_remind


@task()
def close_due_rounds() -> int:
    """Send the 48-hour reminders, then close every round due; how many closed."""
    rounds_remind()
    return rounds_close_due()
