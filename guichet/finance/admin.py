"""The books in Django's admin, to read only: entries are written by the services, and the
database refuses to change a validated one anyway."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from guichet.finance.models import (
    Account,
    AuxiliaryAccount,
    Entry,
    FiscalYear,
    Journal,
    JournalSequence,
    Posting,
)


class ReadOnly:
    """No adding, changing or deleting from the admin, even for staff."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly, admin.ModelAdmin[Account]):
    list_display = ["number", "name", "name_en", "requires_auxiliary"]
    search_fields = ["number", "name", "name_en"]


@admin.register(AuxiliaryAccount)
class AuxiliaryAccountAdmin(ReadOnly, admin.ModelAdmin[AuxiliaryAccount]):
    list_display = ["code", "name", "account", "kind"]
    list_filter = ["kind"]
    list_select_related = ["account"]
    search_fields = ["code", "name"]


@admin.register(Journal)
class JournalAdmin(ReadOnly, admin.ModelAdmin[Journal]):
    list_display = ["code", "name", "name_en", "kind"]


@admin.register(FiscalYear)
class FiscalYearAdmin(ReadOnly, admin.ModelAdmin[FiscalYear]):
    list_display = ["starts_on", "ends_on", "status", "closed_at", "locked_at"]


@admin.register(JournalSequence)
class JournalSequenceAdmin(ReadOnly, admin.ModelAdmin[JournalSequence]):
    list_display = ["journal", "fiscal_year", "last_number"]
    list_select_related = ["journal", "fiscal_year"]


class PostingInline(ReadOnly, admin.TabularInline[Posting, Model]):
    model = Posting
    fields = ("position", "account", "auxiliary", "label", "debit_amount", "credit_amount")
    readonly_fields = fields
    ordering = ["position"]

    @admin.display(description=_("debit (€)"))
    def debit_amount(self, posting: Posting) -> str:
        return number_format(posting.debit, 2) if posting.debit_cents else ""

    @admin.display(description=_("credit (€)"))
    def credit_amount(self, posting: Posting) -> str:
        return number_format(posting.credit, 2) if posting.credit_cents else ""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("account", "auxiliary")


@admin.register(Entry)
class EntryAdmin(ReadOnly, admin.ModelAdmin[Entry]):
    list_display = ["journal", "number", "date", "label", "status", "fiscal_year", "sequence"]
    list_filter = ["status", "journal", "fiscal_year"]
    list_select_related = ["journal", "fiscal_year"]
    search_fields = ["label", "document_reference"]
    date_hierarchy = "date"
    inlines = [PostingInline]
