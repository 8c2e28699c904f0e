from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Guichet — socle"

    def ready(self) -> None:
        # Each app declares its pages, its personal data, the queues that wait for people
        # and its open datasets in modules of these names.
        autodiscover_modules("pages")
        autodiscover_modules("personal_data")
        autodiscover_modules("queues")
        autodiscover_modules("datasets")
