"""/api/v1/donations/, /referrals/, /interests/ and /donation-rules/: the same scoping as the pages
(`visible_to`), the same services for writes, and the briefing's basis null for anyone but the
security team."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from portcullis.accounts.access import (
    KEEPS_DONATIONS,
    KEEPS_REGISTER,
    READS_DONATION_RULES,
    SECURITY_TEAM,
    check,
)
from portcullis.accounts.models import Organisation
from portcullis.accounts.need_to_know import NeedToKnowField, Sensitive
from portcullis.accounts.viewsets import ReadOnlyVisibleViewSet
from portcullis.intel.forms import valid_unicode

from .models import Donation, DonorType, Interest, Method, PolicyRule, Recipient, Referral
from .services import donations as donation_services
from .services import referrals as referral_services


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        default="",
        validators=[valid_unicode],
    )


class DonationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    party = serializers.CharField(source="party.name", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="exempt, pending, accepted, returned or forfeited"
    )

    class Meta:
        model = Donation
        fields = [
            "id",
            "reference",
            "party",
            "kind",
            "recipient",
            "accounting_unit",
            "recipient_name",
            "method",
            "nature",
            "value",
            "received_on",
            "donor_type",
            "donor_name",
            "company_number",
            "officers",
            "checks",
            "permissible",
            "hold_reasons",
            "status",
            "decision_due_on",
            "decided_on",
            "decision_evidence",
            "return_method",
        ]


class DonationInputSerializer(serializers.Serializer):
    party = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Donation.Kind.choices, default=Donation.Kind.DONATION)
    recipient = serializers.ChoiceField(choices=Recipient.choices)
    accounting_unit = _text(200)
    recipient_name = _text(200)
    method = serializers.ChoiceField(choices=Method.choices)
    nature = _text(500)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    received_on = serializers.DateField()
    donor_type = serializers.ChoiceField(choices=DonorType.choices)
    donor_name = _text(300)
    donor_address = _text(500)
    donor_postcode = _text(12)
    company_number = _text(12)
    on_register = serializers.BooleanField(default=False)
    register_evidence = _text(500)
    incorporated_in_uk = serializers.BooleanField(default=False)
    trading_in_uk = serializers.BooleanField(default=False)
    company_evidence = _text(500)
    officers = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=50, default=list
    )
    is_bequest = serializers.BooleanField(default=False)
    is_sponsorship = serializers.BooleanField(default=False)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[Donation.Status.ACCEPTED, Donation.Status.RETURNED, Donation.Status.FORFEITED]
    )
    decided_on = serializers.DateField()
    evidence = serializers.CharField(max_length=4000, validators=[valid_unicode])
    return_method = _text(300)


class BriefingInputSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Referral.Recommendation.choices)
    tlp = serializers.ChoiceField(choices=["amber+strict", "amber", "red"], default="amber+strict")
    briefing = serializers.CharField(max_length=10_000, validators=[valid_unicode])
    basis = _text(20_000)


class DonationViewSet(mixins.CreateModelMixin, ReadOnlyVisibleViewSet[Donation]):
    model = Donation
    serializer_class = DonationSerializer
    permission_classes = KEEPS_DONATIONS.permissions

    def refine(self, visible: QuerySet[Donation]) -> QuerySet[Donation]:
        return visible.select_related("party")

    @extend_schema(request=DonationInputSerializer, responses={201: DonationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a donation or loan: the response carries its checks and hold reasons."""
        incoming = DonationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        party = Organisation.objects.filter(
            public_id=data.pop("party"), kind=Organisation.Kind.PARTY
        ).first()
        if party is None:
            raise serializers.ValidationError({"party": "No such party."})
        try:
            donation = donation_services.record_donation(
                data=donation_services.DonationInput(party=party, **data), actor=self.user
            )
        except donation_services.DonationError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(DonationSerializer(donation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInputSerializer, responses=DonationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, public_id: str, **_: Any) -> Response:
        """Accept, return or forfeit a pending donation, with the evidence."""
        incoming = DecisionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            donation = donation_services.decide_donation(
                donation=self.get_object(), actor=self.user, **incoming.validated_data
            )
        except donation_services.DonationError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(DonationSerializer(donation).data)


class ReferralSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    party = serializers.CharField(source="party.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="referred, briefed or withdrawn")
    basis = NeedToKnowField(field=Sensitive.BRIEFING_BASIS, attribute="basis")

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "party",
            "subject",
            "name",
            "birth_date",
            "country",
            "organisation",
            "what_party_knows",
            "status",
            "recommendation",
            "tlp",
            "briefing",
            "basis",
            "briefed_at",
            "created_at",
        ]
        read_only_fields = ["recommendation", "tlp", "briefing", "briefed_at", "created_at"]


class ReferralInputSerializer(serializers.Serializer):
    party = serializers.UUIDField()
    subject = serializers.ChoiceField(choices=Referral.Subject.choices)
    name = serializers.CharField(max_length=300, validators=[valid_unicode])
    birth_date = _text(10)
    country = _text(2)
    organisation = _text(300)
    what_party_knows = _text(10_000)


class ReferralViewSet(mixins.CreateModelMixin, ReadOnlyVisibleViewSet[Referral]):
    model = Referral
    serializer_class = ReferralSerializer
    permission_classes = KEEPS_DONATIONS.permissions

    def refine(self, visible: QuerySet[Referral]) -> QuerySet[Referral]:
        return visible.select_related("party")

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Refer a prospective donor, candidate or staffer to the security team."""
        incoming = ReferralInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        party = Organisation.objects.filter(public_id=data.pop("party")).first()
        if party is None:
            raise serializers.ValidationError({"party": "No such party."})
        try:
            referral = referral_services.refer(
                data=referral_services.ReferralInput(party=party, **data), actor=self.user
            )
        except referral_services.ReferralError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        body = ReferralSerializer(referral, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=BriefingInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def brief(self, request: Request, public_id: str, **_: Any) -> Response:
        """Return the briefing to the party (security officers only)."""
        actor = check(request, SECURITY_TEAM)
        incoming = BriefingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            referral = referral_services.brief_party(
                referral=self.get_object(), actor=actor, **incoming.validated_data
            )
        except referral_services.ReferralError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(ReferralSerializer(referral, context={"request": request}).data)


class InterestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Interest
        fields = [
            "id",
            "member",
            "house",
            "category",
            "donor_name",
            "donor_status",
            "description",
            "value",
            "received_on",
            "accepted_on",
            "registrable",
            "register_by",
            "registered_on",
            "foreign_state_funded",
        ]


class InterestViewSet(ReadOnlyVisibleViewSet[Interest]):
    model = Interest
    serializer_class = InterestSerializer
    permission_classes = KEEPS_REGISTER.permissions

    def refine(self, visible: QuerySet[Interest]) -> QuerySet[Interest]:
        return visible.select_related("member")


class PolicyRuleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = PolicyRule
        fields = [
            "id",
            "key",
            "amount",
            "days",
            "parameters",
            "effective_from",
            "effective_to",
            "legal_status",
            "source",
            "note",
            "switched_on",
        ]


class PolicyRuleViewSet(ReadOnlyVisibleViewSet[PolicyRule]):
    model = PolicyRule
    serializer_class = PolicyRuleSerializer
    permission_classes = READS_DONATION_RULES.permissions


router = DefaultRouter()
router.register("donations", DonationViewSet, basename="donation")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("interests", InterestViewSet, basename="interest")
router.register("donation-rules", PolicyRuleViewSet, basename="donation-rule")

urlpatterns = [path("", include(router.urls))]
