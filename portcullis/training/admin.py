"""Everything here is read-only: courses, their sections and question pools, and requirements are
written by the security team in the app (`training.authoring`, with ledger rows), and people's
training, which an administrator sees only where `visible_to` lets them (their own). Exemptions
and access grants are the security team's pages."""

from django.contrib import admin

from portcullis.lib.admin import ReadOnlyAdmin, ReadOnlyInline, VisibleReadOnlyAdmin

from .models import Assignment, Choice, Completion, Course, Exemption, Module, Question, Requirement


class ModuleSummaryInline(ReadOnlyInline):
    model = Module
    fields = ["order", "title"]


@admin.register(Course)
class CourseAdmin(VisibleReadOnlyAdmin):
    list_display = ["title", "version", "valid_from_version", "pass_mark", "is_published"]
    inlines = [ModuleSummaryInline]


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["title", "course"]
    list_filter = ["course"]


class ChoiceInline(ReadOnlyInline):
    model = Choice
    fields = ["text", "is_correct"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "course", "kind", "is_active"]
    list_filter = ["course", "is_active"]
    inlines = [ChoiceInline]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["name", "course", "every_months", "due_within_days", "grace_days", "is_active"]


@admin.register(Assignment)
class AssignmentAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "course", "status", "due_on"]
    exclude = ["reason"]


@admin.register(Completion)
class CompletionAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "course", "course_version", "completed_on", "method"]


@admin.register(Exemption)
class ExemptionAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "reason", "starts_on", "ends_on", "course"]
