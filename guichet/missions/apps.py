from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "guichet.missions"
    label = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from guichet.missions import commitments, follow, satisfaction
        from guichet.missions.notifications import register_kinds

        register_kinds()
        satisfaction.connect()
        commitments.connect()
        follow.connect()
