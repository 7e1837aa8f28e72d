from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Office, Organisation, Person, PersonEmail, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "constituency"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "constituency"]


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["office"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "party"]
    list_filter = ["party"]
    search_fields = ["full_name", "emails__address"]
    inlines = [PersonEmailInline, MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
