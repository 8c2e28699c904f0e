from django.contrib import admin

from guichet.governance.models import CollegeRule, Proposal, Statutes


class CollegeRuleInline(admin.TabularInline[CollegeRule, Statutes]):
    model = CollegeRule
    extra = 0


@admin.register(Statutes)
class StatutesAdmin(admin.ModelAdmin[Statutes]):
    inlines = [CollegeRuleInline]
    list_display = ["__str__", "weighted_colleges", "quorum_percent", "max_proxies"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin[Proposal]):
    # Decisions are made through their pages and services, never edited here.
    list_display = ["reference", "title", "kind", "mode", "status", "decided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "title"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
