from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "guichet.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        # What the associates' decisions on admissions, exclusions and the charter do.
        from guichet.network.decisions import register_effects

        register_effects()
