"""The directory in Django admin, read-only: people, memberships and roles change through the
directory import and the office and security-team pages, each with a ledger row. Sign-in
secrets (TOTP keys, recovery codes, API tokens) are not shown here at all."""

from typing import Any, ClassVar

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from portcullis.lib.admin import ReadOnlyAdmin, ReadOnlyInline, VisibleReadOnlyAdmin, read_only

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

for secret in (TOTPDevice, StaticDevice, TokenProxy, Group):
    if admin.site.is_registered(secret):
        admin.site.unregister(secret)

# Lockouts are written by django-axes; they are lifted with `manage.py axes_reset_username`.
for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, read_only(model_admin))


@admin.register(Organisation)
class OrganisationAdmin(VisibleReadOnlyAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Office)
class OfficeAdmin(VisibleReadOnlyAdmin):
    list_display = ["name", "organisation", "kind", "constituency"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "constituency"]


class PersonEmailInline(ReadOnlyInline):
    model = PersonEmail


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["organisation", "office", "role", "started_on", "ended_on"]


@admin.register(Person)
class PersonAdmin(VisibleReadOnlyAdmin):
    list_display = ["full_name", "job_title", "party"]
    list_filter = ["party"]
    search_fields = ["full_name", "emails__address"]
    inlines = [PersonEmailInline, MembershipInline]


@admin.register(User)
class UserAdmin(VisibleReadOnlyAdmin):
    ordering = ["email"]
    list_display = ["email", "person", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "person__full_name"]
    fieldsets = (
        (None, {"fields": ("email", "person")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
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


@admin.register(ApiTokenAllowance)
class ApiTokenAllowanceAdmin(ReadOnlyAdmin):
    list_display = ["user", "reason", "allowed_by", "allowed_at", "withdrawn_at"]
    fields: ClassVar[Any] = ("user", "reason", "allowed_by", "allowed_at", "withdrawn_at")
    readonly_fields = fields
