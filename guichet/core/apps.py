from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Guichet — socle"

    def ready(self) -> None:
        # Each app declares its pages and its personal data in modules of these names.
        autodiscover_modules("pages")
        autodiscover_modules("personal_data")
