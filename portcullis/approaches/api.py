"""/api/v1/approaches/: report an approach (the response carries the alert matches, so a mail
add-in can warn the user at once) and read the reports the caller may see."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.models import Office, User
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet
from portcullis.intel.models import Match

from . import services
from .forms import MAX_ACCOUNT, valid_unicode
from .models import Ask, Channel, Offer, Persona, Report, ReportQuerySet, WarningSign, matches_for


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        default="",
        validators=[valid_unicode],
    )


class ApproachReportInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    persona = serializers.ChoiceField(choices=Persona.choices)
    occurred_on = serializers.DateField(required=False)
    office = serializers.UUIDField(required=False, allow_null=True)
    asks = serializers.MultipleChoiceField(choices=Ask.choices, required=False, default=set)
    offers = serializers.MultipleChoiceField(choices=Offer.choices, required=False, default=set)
    warning_signs = serializers.MultipleChoiceField(
        choices=WarningSign.choices, required=False, default=set
    )
    approacher_name = _text(200)
    approacher_organisation = _text(200)
    approacher_contact = _text(500)
    account = _text(MAX_ACCOUNT)
    anonymous = serializers.BooleanField(required=False, default=False)

    def validate_occurred_on(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError("The date must be today or in the past.")
        return value

    def to_input(self, user: User) -> services.ReportInput:
        data = self.validated_data
        office = None
        if data.get("office"):
            office = Office.objects.filter(
                public_id=data["office"], pk__in=user.scope.office_ids
            ).first()
            if office is None:
                raise serializers.ValidationError({"office": "Not one of your offices."})
        elif len(user.scope.office_ids) == 1:
            office = Office.objects.get(pk=next(iter(user.scope.office_ids)))
        return services.ReportInput(
            channel=data["channel"],
            persona=data["persona"],
            occurred_on=data.get("occurred_on") or timezone.localdate(),
            office=office,
            asks=sorted(data["asks"]),
            offers=sorted(data["offers"]),
            warning_signs=sorted(data["warning_signs"]),
            approacher_name=data["approacher_name"].strip(),
            approacher_organisation=data["approacher_organisation"].strip(),
            approacher_contact=data["approacher_contact"].strip(),
            account=data["account"],
            anonymous=data["anonymous"],
        )


class AlertMatchSerializer(serializers.ModelSerializer):
    alert = serializers.UUIDField(source="alert.public_id")
    reference = serializers.CharField(source="alert.reference")
    title = serializers.CharField(source="alert.title")
    guidance = serializers.CharField(source="alert.guidance")
    tlp = serializers.CharField(source="alert.tlp")
    indicator = serializers.CharField(source="indicator.display")

    class Meta:
        model = Match
        fields = [
            "alert",
            "reference",
            "title",
            "guidance",
            "tlp",
            "indicator",
            "how",
            "score",
            "matched_text",
        ]


class ApproachReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    office = serializers.UUIDField(source="office.public_id", allow_null=True, read_only=True)
    office_name = serializers.CharField(source="office.name", allow_null=True, read_only=True)
    reporter = serializers.SerializerMethodField()
    matches = serializers.SerializerMethodField()
    # Plain strings: several apps have a "status" with its own choices, and one shared enum name
    # in the OpenAPI schema would collide.
    status = serializers.CharField(
        read_only=True, help_text="new, triaged, investigating or closed"
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "reference",
            "channel",
            "persona",
            "occurred_on",
            "office",
            "office_name",
            "reporter",
            "anonymous",
            "approacher_name",
            "approacher_organisation",
            "approacher_contact",
            "asks",
            "offers",
            "warning_signs",
            "account",
            "status",
            "outcome",
            "feedback",
            "created_at",
            "matches",
        ]

    def _user(self) -> User:
        return cast(User, self.context["request"].user)

    def get_reporter(self, report: Report) -> str:
        return report.reporter_shown_to(self._user())

    @extend_schema(responses=AlertMatchSerializer(many=True))
    def get_matches(self, report: Report) -> list[dict[str, Any]]:
        readable = matches_for(report, self._user())
        return AlertMatchSerializer(readable, many=True).data  # type: ignore[return-value]


class ReportViewSet(mixins.CreateModelMixin, ReadOnlyVisibleViewSet[Report]):
    model = Report
    serializer_class = ApproachReportSerializer

    def refine(self, visible: ReportQuerySet) -> QuerySet[Report]:
        reports = visible.with_matches_for(self.user)
        return reports.select_related("office", "reporter", "reporter_person")

    @extend_schema(request=ApproachReportInputSerializer, responses={201: ApproachReportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report an approach. The response lists the published alerts it matches."""
        incoming = ApproachReportInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = self.user
        try:
            report = services.submit_report(data=incoming.to_input(user), actor=user)
        except services.ReportError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        body = ApproachReportSerializer(report, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


router = DefaultRouter()
router.register("approaches", ReportViewSet, basename="approach")

urlpatterns = [path("", include(router.urls))]
