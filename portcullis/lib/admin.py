"""Django admin as a window, never a second writer.

Every model here is written by a service that records a ledger row, so the admin shows it
read-only; models that hold security or personal data list only the rows the signed-in
administrator may see (`Model.objects.visible_to(user)`), which for most of them is none.
`portcullis/tests/test_one_gate.py` holds every registered admin to this.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VisibleReadOnlyAdmin(ReadOnlyAdmin):
    """Read-only, and only the rows `visible_to` the administrator (their own, for most)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        manager: Any = self.model._default_manager
        return manager.visible_to(request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def read_only(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """A third-party app's admin made read-only (its models are written by that app)."""
    return type(f"ReadOnly{admin_class.__name__}", (ReadOnlyAdmin, admin_class), {})
