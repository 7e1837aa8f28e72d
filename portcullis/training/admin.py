"""Course authoring happens here (modules, question pools); everything else is read-mostly."""

from django.contrib import admin

from .models import (
    Assignment,
    Choice,
    Completion,
    Course,
    DisclosureList,
    Exemption,
    Module,
    Question,
    Requirement,
    TrainingAccessGrant,
)


class ModuleInline(admin.StackedInline):
    model = Module
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "valid_from_version", "pass_mark", "is_published"]
    readonly_fields = ["version", "valid_from_version"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "kind", "is_active"]
    list_filter = ["course", "is_active"]
    inlines = [ChoiceInline]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "every_months", "due_within_days", "grace_days", "is_active"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "status", "due_on", "source"]
    list_filter = ["status", "source", "course"]
    search_fields = ["person__full_name"]
    readonly_fields = [f.name for f in Assignment._meta.fields]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "course_version", "completed_on", "method"]
    search_fields = ["person__full_name"]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["person", "reason", "starts_on", "ends_on", "course"]


@admin.register(DisclosureList)
class DisclosureListAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "as_of"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # the steps are services with ledger entries, not admin edits


@admin.register(TrainingAccessGrant)
class TrainingAccessGrantAdmin(admin.ModelAdmin):
    list_display = ["grantee", "party", "starts_on", "expires_on", "revoked_on"]
