"""Observables; origins (what named them) with their sightings and alert matches; campaigns;
and security alerts (with indicators, TLP and audience).

Who may read an alert is decided in one place, `AlertQuerySet.visible_to`, from its TLP 2.0
marking and its audience; pages, the API, exports and e-mails all go through it.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Membership, Office, Organisation, Person
from portcullis.lib import audience as shared

from .extract import Kind
from .tlp import Tlp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


KIND_CHOICES = [
    (Kind.EMAIL.value, "E-mail address"),
    (Kind.DOMAIN.value, "Domain"),
    (Kind.URL.value, "URL"),
    (Kind.PHONE.value, "Phone number"),
    (Kind.HANDLE.value, "Social handle"),
    (Kind.PERSON.value, "Person"),
    (Kind.ORGANISATION.value, "Organisation"),
]


class ObservableQuerySet(models.QuerySet["Observable"]):
    def visible_to(self, user: User | AnonymousUser) -> ObservableQuerySet:
        return self.all() if SECURITY_TEAM(user) else self.none()


class Observable(models.Model):
    """One e-mail address, domain, URL, phone number, handle or name, stored once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    value = models.CharField(max_length=500)
    display = models.CharField(max_length=500)
    first_seen_at = models.DateTimeField(auto_now_add=True)

    objects = ObservableQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="observable_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.display}"


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: User | AnonymousUser) -> CampaignQuerySet:
        return self.all() if SECURITY_TEAM(user) else self.none()

    def live(self) -> CampaignQuerySet:
        return self.filter(merged_into__isnull=True)


class Campaign(models.Model):
    """Reports linked because they share an observable; security officers merge and split them."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged into another campaign"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    summary = models.TextField("description", blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The security officer who follows this campaign.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intel:campaign-detail", args=[self.public_id])


class AlertQuerySet(models.QuerySet["Alert"]):
    def published(self) -> AlertQuerySet:
        return self.filter(status=Alert.Status.PUBLISHED)

    def in_force(self, today: datetime.date) -> AlertQuerySet:
        """Published and not past its expiry date: the alerts new reports, e-mails and
        screenings are matched against. An expired alert stays readable where it was."""
        return self.published().filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))

    def visible_to(self, user: User | AnonymousUser) -> AlertQuerySet:
        """Security officers see every alert. Anyone else sees a published alert only where its
        TLP lets it reach them: CLEAR and GREEN the whole community; AMBER and AMBER+STRICT the
        offices or parties it was shared with (AMBER also the party's members, whom the party
        must inform); RED only its named recipients."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if SECURITY_TEAM(user):
            return self.all()
        shared = Q(tlp__in=[Tlp.CLEAR, Tlp.GREEN])
        if scope.person_id:
            shared |= Q(recipients__id=scope.person_id)
        not_red = ~Q(tlp=Tlp.RED)
        shared |= Q(audience=Alert.Audience.EVERYONE, tlp=Tlp.AMBER)
        if scope.office_ids:
            shared |= not_red & Q(audience=Alert.Audience.OFFICES, offices__in=scope.office_ids)
        if scope.party_ids:
            shared |= not_red & Q(audience=Alert.Audience.PARTIES, parties__in=scope.party_ids)
        party_id = _party_of(scope.person_id)
        if party_id:
            shared |= Q(audience=Alert.Audience.PARTIES, tlp=Tlp.AMBER, parties__id=party_id)
        ids = self.published().filter(shared).values("pk")
        return self.filter(pk__in=ids)

    def with_delivery_figures(self, person_id: int | None) -> AlertQuerySet:
        """Annotates `acknowledged` (by this person), `notified` and `acknowledgements`:
        subqueries, so a page of alerts costs the same queries as one."""
        deliveries = AlertDelivery.objects.filter(alert=OuterRef("pk"))
        acknowledged = deliveries.filter(acknowledged_at__isnull=False)
        return self.annotate(
            acknowledged=Exists(acknowledged.filter(person_id=person_id or 0)),
            notified=_count_per_alert(deliveries),
            acknowledgements=_count_per_alert(acknowledged),
        )


