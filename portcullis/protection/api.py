"""/api/v1/protection/: vetting and SOS devices, scoped like the pages (own, managed office, all
for security officers)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from .models import Clearance, SosDevice


class ClearanceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    renewal_due_on = serializers.DateField(read_only=True)

    class Meta:
        model = Clearance
        fields = [
            "id",
            "person",
            "person_name",
            "level",
            "status",
            "applied_on",
            "granted_on",
            "expires_on",
            "renewal_due_on",
        ]


class SosDeviceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = SosDevice
        fields = [
            "id",
            "person",
            "person_name",
            "serial",
            "issued_on",
            "last_tested_on",
            "returned_on",
        ]


class ClearanceViewSet(ReadOnlyVisibleViewSet[Clearance]):
    model = Clearance
    serializer_class = ClearanceSerializer

    def refine(self, visible: QuerySet[Clearance]) -> QuerySet[Clearance]:
        return visible.select_related("person")


class SosDeviceViewSet(ReadOnlyVisibleViewSet[SosDevice]):
    model = SosDevice
    serializer_class = SosDeviceSerializer

    def refine(self, visible: QuerySet[SosDevice]) -> QuerySet[SosDevice]:
        return visible.select_related("person")


router = DefaultRouter()
router.register("protection/clearances", ClearanceViewSet, basename="protection-clearance")
router.register("protection/devices", SosDeviceViewSet, basename="protection-device")

urlpatterns = [path("", include(router.urls))]
