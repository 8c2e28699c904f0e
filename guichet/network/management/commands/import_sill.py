from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guichet.network.services.catalogue import sill_directory, software_import_sill


class Command(BaseCommand):
    help = "Adds or updates the software catalogue from the SILL snapshots (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--directory", type=Path, help="Folder holding the SILL files (default: shared data)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or sill_directory()
        if not directory.is_dir():
            raise CommandError(f"No SILL data in {directory}.")
        report = software_import_sill(directory=directory)
        self.stdout.write(
            self.style.SUCCESS(
                f"SILL import: {len(report.added)} added, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped."
            )
        )
        for sill_id, reason in report.skipped:
            self.stdout.write(f"  skipped SILL {sill_id}: {reason}")
