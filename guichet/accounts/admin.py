from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import ApiToken, College, RoleGrant, User
from guichet.accounts.services import api_token_revoke
from guichet.core.audit import audit_record


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0
    fields = ["role", "college"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # generic only in the stubs
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identity"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = sorted(set(form.changed_data) - {"password"})
        if changed or not change:
            audit_record(
                action="admin.person_change" if change else "admin.person_add",
                actor=request.user,
                target=obj,
                data={"fields": changed},
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Role grants edited here are audited like the ones given through the services.
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            audit_record(
                action="role.revoke",
                actor=request.user,
                target=deleted.user,
                data={"role": deleted.role, "through": "admin"},
            )
            deleted.delete()
        for grant in instances:
            grant.save()
            audit_record(
                action="role.grant",
                actor=request.user,
                target=grant.user,
                data={
                    "role": grant.role,
                    "college": grant.college.slug if grant.college else None,
                    "through": "admin",
                },
            )
        formset.save_m2m()


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin[College]):
    list_display = ["name", "name_en", "slug", "position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


TOKEN_FIELDS = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Staff can see tokens and revoke them; only their owner creates them."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    fields = tuple(TOKEN_FIELDS)
    readonly_fields = TOKEN_FIELDS
    search_fields = ["name", "user__email"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        by: Any = request.user
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=by)
        messages.success(request, _("The selected tokens are revoked."))
