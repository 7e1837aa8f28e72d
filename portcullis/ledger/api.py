from __future__ import annotations

from django.db.models import QuerySet
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.routers import SimpleRouter

from portcullis.accounts.models import scope_of

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


class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet[LedgerEntry]):
    """The ledger, for security officers and administrators. Filter with ?action=prefix."""

    serializer_class = LedgerEntrySerializer
    lookup_field = "public_id"
    queryset = LedgerEntry.objects.none()  # typed for the schema; get_queryset() decides

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        if not scope_of(self.request.user).has("security_officer", "administrator"):
            raise PermissionDenied("Only the security team reads the ledger.")
        qs = LedgerEntry.objects.visible_to(self.request.user)
        if action := self.request.query_params.get("action"):
            qs = qs.filter(action__startswith=action[:80])
        return qs


router = SimpleRouter()
router.register("ledger", LedgerEntryViewSet, basename="ledger-entry")
urlpatterns = [path("", include(router.urls))]
