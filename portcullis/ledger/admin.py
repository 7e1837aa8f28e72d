from django.contrib import admin
from django.http import HttpRequest

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is appended to by services, never edited by hand."""

    list_display = ["seq", "at", "actor_label", "action", "target_label"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
