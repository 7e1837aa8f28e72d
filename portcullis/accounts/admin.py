from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    ApiToken,
    ApiTokenAllowance,
    Membership,
    Office,
    Organisation,
    Person,
    PersonEmail,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    list_display = ["name", "organisation", "kind", "constituency"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "constituency"]


class PersonEmailInline(admin.TabularInline[PersonEmail, Person]):
    model = PersonEmail
    extra = 1


class MembershipInline(admin.TabularInline[Membership, Person]):
    model = Membership
    extra = 0
    autocomplete_fields = ["office"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["full_name", "job_title", "party"]
    list_filter = ["party"]
    search_fields = ["full_name", "emails__address"]
    inlines = [PersonEmailInline, MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "person", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "person__full_name"]
    autocomplete_fields = ["person"]
    fieldsets = (
        (None, {"fields": ("email", "password", "person")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made and revoked by their owners (services, ledger); only a digest is stored,
    and admin does not show even that."""

    list_display = ["name", "user", "prefix", "expires_at", "last_used_at", "revoked_at"]
    fields: ClassVar[Any] = (
        "name",
        "user",
        "prefix",
        "scopes",
        "read_only",
        "expires_at",
        "revoked_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ApiTokenAllowance)
class ApiTokenAllowanceAdmin(ApiTokenAdmin):
    list_display = ["user", "reason", "allowed_by", "allowed_at", "withdrawn_at"]
    fields = ("user", "reason", "allowed_by", "allowed_at", "withdrawn_at")
    readonly_fields = fields
