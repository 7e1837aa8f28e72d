"""/api/v1/training/: the caller's visible assignments and completions, courses, compliance
figures, and the remedial-training endpoint the phishing app (or an integration) calls."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.access import SECURITY_TEAM, SEES_OFFICE_FIGURES, check
from portcullis.accounts.need_to_know import NeedToKnowField, Sensitive
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet
from portcullis.lib.api import Pagination

from . import services
from .compliance import Compliance, offices_in_view
from .models import Assignment, AssignmentQuerySet, Completion, Course, training_people


class CourseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Course
        fields = ["id", "slug", "title", "summary", "minutes", "version", "pass_mark"]


class AssignmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    course = serializers.CharField(source="course.slug", read_only=True)
    requirement = serializers.CharField(source="requirement.name", allow_null=True, read_only=True)
    reason = NeedToKnowField(field=Sensitive.REMEDIAL, attribute="reason", about="person_id")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "person",
            "person_name",
            "course",
            "requirement",
            "source",
            "reason",
            "status",
            "assigned_on",
            "due_on",
            "completed_on",
        ]


class CompletionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    person = serializers.UUIDField(source="person.public_id", read_only=True)
    course = serializers.CharField(source="course.slug", read_only=True)

    class Meta:
        model = Completion
        fields = ["id", "person", "course", "course_version", "completed_on", "method", "score"]


class CourseViewSet(ReadOnlyVisibleViewSet[Course]):
    model = Course
    serializer_class = CourseSerializer
    lookup_field = "slug"


class AssignmentViewSet(ReadOnlyVisibleViewSet[Assignment]):
    model = Assignment
    serializer_class = AssignmentSerializer

    def refine(self, visible: AssignmentQuerySet) -> QuerySet[Assignment]:
        return visible.live().select_related("person", "course", "requirement")


class CompletionViewSet(ReadOnlyVisibleViewSet[Completion]):
    model = Completion
    serializer_class = CompletionSerializer

    def refine(self, visible: QuerySet[Completion]) -> QuerySet[Completion]:
        return visible.select_related("person", "course")


class RemedialSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    course = serializers.SlugField()
    reason = serializers.CharField(max_length=300)
    due_on = serializers.DateField(required=False, allow_null=True)


@extend_schema(request=RemedialSerializer, responses={201: AssignmentSerializer})
@api_view(["POST"])
@permission_classes(SECURITY_TEAM.permissions)
def remedial(request: Request) -> Response:
    """Assign a course to one person with a reason (security officers and their integrations)."""
    actor = check(request, SECURITY_TEAM)
    data = RemedialSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values: dict[str, Any] = data.validated_data
    person = get_object_or_404(training_people(request.user), public_id=values["person"])
    course = get_object_or_404(Course.objects.published(), slug=values["course"])
    try:
        assignment = services.assign_remedial_training(
            person=person,
            course=course,
            reason=values["reason"],
            due_on=values.get("due_on"),
            actor=actor,
        )
    except services.TrainingError as exc:
        raise ValidationError({"due_on": [str(exc)]}) from exc
    return Response(
        AssignmentSerializer(assignment, context={"request": request}).data,
        status=status.HTTP_201_CREATED,
    )


class OfficeComplianceSerializer(serializers.Serializer):
    office = serializers.UUIDField()
    office_name = serializers.CharField()
    people = serializers.IntegerField()
    assigned = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    exempt = serializers.IntegerField()
    percent_complete = serializers.IntegerField()
    funded_staff = serializers.IntegerField()
    cleared = serializers.IntegerField()
    devices_issued = serializers.IntegerField()
    protected = serializers.BooleanField()


@extend_schema(responses=OfficeComplianceSerializer(many=True))
@api_view(["GET"])
@permission_classes(SEES_OFFICE_FIGURES.permissions)
def compliance(request: Request) -> Response:
    """Figures per office the caller may see (security: all; office managers: their own), a page
    at a time (`limit`, `offset`)."""
    offices = offices_in_view(request.user)
    paginator = Pagination()
    page = paginator.paginate_queryset(offices, request) or []
    rows = Compliance(offices, timezone.localdate()).by_office(page)
    return paginator.get_paginated_response(
        [
            {
                "office": str(office.public_id),
                "office_name": office.name,
                "people": f.people,
                "assigned": f.assigned,
                "completed": f.completed,
                "overdue": f.overdue,
                "exempt": f.exempt,
                "percent_complete": f.percent_complete,
                "funded_staff": f.funded_staff,
                "cleared": f.cleared,
                "devices_issued": f.devices_issued,
                "protected": f.protected,
            }
            for office, f in rows
        ]
    )


router = DefaultRouter()
router.register("training/courses", CourseViewSet, basename="training-course")
router.register("training/assignments", AssignmentViewSet, basename="training-assignment")
router.register("training/completions", CompletionViewSet, basename="training-completion")

urlpatterns = [
    path("training/remedial/", remedial, name="api-training-remedial"),
    path("training/compliance/", compliance, name="api-training-compliance"),
    path("", include(router.urls)),
]
