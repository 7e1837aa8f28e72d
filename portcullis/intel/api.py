"""/api/v1/alerts/ and /api/v1/campaigns/: alerts as TLP lets the caller read them (audience and
delivery only for the security team, so recipients never learn who else was told), STIX export,
STIX import (security) and acknowledgement."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.access import SECURITY_TEAM, check
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from . import services, stix
from .models import Alert, AlertQuerySet, Campaign, Indicator


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    value = serializers.CharField(source="display")

    class Meta:
        model = Indicator
        fields = ["kind", "value", "aliases"]


class AlertSerializer(serializers.ModelSerializer[Alert]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    acknowledged = serializers.SerializerMethodField()
    # A plain string: other apps' "status" enums would collide in the OpenAPI schema.
    status = serializers.CharField(read_only=True, help_text="draft, published or withdrawn")

    class Meta:
        model = Alert
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "guidance",
            "tlp",
            "status",
            "published_at",
            "indicators",
            "acknowledged",
        ]

    def get_acknowledged(self, alert: Alert) -> bool:
        return bool(alert.acknowledged)  # type: ignore[attr-defined]  # AlertViewSet annotates


class SecurityAlertSerializer(AlertSerializer):
    offices: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    parties: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    recipients: Any = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="full_name"
    )
    notified = serializers.SerializerMethodField()
    acknowledgements = serializers.SerializerMethodField()

    class Meta(AlertSerializer.Meta):
        fields = [
            *AlertSerializer.Meta.fields,
            "audience",
            "offices",
            "parties",
            "recipients",
            "source",
            "notified",
            "acknowledgements",
        ]

    def get_notified(self, alert: Alert) -> int:
        return int(alert.notified)  # type: ignore[attr-defined]

    def get_acknowledgements(self, alert: Alert) -> int:
        return int(alert.acknowledgements)  # type: ignore[attr-defined]


class ImportResultSerializer(serializers.Serializer[dict[str, Any]]):
    alert = SecurityAlertSerializer()
    skipped = serializers.ListField(child=serializers.CharField())


class AlertViewSet(ReadOnlyVisibleViewSet[Alert]):
    model = Alert

    def refine(self, visible: AlertQuerySet) -> QuerySet[Alert]:
        alerts = visible.with_delivery_figures(self.user.person_id).prefetch_related(
            "indicators", "offices", "parties", "recipients"
        )
        return alerts if SECURITY_TEAM(self.user) else alerts.published()

    def get_serializer_class(self) -> type[serializers.Serializer[Alert]]:
        if getattr(self, "swagger_fake_view", False) or not SECURITY_TEAM(self.request.user):
            return AlertSerializer
        return SecurityAlertSerializer

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, public_id: str, **_: Any) -> Response:
        """Confirm you have read the alert."""
        alert = self.get_object()
        try:
            services.acknowledge_alert(alert=alert, actor=self.user)
        except services.AlertError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def stix(self, request: Request, public_id: str, **_: Any) -> Response:
        """The alert as a STIX 2.1 bundle, marked with its TLP 2.0 marking definition."""
        alert = self.get_object()
        return Response(stix.export_alert(alert, reader=request.user))

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={201: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import-stix")
    def import_stix(self, request: Request) -> Response:
        """Import a STIX 2.1 bundle (the JSON body) as a draft alert. Security officers only."""
        actor = check(request, SECURITY_TEAM)
        try:
            alert, skipped = stix.import_alert(data=json.dumps(request.data).encode(), actor=actor)
        except stix.StixError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        body = {
            "alert": SecurityAlertSerializer(
                Alert.objects.filter(pk=alert.pk).with_delivery_figures(None).get(),
                context={"request": request},
            ).data,
            "skipped": skipped,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class IntelCampaignSerializer(serializers.ModelSerializer[Campaign]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    origins: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="label")
    status = serializers.CharField(read_only=True, help_text="active, closed or merged")

    class Meta:
        model = Campaign
        fields = ["id", "name", "summary", "status", "created_at", "origins"]


class CampaignViewSet(ReadOnlyVisibleViewSet[Campaign]):
    model = Campaign
    serializer_class = IntelCampaignSerializer

    def refine(self, visible: QuerySet[Campaign]) -> QuerySet[Campaign]:
        return visible.prefetch_related("origins")

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def stix(self, request: Request, public_id: str, **_: Any) -> Response:
        """The campaign as a STIX 2.1 bundle (TLP:AMBER)."""
        return Response(stix.export_campaign(self.get_object()))


router = DefaultRouter()
router.register("alerts", AlertViewSet, basename="alert")
router.register("campaigns", CampaignViewSet, basename="campaign")

urlpatterns = [path("", include(router.urls))]
