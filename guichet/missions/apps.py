from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "guichet.missions"
    label = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from guichet.missions.notifications import register_kinds
        from guichet.missions.satisfaction import connect

        register_kinds()
        connect()
