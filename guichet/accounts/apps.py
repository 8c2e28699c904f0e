from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from guichet.accounts import signals  # connected once models are loaded

        signals.connect()
