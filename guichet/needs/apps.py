from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "guichet.needs"
    label = "needs"
    verbose_name = _("Client requests")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guichet.needs import profile
        from guichet.needs.decisions import register_effects
        from guichet.needs.index_triggers import install

        post_migrate.connect(install, sender=self)
        # What the associates' decisions on the matching rules do.
        register_effects()
        # "Submit a request to this member", on the network's public profiles.
        profile.connect()
