from django.contrib import admin

from portcullis.lib.admin import VisibleReadOnlyAdmin

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(VisibleReadOnlyAdmin):
    """The ledger is appended to by services, never edited by hand; an administrator reads the
    entries `visible_to` them (platform events only), as on /ledger/."""

    list_display = ["seq", "at", "actor_label", "action", "visibility", "target_label"]
    list_filter = ["visibility"]
    search_fields = ["actor_label", "action", "target_label"]
