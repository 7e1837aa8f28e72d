"""Course content is authored here (modules, question pools, requirements): no service writes
those. Everything a service writes is read-only: courses (a new version is published from the
course page), and people's training, which an administrator sees only where `visible_to` lets
them (their own). Exemptions and access grants are the security team's pages."""

from django.contrib import admin

from portcullis.lib.admin import ReadOnlyInline, VisibleReadOnlyAdmin

from .models import Assignment, Choice, Completion, Course, Exemption, Module, Question, Requirement


class ModuleSummaryInline(ReadOnlyInline):
    model = Module
    fields = ["order", "title"]


@admin.register(Course)
class CourseAdmin(VisibleReadOnlyAdmin):
    list_display = ["title", "version", "valid_from_version", "pass_mark", "is_published"]
    inlines = [ModuleSummaryInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course"]
    list_filter = ["course"]


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
class AssignmentAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "course", "status", "due_on"]
    exclude = ["reason"]


@admin.register(Completion)
class CompletionAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "course", "course_version", "completed_on", "method"]


@admin.register(Exemption)
class ExemptionAdmin(VisibleReadOnlyAdmin):
    list_display = ["person", "reason", "starts_on", "ends_on", "course"]
