"""The one base for API viewsets: what a viewset lists or opens always starts from
`Model.objects.visible_to(request.user)`.

A viewset names its `model` and may narrow the visible rows in `refine()` (select_related,
filters); it never sets `queryset` or overrides `get_queryset`, so no endpoint can fall back to
`.all()`. `portcullis/tests/test_one_gate.py` walks the router and holds every viewset to this.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db.models import Model, QuerySet
from rest_framework import mixins, viewsets

from .models import User

M = TypeVar("M", bound=Model)


class VisibleViewSet(viewsets.GenericViewSet[M]):
    model: type[M]
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[M]:
        manager: Any = self.model._default_manager
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return cast(QuerySet[M], manager.none())
        return self.refine(manager.visible_to(self.request.user))

    def refine(self, visible: Any) -> QuerySet[M]:
        """Narrow or prefetch the model's `visible_to` queryset; never widen it."""
        return cast(QuerySet[M], visible)

    @property
    def user(self) -> User:
        """The caller: every endpoint requires authentication (IsAuthenticated is the default)."""
        return cast(User, self.request.user)


class ReadOnlyVisibleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet[M]):
    pass
