"""/api/v1/phishing/: report a suspect e-mail (multipart upload), read reports as the caller may,
and simulation campaigns: aggregates for those in scope, per-person results for security only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.access import SECURITY_TEAM, check
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from . import results
from .forms import read_upload
from .models import ReportedEmail, SimulationCampaign, Target
from .models.reports import MAX_RAW_BYTES, Assessment
from .services import reports


class MatchedAlertSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    tlp = serializers.CharField()
    guidance = serializers.CharField()


class PhishingReportSerializer(serializers.ModelSerializer):
    """A report as the caller is shown it (`ReportedEmail.assessment_for`): verdict, score and
    indicators include only the alert matches the caller may read, and `alerts` lists those."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    effective_verdict = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    is_simulation = serializers.BooleanField(read_only=True)
    verdict = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    override_verdict = serializers.CharField(read_only=True)
    alerts = serializers.SerializerMethodField()

    class Meta:
        model = ReportedEmail
        fields = [
            "id",
            "created_at",
            "source",
            "subject",
            "sender",
            "verdict",
            "score",
            "override_verdict",
            "effective_verdict",
            "indicators",
            "alerts",
            "fingerprint",
            "is_simulation",
        ]

    def _seen(self, report: ReportedEmail) -> Assessment:
        cache: dict[int, Assessment] = self.context.setdefault("assessments", {})
        if report.pk not in cache:
            cache[report.pk] = report.assessment_for(self.context["request"].user)
        return cache[report.pk]

    def get_verdict(self, report: ReportedEmail) -> str:
        return self._seen(report).verdict

    def get_effective_verdict(self, report: ReportedEmail) -> str:
        return self._seen(report).effective_verdict

    def get_score(self, report: ReportedEmail) -> float:
        return self._seen(report).score

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_indicators(self, report: ReportedEmail) -> list[dict[str, Any]]:
        return self._seen(report).indicators

    @extend_schema_field(MatchedAlertSerializer(many=True))
    def get_alerts(self, report: ReportedEmail) -> list[dict[str, Any]]:
        alerts = self._seen(report).alerts
        return list(MatchedAlertSerializer(alerts, many=True).data)


class PhishingReportUploadSerializer(serializers.Serializer):
    # An empty file is refused by `read_upload` in the same words as any other non-e-mail.
    file = serializers.FileField(
        help_text="The suspect message: .eml or Outlook .msg", allow_empty_file=True
    )


class ReportViewSet(ReadOnlyVisibleViewSet[ReportedEmail]):
    model = ReportedEmail
    serializer_class = PhishingReportSerializer
    parser_classes = [MultiPartParser, FormParser]
    upload_limit = MAX_RAW_BYTES  # lib.uploads.UploadLimitMiddleware: cut off as it streams in

    def refine(self, visible: Any) -> QuerySet[ReportedEmail]:
        # The raw message is never in the answer: not read for a list of fifty.
        return cast(QuerySet[ReportedEmail], visible.with_matches_for(self.user).defer("raw"))

    @extend_schema(
        request={"multipart/form-data": PhishingReportUploadSerializer},
        responses={201: PhishingReportSerializer},
    )
    def create(self, request: Request) -> Response:
        """Report a suspect e-mail; the answer carries the verdict and its reasons."""
        upload = PhishingReportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            raw = read_upload(upload.validated_data["file"])
        except forms.ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        try:
            report = reports.file_report(raw=raw, actor=self.user, source=ReportedEmail.Source.API)
        except reports.ReportError as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        data = PhishingReportSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class SimulationCampaignSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    template = serializers.CharField(source="template.name", read_only=True)
    status = serializers.CharField(read_only=True)  # plain strings keep the schema's enums apart

    class Meta:
        model = SimulationCampaign
        fields = ["id", "name", "status", "template", "window_start", "window_end"]


class SimulationTargetSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = [
            "person",
            "person_name",
            "office",
            "role",
            "scheduled_for",
            "sent_at",
            "opened_at",
            "clicked_at",
            "submitted_at",
            "reported_at",
            "bounced_at",
        ]


class SimulationGroupFiguresSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    suppressed = serializers.BooleanField()
    people = serializers.IntegerField(required=False)
    sent = serializers.IntegerField(required=False)
    opened = serializers.IntegerField(required=False)
    clicked = serializers.IntegerField(required=False)
    submitted = serializers.IntegerField(required=False)
    reported = serializers.IntegerField(required=False)
    click_rate = serializers.IntegerField(required=False, allow_null=True)
    submit_rate = serializers.IntegerField(required=False, allow_null=True)
    report_rate = serializers.IntegerField(required=False, allow_null=True)
    median_minutes_to_report = serializers.IntegerField(required=False, allow_null=True)


class SimulationResultsSerializer(serializers.Serializer):
    offices = SimulationGroupFiguresSerializer(many=True)
    houses = SimulationGroupFiguresSerializer(many=True)


class CampaignViewSet(ReadOnlyVisibleViewSet[SimulationCampaign]):
    model = SimulationCampaign
    serializer_class = SimulationCampaignSerializer

    def refine(self, visible: QuerySet[SimulationCampaign]) -> QuerySet[SimulationCampaign]:
        return visible.select_related("template")

    @extend_schema(responses=SimulationResultsSerializer)
    @action(detail=True)
    def results(self, request: Request, public_id: str, **_: Any) -> Response:
        """Figures per office (and per house, for the security team); groups under five hidden."""
        campaign = self.get_object()
        targets = results.campaign_targets(campaign, user=self.user)
        houses = results.group(targets, "house") if SECURITY_TEAM(request.user) else []
        return Response(
            {
                "offices": [f.published() for f in results.group(targets, "office")],
                "houses": [f.published() for f in houses],
            }
        )

    @extend_schema(responses=SimulationTargetSerializer(many=True))
    @action(detail=True)
    def targets(self, request: Request, public_id: str, **_: Any) -> Response:
        """Per-person results: the security team only."""
        campaign = self.get_object()
        check(request, SECURITY_TEAM)
        qs = Target.objects.visible_to(request.user).filter(campaign=campaign)
        data = SimulationTargetSerializer(qs.select_related("person", "office"), many=True).data
        return Response(data)


router = DefaultRouter()
router.register("phishing/reports", ReportViewSet, basename="phishing-report")
router.register("phishing/campaigns", CampaignViewSet, basename="phishing-campaign")

urlpatterns = [path("", include(router.urls))]
