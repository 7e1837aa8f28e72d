"""The lists in force, read-only: lists change only through the list pages and imports (ledger).
Screenings, decisions, monitoring and batches are about people and parties; Django admin shows
an administrator only those `visible_to` them (none: that is the screeners' business)."""

from django.contrib import admin

from portcullis.lib.admin import ReadOnlyAdmin, VisibleReadOnlyAdmin

from .models import (
    BatchHit,
    BatchProblem,
    BatchScreening,
    Decision,
    ListSource,
    ListVersion,
    MonitoredSubject,
    OutcomeChange,
    Screening,
)


@admin.register(ListSource)
class ListSourceAdmin(VisibleReadOnlyAdmin):
    list_display = ["name", "kind", "current_version"]


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ["source", "number", "status", "entity_count", "added_count", "removed_count"]
    list_filter = ["source", "status"]
    exclude = ["diff"]


@admin.register(Screening)
class ScreeningAdmin(VisibleReadOnlyAdmin):
    list_display = ["subject", "party", "purpose", "trigger", "hit_count", "created_at"]


@admin.register(Decision)
class DecisionAdmin(VisibleReadOnlyAdmin):
    list_display = ["subject", "external_id", "verdict", "decided_by", "decided_at"]


@admin.register(MonitoredSubject)
class MonitoredSubjectAdmin(VisibleReadOnlyAdmin):
    list_display = ["subject", "owner", "party", "is_active"]


@admin.register(OutcomeChange)
class OutcomeChangeAdmin(VisibleReadOnlyAdmin):
    list_display = ["monitored", "kind", "caption", "created_at", "notified_at"]


@admin.register(BatchScreening)
class BatchScreeningAdmin(VisibleReadOnlyAdmin):
    list_display = ["file_name", "party", "status", "total_rows", "hit_rows", "created_at"]


@admin.register(BatchHit)
class BatchHitAdmin(VisibleReadOnlyAdmin):
    list_display = ["batch", "row", "caption", "score", "verdict"]


@admin.register(BatchProblem)
class BatchProblemAdmin(VisibleReadOnlyAdmin):
    list_display = ["batch", "row", "reason", "screened"]
