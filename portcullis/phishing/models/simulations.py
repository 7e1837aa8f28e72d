"""Mystery-shopper simulations: the lures, where they lead, how they are sent, to whom, with whose
authority, and what happened (the event timeline).

Per-person results are for the security team only; office managers see their office's figures.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from portcullis.accounts.models import Office, Organisation, Person, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 24 URL-safe characters, 144 bits


class SendingProfile(models.Model):
    """An SMTP relay the simulation mails leave through. Its password is sealed at rest
    (`lib.sealed`), or named as an environment variable on the server."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=587)
    username = models.CharField(max_length=200, blank=True)
    password_env = models.CharField(
        max_length=100,
        blank=True,
        help_text="Or the name of an environment variable on the server that holds it",
    )
    password_sealed = models.BinaryField(default=b"", blank=True, editable=False)
    use_tls = models.BooleanField("STARTTLS", default=True)
    use_ssl = models.BooleanField("TLS from the start (SMTPS)", default=False)
    envelope_from = models.EmailField(help_text="Return path; bounces come back here")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_password(self) -> bool:
        return bool(self.password_sealed) or bool(self.password_env)


class LandingPage(models.Model):
    """Where a clicked link leads. It asks for details but keeps none of them (see views)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Sign-in page"
        DOCUMENT = "document", "Document download"
        FORM = "form", "Form"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SIGN_IN)
    brand = models.CharField(max_length=80, help_text="Name shown at the top of the page")
    heading = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    continue_label = models.CharField(
        max_length=60, default="Continue", help_text="The confirming step a person clicks"
    )
    fields = models.JSONField(default=list, help_text="Labels of the fields the page asks for")
    submit_label = models.CharField(max_length=60, default="Sign in")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmailTemplate(models.Model):
    """A lure: subject, sender and body (HTML and text) with placeholders ({{ link }} etc.)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    from_name = models.CharField(max_length=120)
    from_address = models.EmailField()
    subject = models.CharField(max_length=200)
    html_body = models.TextField()
    text_body = models.TextField()
    landing_page = models.ForeignKey(LandingPage, on_delete=models.PROTECT, related_name="+")
    tell_tale_signs = models.JSONField(
        default=list, help_text="What should have given it away; shown to whoever falls for it"
    )
    from_library = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LureAttachment(models.Model):
    """A harmless document sent with every copy of a lure (checked by `authoring.check_attachment`).
    Stored under a random name outside the static and public directories."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(
        EmailTemplate, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="phishing/lure-attachments/%Y/%m/", max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name


class DoNotTestQuerySet(models.QuerySet["DoNotTest"]):
    def active_on(self, day: date) -> DoNotTestQuerySet:
        return self.filter(Q(until__isnull=True) | Q(until__gte=day))


class DoNotTest(models.Model):
    """People never sent a simulation (after a bereavement, during an investigation, ...)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="do_not_test")
    reason = models.CharField(max_length=300)
    until = models.DateField(null=True, blank=True, help_text="Empty: until removed")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = DoNotTestQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name"]
        verbose_name = "do-not-test entry"
        verbose_name_plural = "do-not-test list"

    def __str__(self) -> str:
        return f"Do not test {self.person}"


class SimulationCampaignQuerySet(models.QuerySet["SimulationCampaign"]):
    def visible_to(self, user: User | AnonymousUser) -> SimulationCampaignQuerySet:
        """Security officers see every campaign; office managers those that tested their office
        (for its aggregate figures only); nobody else any."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.has(Role.SECURITY_OFFICER):
            return self.all()
        if scope.managed_office_ids:
            return self.filter(targets__office_id__in=scope.managed_office_ids).distinct()
        return self.none()


class SimulationCampaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=160)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    template = models.ForeignKey(EmailTemplate, on_delete=models.PROTECT, related_name="campaigns")
    profile = models.ForeignKey(SendingProfile, on_delete=models.PROTECT, related_name="campaigns")
    offices = models.ManyToManyField(Office, related_name="+")
    roles = models.JSONField(default=list, help_text="Membership roles to test, e.g. staffer")
    # People the security officer took off the target list before scheduling.
    excluded_people = models.ManyToManyField(Person, blank=True, related_name="+")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    day_starts = models.TimeField(default=time(9, 30))
    day_ends = models.TimeField(default=time(16, 30))
    remedial_course = models.ForeignKey(
        "training.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Assigned automatically to anyone who submits details",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)

    objects = SimulationCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-window_start"]

    def __str__(self) -> str:
        return self.name

    @property
    def authorisation_or_none(self) -> Authorisation | None:
        return getattr(self, "authorisation", None)

    def authorised_on(self, day: date) -> bool:
        auth = self.authorisation_or_none
        return auth is not None and auth.valid_from <= day <= auth.valid_until


class Authorisation(models.Model):
    """The recorded approval without which nothing is sent: who approved, for what, and when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.OneToOneField(
        SimulationCampaign, on_delete=models.CASCADE, related_name="authorisation"
    )
    approver_name = models.CharField(max_length=200)
    approver_position = models.CharField(max_length=200)
    approved_on = models.DateField()
    scope = models.TextField(help_text="What was approved: who may be tested, and how")
    valid_from = models.DateField()
    valid_until = models.DateField()
    reference = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Authorisation of {self.campaign} by {self.approver_name}"


class TargetQuerySet(models.QuerySet["Target"]):
    def visible_to(self, user: User | AnonymousUser) -> TargetQuerySet:
        """Per-person results: the security team only."""
        if user.is_authenticated and user.scope.has(Role.SECURITY_OFFICER):
            return self.all()
        return self.none()

    def counted_for(self, user: User | AnonymousUser) -> TargetQuerySet:
        """The rows a user's aggregate figures may count: every target for the security team,
        the targets in the offices they manage for an office manager, none for anyone else.
        (Counted, never listed: small groups are suppressed by `results.Figures`.)"""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if scope.has(Role.SECURITY_OFFICER):
            return self.all()
        return self.filter(office_id__in=scope.managed_office_ids)

    def due(self, now: datetime) -> TargetQuerySet:
        return self.filter(
            sent_at__isnull=True,
            bounced_at__isnull=True,
            scheduled_for__lte=now,
            campaign__status=SimulationCampaign.Status.SCHEDULED,
        )


class Target(models.Model):
    """One person in one campaign. The timestamps summarise the counted events."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        SimulationCampaign, on_delete=models.CASCADE, related_name="targets"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    office = models.ForeignKey(Office, null=True, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    scheduled_for = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_for", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="target_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.campaign}"

    @property
    def minutes_to_report(self) -> float | None:
        if self.sent_at is None or self.reported_at is None:
            return None
        return (self.reported_at - self.sent_at).total_seconds() / 60


class Event(models.Model):
    """The timeline. Automated fetches (mail scanners, link previews) are kept but not counted."""

    class Kind(models.TextChoices):
        SENT = "sent", "Sent"
        BOUNCED = "bounced", "Bounced"
        OPENED = "opened", "Opened"
        CLICKED = "clicked", "Clicked"
        SUBMITTED = "submitted", "Submitted details"
        REPORTED = "reported", "Reported"

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    counted = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
