from typing import Any

from django.core.management.base import BaseCommand

from guichet.core.forms.uploads import keep_delay, kept_files_purge


class Command(BaseCommand):
    help = (
        "Deletes the files kept for forms shown again with errors that nobody came back for "
        "(older than GUICHET_KEPT_UPLOAD_HOURS). Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = kept_files_purge()
        hours = int(keep_delay().total_seconds() // 3600)
        self.stdout.write(f"{deleted} kept upload(s) older than {hours} hours deleted.")