def _count_per_alert(rows: models.QuerySet[AlertDelivery]) -> Coalesce:
    per_alert = rows.order_by().values("alert_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_alert, output_field=models.IntegerField()), 0)


def _party_of(person_id: int | None) -> int | None:
    if person_id is None:
        return None
    return Person.objects.filter(pk=person_id).values_list("party_id", flat=True).first()


class Alert(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        OFFICES = "offices", "Chosen offices"
        PARTIES = "parties", "Chosen parties (their compliance officers)"
        PEOPLE = "people", "Named people"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Source(models.TextChoices):
        MANUAL = "manual", "Written by the security team"
        REPORT = "report", "From an approach report"
        CAMPAIGN = "campaign", "From a campaign"
        STIX = "stix", "Imported from STIX"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=5000)
    guidance = models.TextField(max_length=5000)
    tlp = models.CharField("TLP", max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    review_on = models.DateField("review by", null=True, blank=True)
    expires_on = models.DateField("expires on", null=True, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    offices = models.ManyToManyField(Office, blank=True, related_name="+")
    parties = models.ManyToManyField(
        Organisation, blank=True, related_name="+", limit_choices_to={"kind": "party"}
    )
    recipients = models.ManyToManyField(Person, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    stix_id = models.CharField(max_length=100, blank=True)  # the report SDO it was imported from
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the expiry job took a published alert's names out of screening (none: still in, or
    # never published); cleared when its expiry date is moved on.
    expired_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("intel:alert-detail", args=[self.public_id])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_expired(self, today: datetime.date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def is_in_force(self, today: datetime.date) -> bool:
        return self.is_published and not self.is_expired(today)

    def is_due_for_review(self, today: datetime.date) -> bool:
        return self.review_on is not None and self.review_on <= today

    def readers(self) -> shared.Audience:
        """Who may read this alert besides the security team, as data that travels with its
        names into the screening index. The same rule as `AlertQuerySet.visible_to` (a test
        holds the two equal for every marking, audience and role)."""
        if self.status != self.Status.PUBLISHED:
            return shared.Audience(label=self.get_tlp_display())
        people = frozenset(self.recipients.values_list("pk", flat=True))
        everyone = self.tlp in (Tlp.CLEAR, Tlp.GREEN) or (
            self.tlp == Tlp.AMBER and self.audience == self.Audience.EVERYONE
        )
        offices: frozenset[int] = frozenset()
        parties: frozenset[int] = frozenset()
        members: frozenset[int] = frozenset()
        if self.tlp != Tlp.RED and self.audience == self.Audience.OFFICES:
            offices = frozenset(self.offices.values_list("pk", flat=True))
        if self.tlp != Tlp.RED and self.audience == self.Audience.PARTIES:
            parties = frozenset(self.parties.values_list("pk", flat=True))
            if self.tlp == Tlp.AMBER:
                members = parties
        return shared.Audience(
            label=self.get_tlp_display(),
            everyone=everyone,
            people=people,
            offices=offices,
            parties=parties,
            party_members=members,
        )

    def audience_people(self) -> models.QuerySet[Person]:
        """Whom publishing notifies: the audience, narrowed by the TLP."""
        active = Q(memberships__ended_on__isnull=True)
        if self.tlp == Tlp.RED or self.audience == self.Audience.PEOPLE:
            people = Person.objects.filter(pk__in=self.recipients.values("pk"))
        elif self.audience == self.Audience.EVERYONE:
            people = Person.objects.filter(user__is_active=True)
        elif self.audience == self.Audience.OFFICES:
            people = Person.objects.filter(active, memberships__office__in=self.offices.all())
        else:
            officers = Membership.objects.active().filter(
                organisation__in=self.parties.all(), office__isnull=True
            )
            q = Q(pk__in=officers.values("person_id"))
            if self.tlp == Tlp.AMBER:
                q |= Q(party__in=self.parties.all())
            people = Person.objects.filter(q)
        return people.distinct()


class Indicator(models.Model):
    """Something an alert names: a person (with aliases), an organisation, or an identifier."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    observable = models.ForeignKey(Observable, on_delete=models.PROTECT, related_name="indicators")
    display = models.CharField(max_length=500)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "display"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "observable"], name="indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.display}"

    @property
    def names(self) -> list[str]:
        return [self.display, *self.aliases]


class AlertDelivery(models.Model):
    """That an alert was sent to someone, and whether they have acknowledged it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "person"], name="delivery_unique")]

    def __str__(self) -> str:
        return f"{self.alert.reference} to {self.person}"


class OriginQuerySet(models.QuerySet["Origin"]):
    def visible_to(self, user: User | AnonymousUser) -> OriginQuerySet:
        return self.all() if SECURITY_TEAM(user) else self.none()


class Origin(models.Model):
    """Something that named observables: an approach report, a reported e-mail, and later a
    visitor, a donor or a trip host. Plain data (app, kind, key) so intel never imports the app
    it came from, and a new kind of origin needs no new table."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    app = models.CharField(max_length=50)
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    category = models.CharField(max_length=100)
    url = models.CharField(max_length=500, blank=True)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="origins"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OriginQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["app", "kind", "key"], name="origin_unique_key")
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return self.url


class SightingQuerySet(models.QuerySet["Sighting"]):
    def visible_to(self, user: User | AnonymousUser) -> SightingQuerySet:
        """Where and when an indicator was seen is the security team's (need-to-know)."""
        return self.all() if SECURITY_TEAM(user) else self.none()


class Sighting(models.Model):
    """An observable seen somewhere: in an origin (a report, an e-mail), at an office, at a time."""

    observable = models.ForeignKey(Observable, on_delete=models.PROTECT, related_name="sightings")
    origin = models.ForeignKey(Origin, on_delete=models.CASCADE, related_name="sightings")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL)
    field = models.CharField(max_length=40)  # where in the origin it was found
    seen_at = models.DateTimeField()

    objects = SightingQuerySet.as_manager()

    class Meta:
        ordering = ["seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["observable", "origin"], name="sighting_unique_origin")
        ]

    def __str__(self) -> str:
        return f"{self.observable} in {self.origin}"


class MatchQuerySet(models.QuerySet["Match"]):
    def visible_to(self, user: User | AnonymousUser) -> MatchQuerySet:
        """The matches whose alert the user may read (TLP and audience)."""
        return self.filter(alert__in=Alert.objects.visible_to(user).values("pk"))


class Match(models.Model):
    """An origin that named something a published alert names, and why it matched."""

    class How(models.TextChoices):
        EXACT = "exact", "Same identifier"
        NAME = "name", "Similar name"

    origin = models.ForeignKey(Origin, on_delete=models.CASCADE, related_name="matches")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="matches")
    how = models.CharField(max_length=10, choices=How.choices)
    score = models.FloatField()
    matched_text = models.CharField(max_length=500)
    explanation = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "indicator"], name="match_unique_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.origin} matches {self.alert.reference}"
