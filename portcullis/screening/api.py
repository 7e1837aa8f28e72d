"""/api/v1/screening/: query-by-example matching (batches allowed), screenings with their
explained results, decisions, monitored subjects and the lists in force.

The same rules as the pages: security officers see everything, party compliance officers their
own party's screenings, anyone else is refused (403)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from portcullis.accounts.access import SCREENS, SECURITY_TEAM, check
from portcullis.accounts.models import Organisation, User
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from . import matching, services
from .models import (
    Decision,
    EntityType,
    ListSource,
    MonitoredSubject,
    OutcomeChange,
    Screening,
    ScreeningResult,
)

MATCH_BATCH_LIMIT = 100
RECENT_CHANGES = 50  # outcome changes shown with each monitored subject
ENTITY_TYPES = [str(value) for value in EntityType.values]


@extend_schema_field({"type": "string", "enum": ENTITY_TYPES, "default": "unknown"})
class EntityTypeField(serializers.ChoiceField):
    """Described inline: a shared "type" enum component would collide with other apps'."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ENTITY_TYPES, **kwargs)


PERMISSIONS = SCREENS.permissions


# --- serializers --------------------------------------------------------------------------------


class SubjectInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=50
    )
    birth_dates = serializers.ListField(
        child=serializers.RegexField(r"^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}\.\.\d{4}$"),
        required=False,
        max_length=10,
    )
    countries = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    type = EntityTypeField(default=EntityType.UNKNOWN.value)

    def to_query(self, data: dict[str, Any]) -> matching.Subject:
        return matching.Subject(
            name=data["name"],
            aliases=tuple(data.get("aliases", ())),
            birth_dates=tuple(data.get("birth_dates", ())),
            countries=tuple(data.get("countries", ())),
            entity_type=matching.EntityType(data["type"]),
        )


class MatchRequestSerializer(serializers.Serializer):
    subjects = serializers.ListField(
        child=SubjectInSerializer(), max_length=MATCH_BATCH_LIMIT, allow_empty=False
    )
    purpose = serializers.CharField(max_length=200)
    party = serializers.UUIDField(
        required=False, help_text="Party the screening is for (party officers of several parties)"
    )
    monitor = serializers.BooleanField(default=False)


class FeatureSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.FloatField()
    contribution = serializers.FloatField()
    explanation = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    decided_by = serializers.SerializerMethodField()
    verdict = serializers.CharField(read_only=True, help_text="true_match or false_match")

    class Meta:
        model = Decision
        fields = ["id", "verdict", "reason", "decided_by", "decided_at"]

    def get_decided_by(self, decision: Decision) -> str | None:
        return str(decision.decided_by) if decision.decided_by else None


class ResultSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    list = serializers.CharField(source="source.slug", read_only=True)
    list_version = serializers.IntegerField(source="list_version.number", read_only=True)
    entity = serializers.SerializerMethodField()
    features = FeatureSerializer(many=True, read_only=True)
    matched_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    prior_decision = DecisionSerializer(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="new, review_again, confirmed, cleared or below"
    )

    class Meta:
        model = ScreeningResult
        fields = [
            "id",
            "list",
            "list_version",
            "external_id",
            "caption",
            "score",
            "threshold",
            "algorithm",
            "is_match",
            "status",
            "matched_names",
            "features",
            "entity",
            "prior_decision",
        ]

    def get_entity(self, result: ScreeningResult) -> dict[str, Any]:
        entity = result.entity
        return {
            "type": entity.entity_type,
            "names": entity.names,
            "birth_dates": entity.birth_dates,
            "countries": entity.countries,
            "topics": entity.topics,
        }


class ScreeningSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = serializers.SerializerMethodField()
    party = serializers.UUIDField(source="party.public_id", allow_null=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)
    trigger = serializers.CharField(read_only=True, help_text="page, api, monitoring or service")

    class Meta:
        model = Screening
        fields = [
            "id",
            "subject",
            "party",
            "purpose",
            "trigger",
            "created_at",
            "algorithm",
            "threshold",
            "versions",
            "hit_count",
            "new_hit_count",
            "results",
        ]

    def get_subject(self, screening: Screening) -> dict[str, Any]:
        subject = screening.subject
        return {
            "id": str(subject.public_id),
            "name": subject.name,
            "aliases": subject.aliases,
            "birth_dates": subject.birth_dates,
            "countries": subject.countries,
            "type": subject.entity_type,
        }


class MatchResponseSerializer(serializers.Serializer):
    results = ScreeningSerializer(many=True)


class DecisionRequestSerializer(serializers.Serializer):
    result = serializers.UUIDField()
    # A pattern rather than a choice field: "verdict" enums elsewhere would collide in the schema.
    verdict = serializers.RegexField(
        r"^(true_match|false_match)$", help_text="true_match or false_match"
    )
    reason = serializers.CharField(max_length=4000)


class MonitoredSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subject = serializers.CharField(source="subject.name", read_only=True)
    last_screening = serializers.UUIDField(
        source="last_screening.public_id", allow_null=True, read_only=True
    )
    changes = serializers.SerializerMethodField()

    class Meta:
        model = MonitoredSubject
        fields = ["id", "subject", "purpose", "is_active", "last_screening", "changes"]

    def get_changes(self, monitored: MonitoredSubject) -> list[dict[str, Any]]:
        return [
            {
                "kind": c.kind,
                "list": c.source.slug,
                "external_id": c.external_id,
                "caption": c.caption,
                "at": c.created_at.isoformat(),
                "notified": c.notified_at is not None,
            }
            for c in monitored.recent_changes  # type: ignore[attr-defined]  # prefetched
        ]


class SourceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    version = serializers.IntegerField(
        source="current_version.number", allow_null=True, read_only=True
    )
    entities = serializers.IntegerField(
        source="current_version.entity_count", allow_null=True, read_only=True
    )
    diff = serializers.SerializerMethodField()
    kind = serializers.CharField(
        read_only=True, help_text="opensanctions, un-sc, uk-ofsi, internal"
    )

    class Meta:
        model = ListSource
        fields = ["id", "name", "slug", "kind", "version", "entities", "diff"]

    def get_diff(self, source: ListSource) -> dict[str, int] | None:
        version = source.current_version
        if version is None:
            return None
        return {
            "added": version.added_count,
            "removed": version.removed_count,
            "changed": version.changed_count,
        }


# --- views --------------------------------------------------------------------------------------


def _party(user: User, requested: Any) -> Organisation | None:
    if SECURITY_TEAM(user):
        return None
    parties = Organisation.objects.filter(pk__in=user.scope.party_ids)
    if requested:
        found = parties.filter(public_id=requested).first()
        if found is None:
            raise ValidationError({"party": ["You are not a compliance officer of that party."]})
        return found
    if parties.count() > 1:
        raise ValidationError({"party": ["Say which of your parties this screening is for."]})
    return parties.first()


def with_results(screenings: QuerySet[Screening]) -> QuerySet[Screening]:
    """Screenings with everything `ScreeningSerializer` shows, in a fixed number of queries."""
    results = ScreeningResult.objects.select_related(
        "source", "list_version", "entity", "prior_decision__decided_by"
    )
    return screenings.select_related("subject", "party").prefetch_related(
        Prefetch("results", queryset=results)
    )


class MatchView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        request=MatchRequestSerializer,
        responses={200: MatchResponseSerializer},
        summary="Screen up to 100 subjects (query by example) against every list in force",
    )
    def post(self, request: Request) -> Response:
        user = check(request, SCREENS)
        data = MatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        party = _party(user, values.get("party"))
        screenings = []
        # One transaction for the batch: its ledger entries are sealed together, once.
        with transaction.atomic():
            for item in values["subjects"]:
                screening = services.screen_subject(
                    subject=SubjectInSerializer().to_query(item),
                    actor=user,
                    purpose=values["purpose"],
                    party=party,
                    trigger=Screening.Trigger.API,
                )
                if values["monitor"]:
                    services.monitor_subject(
                        subject=screening.subject,
                        owner=user,
                        purpose=screening.purpose,
                        actor=user,
                    )
                screenings.append(screening)
        # Read back with their results in a fixed number of queries, in the order asked.
        found = with_results(Screening.objects.filter(pk__in=[s.pk for s in screenings]))
        by_pk = {s.pk: s for s in found}
        shown = [by_pk[s.pk] for s in screenings]
        return Response({"results": ScreeningSerializer(shown, many=True).data})


class DecisionView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        request=DecisionRequestSerializer,
        responses={201: DecisionSerializer},
        summary="Record a true or false match on one result; applied to later screenings",
    )
    def post(self, request: Request) -> Response:
        user = check(request, SCREENS)
        data = DecisionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = get_object_or_404(
            ScreeningResult.objects.visible_to(user).select_related(
                "screening", "entity", "source"
            ),
            public_id=values["result"],
        )
        try:
            decision = services.record_decision(
                result=result,
                verdict=values["verdict"],
                reason=values["reason"],
                actor=user,
            )
        except services.ScreeningError as exc:
            raise ValidationError({"reason": [str(exc)]}) from exc
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ScreeningViewSet(ReadOnlyVisibleViewSet[Screening]):
    model = Screening
    serializer_class = ScreeningSerializer
    permission_classes = PERMISSIONS

    def refine(self, visible: QuerySet[Screening]) -> QuerySet[Screening]:
        return with_results(visible)


class MonitoredViewSet(ReadOnlyVisibleViewSet[MonitoredSubject]):
    model = MonitoredSubject
    serializer_class = MonitoredSerializer
    permission_classes = PERMISSIONS

    def refine(self, visible: QuerySet[MonitoredSubject]) -> QuerySet[MonitoredSubject]:
        recent = OutcomeChange.objects.select_related("source")[:RECENT_CHANGES]
        return visible.select_related("subject", "last_screening").prefetch_related(
            Prefetch("changes", queryset=recent, to_attr="recent_changes")
        )


class SourceViewSet(ReadOnlyVisibleViewSet[ListSource]):
    model = ListSource
    serializer_class = SourceSerializer
    permission_classes = PERMISSIONS

    def refine(self, visible: QuerySet[ListSource]) -> QuerySet[ListSource]:
        return visible.select_related("current_version")


router = DefaultRouter()
router.register("screening/screenings", ScreeningViewSet, basename="screening-screening")
router.register("screening/monitored", MonitoredViewSet, basename="screening-monitored")
router.register("screening/lists", SourceViewSet, basename="screening-list")

urlpatterns = [
    path("screening/match", MatchView.as_view(), name="api-screening-match"),
    path("screening/decisions", DecisionView.as_view(), name="api-screening-decisions"),
    path("", include(router.urls)),
]
