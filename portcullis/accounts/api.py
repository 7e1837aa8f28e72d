"""/api/v1/ for accounts: the directory as the caller may see it, and who the caller is."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from .models import Membership, Office, Organisation, Person, User


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


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    serializer_class = OrganisationSerializer
    lookup_field = "public_id"
    queryset = Organisation.objects.all()  # the structure of the legislature is not secret


class OfficeViewSet(viewsets.ReadOnlyModelViewSet[Office]):
    serializer_class = OfficeSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Office]:
        return Office.objects.visible_to(self.request.user).select_related("organisation")


class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    serializer_class = PersonSerializer
    lookup_field = "public_id"

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("party")
            .prefetch_related("emails", "memberships__office", "memberships__organisation")
        )


class MeSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField()
    person = PersonSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the caller is, and their roles."""
    user = cast(User, request.user)
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
