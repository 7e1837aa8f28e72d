from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin[LedgerEntry]):
    """Read-only: the ledger is appended to by services, never edited by hand."""

    list_display = ["seq", "at", "actor_label", "action", "visibility", "target_label"]
    list_filter = ["visibility"]
    search_fields = ["actor_label", "action", "target_label"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LedgerEntry]:
        # The same rule as the ledger page: an administrator reads platform events only.
        return LedgerEntry.objects.visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
