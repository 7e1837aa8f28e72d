from __future__ import annotations

from django.db.models import QuerySet
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from portcullis.accounts.access import READS_LEDGER
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from .models import LedgerEntry


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "seq",
            "at",
            "actor_label",
            "action",
            "visibility",
            "target_type",
            "target_label",
            "data",
            "hash",
        ]


class LedgerEntryViewSet(ReadOnlyVisibleViewSet[LedgerEntry]):
    """The ledger, for security officers and administrators. Filter with ?action=prefix."""

    model = LedgerEntry
    serializer_class = LedgerEntrySerializer
    permission_classes = READS_LEDGER.permissions

    def refine(self, visible: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
        if action := self.request.query_params.get("action"):
            visible = visible.filter(action__startswith=action[:80])
        return visible


router = SimpleRouter()
router.register("ledger", LedgerEntryViewSet, basename="ledger-entry")
urlpatterns = [path("", include(router.urls))]
