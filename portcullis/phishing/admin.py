"""Authoring lures and landing pages happens here; everything with a workflow has its own page."""

from django.contrib import admin

from .models import EmailTemplate, LandingPage, SendingProfile


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "from_address", "landing_page", "from_library"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LandingPage)
class LandingPageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "brand"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SendingProfile)
class SendingProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "port", "envelope_from"]
