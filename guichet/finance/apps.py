from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "guichet.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guichet.finance.guards import install_after_migrate

        # SQLite drops a table's triggers when a migration rebuilds it: put them back.
        post_migrate.connect(install_after_migrate, sender=self)
