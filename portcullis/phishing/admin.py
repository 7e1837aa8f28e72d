"""Lures, landing pages and sending profiles, read-only: the lure library is installed and
sending profiles are saved by services with ledger rows (the Simulations pages)."""

from django.contrib import admin

from portcullis.lib.admin import ReadOnlyAdmin

from .models import EmailTemplate, LandingPage, SendingProfile


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "from_address", "landing_page", "from_library"]


@admin.register(LandingPage)
class LandingPageAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "brand"]


@admin.register(SendingProfile)
class SendingProfileAdmin(ReadOnlyAdmin):
    list_display = ["name", "host", "port", "envelope_from"]
    exclude = ["password"]
