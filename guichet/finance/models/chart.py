"""The chart of accounts (PCG numbering) and the auxiliary accounts of clients, suppliers and
upstream projects."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Account(models.Model):
    """An account of the general ledger, numbered as the Plan comptable général says
    (512 bank, 411 clients…). Its number never changes once a posting uses it."""

    number = models.CharField(_("number"), max_length=10, unique=True)
    name = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    requires_auxiliary = models.BooleanField(
        _("kept per client, supplier or project"),
        default=False,
        help_text=_("Every posting on this account names one of its auxiliary accounts."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class AuxiliaryKind(models.TextChoices):
    CLIENT = "client", pgettext_lazy("ledger", "Client")
    SUPPLIER = "supplier", pgettext_lazy("ledger", "Supplier or member organisation")
    UPSTREAM_PROJECT = "upstream_project", pgettext_lazy("ledger", "Upstream project")


class AuxiliaryAccount(models.Model):
    """One client's, supplier's (a member organisation, mostly) or upstream project's own
    account inside a collective account (411, 401, the upstream fund)."""

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="auxiliaries", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuxiliaryKind.choices)
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="auxiliary_accounts",
        verbose_name=_("organisation"),
    )
    software = models.ForeignKey(
        "network.Software",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="auxiliary_accounts",
        verbose_name=_("software project"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("auxiliary account")
        verbose_name_plural = _("auxiliary accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "organisation"], name="finance_auxiliary_one_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["account", "software"], name="finance_auxiliary_one_per_software"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["client", "supplier"],
                        organisation__isnull=False,
                        software__isnull=True,
                    )
                    | Q(kind="upstream_project", organisation__isnull=True, software__isnull=False)
                ),
                name="finance_auxiliary_names_its_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
