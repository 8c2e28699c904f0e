from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "guichet.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from guichet.governance.budgets import register_effects
        from guichet.governance.notifications import register_kinds

        register_kinds()
        register_effects()
