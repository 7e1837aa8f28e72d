"""/api/v1/ for accounts: the directory as the caller may see it, and who the caller is."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet

from .access import SIGNED_IN, check
from .models import Membership, Office, Organisation, Person


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind"]


class OfficeSerializer(serializers.ModelSerializer[Office]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "name", "kind", "constituency", "organisation"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    office = serializers.UUIDField(source="office.public_id", read_only=True, allow_null=True)
    office_name = serializers.CharField(source="office.name", read_only=True, allow_null=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["role", "office", "office_name", "organisation", "started_on"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    emails: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="address")
    party = serializers.CharField(source="party.name", read_only=True, allow_null=True)
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "full_name", "job_title", "party", "emails", "memberships"]

    def get_memberships(self, person: Person) -> list[dict[str, Any]]:
        active = [m for m in person.memberships.all() if m.ended_on is None]
        return MembershipSerializer(active, many=True).data  # type: ignore[return-value]


class OrganisationViewSet(ReadOnlyVisibleViewSet[Organisation]):
    model = Organisation
    serializer_class = OrganisationSerializer


class OfficeViewSet(ReadOnlyVisibleViewSet[Office]):
    model = Office
    serializer_class = OfficeSerializer

    def refine(self, visible: QuerySet[Office]) -> QuerySet[Office]:
        return visible.select_related("organisation")


class PersonViewSet(ReadOnlyVisibleViewSet[Person]):
    model = Person
    serializer_class = PersonSerializer

    def refine(self, visible: QuerySet[Person]) -> QuerySet[Person]:
        return visible.select_related("party").prefetch_related(
            "emails", "memberships__office", "memberships__organisation"
        )


class MeSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField()
    person = PersonSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the caller is, and their roles."""
    user = check(request, SIGNED_IN)
    return Response(
        MeSerializer(
            {"email": user.email, "person": user.person, "roles": sorted(user.scope.roles)}
        ).data
    )


router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("offices", OfficeViewSet, basename="office")
router.register("people", PersonViewSet, basename="person")

urlpatterns = [path("me/", me, name="api-me"), path("", include(router.urls))]
