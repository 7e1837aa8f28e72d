"""Read-only admin views: lists and screenings change only through the services (ledger)."""

from typing import Any

from django.contrib import admin

from .models import (
    BatchScreening,
    Decision,
    ListSource,
    ListVersion,
    MonitoredSubject,
    OutcomeChange,
    Screening,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ListSource)
class ListSourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "current_version"]


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ["source", "number", "status", "entity_count", "added_count", "removed_count"]
    list_filter = ["source", "status"]
    exclude = ["diff"]


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ["subject", "party", "purpose", "trigger", "hit_count", "created_at"]
    list_filter = ["trigger", "party"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["subject", "external_id", "verdict", "decided_by", "decided_at"]


@admin.register(MonitoredSubject)
class MonitoredSubjectAdmin(ReadOnlyAdmin):
    list_display = ["subject", "owner", "party", "is_active"]


@admin.register(OutcomeChange)
class OutcomeChangeAdmin(ReadOnlyAdmin):
    list_display = ["monitored", "kind", "caption", "created_at", "notified_at"]


@admin.register(BatchScreening)
class BatchScreeningAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "party", "status", "total_rows", "hit_rows", "created_at"]
