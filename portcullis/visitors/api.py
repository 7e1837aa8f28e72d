"""/api/v1/visitors/: invitations (list, read, create), visits with today's expected visitors, and
the gate's check-in and check-out. Token auth and the same `visible_to` scoping as the pages: a
visit outside the caller's scope is a 404, and why a visit is held is `null` for anyone but the
security team."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.access import INVITES_VISITORS, SEES_VISITS, WORKS_THE_GATE, check
from portcullis.accounts.models import Office, User
from portcullis.accounts.need_to_know import NeedToKnowField, Sensitive
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet
from portcullis.intel.forms import valid_unicode

from . import services
from .models import Area, Invitation, InvitationQuerySet, Visit, VisitQuerySet
from .rules import IdType


def _text(max_length: int, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        default=serializers.empty if required else "",
        validators=[valid_unicode],
    )


class VisitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    invitation = serializers.UUIDField(source="invitation.public_id", read_only=True)
    host = serializers.CharField(source="invitation.host", read_only=True)
    area = serializers.CharField(source="invitation.area.name", read_only=True)
    office = serializers.CharField(source="invitation.office.name", read_only=True)
    starts_at = serializers.DateTimeField(source="invitation.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="invitation.ends_at", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="expected, on_site, left, refused or cancelled"
    )
    security_check = serializers.CharField(
        source="get_clearance_display",
        read_only=True,
        help_text="In words: 'Held for a security check' never says why.",
    )
    hold_reasons = NeedToKnowField(field=Sensitive.VISITOR_SCREENING, attribute="hold_reasons")
    confirmed = serializers.SerializerMethodField()
    escort = serializers.CharField(source="escort.__str__", read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "reference",
            "invitation",
            "name",
            "organisation",
            "host",
            "office",
            "area",
            "starts_at",
            "ends_at",
            "status",
            "security_check",
            "hold_reasons",
            "confirmed",
            "escort",
            "pass_colour",
            "checked_in_at",
            "checked_out_at",
            "refused_reason",
        ]

    def get_confirmed(self, visit: Visit) -> bool:
        return visit.confirmed_at is not None


class VisitorInputSerializer(serializers.Serializer):
    name = _text(200, required=True)
    organisation = _text(200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = _text(40)


class InvitationInputSerializer(serializers.Serializer):
    office = serializers.UUIDField()
    area = serializers.UUIDField()
    purpose = _text(300, required=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    visitors = VisitorInputSerializer(many=True)
    escorts = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    co_hosts = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

    def to_input(self, user: User) -> services.InvitationInput:
        data = self.validated_data
        office = Office.objects.filter(public_id=data["office"], pk__in=user.scope.office_ids)
        area = Area.objects.filter(public_id=data["area"]).first()
        if not office.exists():
            raise serializers.ValidationError({"office": "Not one of your offices."})
        if area is None:
            raise serializers.ValidationError({"area": "No such area."})
        return services.InvitationInput(
            office=office.get(),
            area=area,
            purpose=data["purpose"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            visitors=[services.VisitorInput(**v) for v in data["visitors"][:50]],
            escorts=list(User.objects.filter(public_id__in=data["escorts"][:50])),
            co_hosts=list(User.objects.filter(public_id__in=data["co_hosts"][:50])),
        )


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    office = serializers.CharField(source="office.name", read_only=True)
    area = serializers.CharField(source="area.name", read_only=True)
    host = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="invitation or walk_in")
    approval = serializers.CharField(
        read_only=True, help_text="not_needed, waiting, approved or refused"
    )
    visits = VisitSerializer(many=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "reference",
            "kind",
            "office",
            "area",
            "host",
            "purpose",
            "starts_at",
            "ends_at",
            "approval",
            "approval_reason",
            "cancelled_at",
            "visits",
        ]


class InvitationViewSet(mixins.CreateModelMixin, ReadOnlyVisibleViewSet[Invitation]):
    model = Invitation
    serializer_class = InvitationSerializer
    permission_classes = SEES_VISITS.permissions

    def refine(self, visible: InvitationQuerySet) -> QuerySet[Invitation]:
        visits = Visit.objects.visible_to(self.user).for_lists()
        return visible.select_related("office", "area", "host__person").prefetch_related(
            Prefetch("visits", queryset=visits)
        )

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Invite one or more visitors; each is pre-screened and e-mailed their QR code."""
        user = check(request, INVITES_VISITORS)
        incoming = InvitationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            invitation = services.invite(data=incoming.to_input(user), actor=user)
        except services.VisitError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        body = InvitationSerializer(
            self.get_queryset().get(pk=invitation.pk), context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class CheckInSerializer(serializers.Serializer):
    id_type = serializers.ChoiceField(choices=IdType.choices)
    name_matches = serializers.BooleanField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    escort = serializers.UUIDField(required=False, allow_null=True, default=None)


class VisitViewSet(ReadOnlyVisibleViewSet[Visit]):
    model = Visit
    serializer_class = VisitSerializer
    permission_classes = SEES_VISITS.permissions

    def refine(self, visible: VisitQuerySet) -> QuerySet[Visit]:
        return visible.for_lists()

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="a scanned code or part of a name")]
    )
    @action(detail=False, methods=["get"])
    def expected(self, request: Request, **_: Any) -> Response:
        """Today's expected visitors (and those already on site), for the gate."""
        today = self.get_queryset().expected_on(timezone.localdate())  # type: ignore[attr-defined]
        text = request.query_params.get("q", "")
        if text:
            today = today.search(text)
        page = self.paginate_queryset(today)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=CheckInSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, public_id: str | None = None, **_: Any) -> Response:
        """Admit the visitor after the ID check: refused (400, with the reason) without a
        confirmed, approved invitation, after a hold, or with ID the level does not accept."""
        user = check(request, WORKS_THE_GATE)
        visit = self.get_object()
        incoming = CheckInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        escort = None
        if data["escort"]:
            escort = User.objects.filter(public_id=data["escort"]).first()
            if escort is None:
                raise serializers.ValidationError({"escort": "No such passholder."})
        try:
            services.check_in_visit(
                visit=visit,
                id_check=services.IdCheck(
                    data["id_type"], data["name_matches"], data["expires_on"]
                ),
                escort=escort,
                actor=user,
            )
        except services.VisitError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data)

    @extend_schema(request=None, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, public_id: str | None = None, **_: Any) -> Response:
        user = check(request, WORKS_THE_GATE)
        visit = self.get_object()
        try:
            services.check_out_visit(visit=visit, actor=user)
        except services.VisitError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=visit.pk)).data)


router = DefaultRouter()
router.register("visitors/invitations", InvitationViewSet, basename="visitor-invitation")
router.register("visitors/visits", VisitViewSet, basename="visitor-visit")

urlpatterns = [path("", include(router.urls))]
