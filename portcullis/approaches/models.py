"""Suspicious-approach reports ("recognise, resist, report"), their evidence, and triage notes. What
intel made of a report (sightings, alert matches, campaign) hangs off its `origin`.

Who sees a report: its reporter; colleagues in the office it was made for, unless the reporter
asked not to be named; and the security team, who see everything.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils import timezone

from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, Person
from portcullis.accounts.need_to_know import Sensitive, may_read
from portcullis.intel.models import Match

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User
    from portcullis.intel.models import Campaign


class Channel(models.TextChoices):
    NETWORK = "network", "LinkedIn or another professional or social network"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone call or messaging app"
    IN_PERSON = "in_person", "In person"
    EVENT = "event", "At an event or conference"
    LETTER = "letter", "Letter or parcel"


class Persona(models.TextChoices):
    RECRUITER = "recruiter", "Recruiter or headhunter"
    JOURNALIST = "journalist", "Journalist"
    ACADEMIC = "academic", "Academic or researcher"
    LOBBYIST = "lobbyist", "Lobbyist"
    DIPLOMAT = "diplomat", "Diplomat or official"
    THINK_TANK = "think_tank", "Think tank"
    BUSINESS = "business", "Business person or investor"
    OTHER = "other", "Other or not sure"


class Ask(models.TextChoices):
    MEETING = "meeting", "A meeting, call or private conversation"
    INFORMATION = "information", "Non-public or insider information"
    REPORTS = "reports", "Written reports or analysis"
    INTRODUCTIONS = "introductions", "Introductions to colleagues or contacts"
    INFLUENCE = "influence", "Raising an issue, asking a question or lobbying"
    OTHER = "other", "Something else"


class Offer(models.TextChoices):
    CONSULTANCY = "consultancy", "Paid consultancy"
    TRAVEL = "travel", "Travel, often all expenses paid"
    GIFTS = "gifts", "Gifts or hospitality"
    CASH_CRYPTO = "cash_crypto", "Payment in cash or cryptocurrency"
    JOB = "job", "A job or position"


class WarningSign(models.TextChoices):
    FLATTERY = "flattery", "Flattery"
    URGENCY = "urgency", "Pressure to reply quickly"
    TOO_GOOD = "too_good", "Too good to be true"
    PRIVATE_CHANNEL = "private_channel", "Moving to private channels (WhatsApp, personal e-mail)"
    NON_PUBLIC = "non_public", "Requests for non-public information"
    VAGUE_PROFILE = "vague_profile", "Vague or unverifiable profile or company"


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: User | AnonymousUser) -> ReportQuerySet:
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if SECURITY_TEAM(user):
            return self.all()
        q = Q(reporter=user)
        if scope.office_ids:
            q |= Q(office_id__in=scope.office_ids, anonymous=False)
        return self.filter(q)

    def with_matches_for(self, user: User | AnonymousUser) -> ReportQuerySet:
        """Fetch, in a fixed number of queries, the alert matches each report shows this user:
        only those whose alert TLP lets them read (`matches_for` then asks no more)."""
        readable = Match.objects.visible_to(user).select_related("alert", "indicator")
        return self.select_related("origin").prefetch_related(
            Prefetch("origin__matches", queryset=readable, to_attr="readable_matches")
        )


class Report(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        INVESTIGATING = "investigating", "Investigating"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        HOSTILE = "hostile", "Hostile approach confirmed"
        SUSPICIOUS = "suspicious", "Suspicious, not confirmed"
        BENIGN = "benign", "Genuine contact"
        REFERRED = "referred", "Referred to police or partners"
        DUPLICATE = "duplicate", "Duplicate of another report"

    class Reliability(models.TextChoices):
        A = "A", "A – Completely reliable"
        B = "B", "B – Usually reliable"
        C = "C", "C – Fairly reliable"
        D = "D", "D – Not usually reliable"
        E = "E", "E – Unreliable"
        F = "F", "F – Reliability cannot be judged"

    class Credibility(models.TextChoices):
        C1 = "1", "1 – Confirmed by other sources"
        C2 = "2", "2 – Probably true"
        C3 = "3", "3 – Possibly true"
        C4 = "4", "4 – Doubtful"
        C5 = "5", "5 – Improbable"
        C6 = "6", "6 – Truth cannot be judged"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approach_reports"
    )
    reporter_person = models.ForeignKey(
        Person, null=True, on_delete=models.PROTECT, related_name="approach_reports"
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="approach_reports"
    )
    anonymous = models.BooleanField(default=False)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    persona = models.CharField(max_length=20, choices=Persona.choices)
    asks = models.JSONField(default=list, blank=True)
    offers = models.JSONField(default=list, blank=True)
    warning_signs = models.JSONField(default=list, blank=True)
    approacher_name = models.CharField(max_length=200, blank=True)
    approacher_organisation = models.CharField(max_length=200, blank=True)
    approacher_contact = models.CharField(max_length=500, blank=True)
    account = models.TextField(max_length=20_000, blank=True)
    occurred_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_approach_reports",
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    credibility = models.CharField(max_length=1, choices=Credibility.choices, blank=True)
    feedback = models.TextField(max_length=5000, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    # What intel knows of the report (sightings, alert matches, campaign) hangs off its origin.
    origin = models.OneToOneField(
        "intel.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # What the triage queue's search reads: the words of the report in lower case, kept by the
    # database itself (PostgreSQL also indexes it by trigrams, see migration 0005).
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "approacher_name",
                Value(" "),
                "approacher_organisation",
                Value(" "),
                "approacher_contact",
                Value(" "),
                "account",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # An index for each order the triage queue offers (with the row's id, its tie-breaker),
        # so that no page sorts 100,000 reports. The office and assignee orders sort by a joined
        # name: their indexes hold what the page's first step reads (lib/queues.CappedPaginator).
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["created_at", "id"], name="approaches_report_created"),
            models.Index(fields=["approacher_name", "id"], name="approaches_report_name"),
            models.Index(fields=["channel", "persona", "id"], name="approaches_report_channel"),
            models.Index(fields=["status", "id"], name="approaches_report_status"),
            models.Index(
                fields=["office", "id"], include=["status"], name="approaches_report_office"
            ),
            models.Index(
                fields=["assigned_to", "id"], include=["status"], name="approaches_report_assigned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_channel_display()})"

    def get_absolute_url(self) -> str:
        return reverse("approaches:detail", args=[self.public_id])

    @property
    def reference(self) -> str:
        return "R-" + self.public_id.hex[:8].upper()

    @property
    def campaign(self) -> Campaign | None:
        return self.origin.campaign if self.origin else None

    @property
    def grading(self) -> str:
        return f"{self.reliability}{self.credibility}" if self.reliability else ""

    def labels(self, field: str) -> list[str]:
        choices = {"asks": Ask, "offers": Offer, "warning_signs": WarningSign}[field]
        known = dict(choices.choices)
        return [str(known[v]) for v in getattr(self, field) if v in known]

    def reporter_shown_to(self, user: User) -> str:
        """The reporter's name, or a placeholder for anyone but the security team and the
        reporter themself when they asked not to be named."""
        if self.anonymous and not self.reporter_readable_by(user):
            return "Not named (the reporter asked)"
        return str(self.reporter_person or self.reporter)

    def reporter_readable_by(self, user: User | AnonymousUser) -> bool:
        """The need-to-know rule for the reporter of an anonymous report."""
        if self.reporter_id == getattr(user, "pk", None):
            return True
        return may_read(user, Sensitive.REPORTER, about_person_id=self.reporter_person_id)


class Evidence(models.Model):
    """An uploaded screenshot, forwarded e-mail, PDF or text. Stored under a random name outside
    the static and public directories; downloaded only as an attachment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="approaches/evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class HeldEvidenceQuerySet(models.QuerySet["HeldEvidence"]):
    def held_by(self, user: User | AnonymousUser) -> HeldEvidenceQuerySet:
        """This person's files still held: nobody else's, and none past `HOLD_FOR`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user, held_at__gt=timezone.now() - HeldEvidence.HOLD_FOR)

    def expired(self) -> HeldEvidenceQuerySet:
        return self.filter(held_at__lte=timezone.now() - HeldEvidence.HOLD_FOR)

    def drop(self) -> int:
        """Delete these rows now and their files once that commits (a rollback keeps both)."""
        dropped = list(self.values_list("pk", "file"))
        HeldEvidence.objects.filter(pk__in=[pk for pk, _ in dropped]).delete()
        storage = HeldEvidence._meta.get_field("file").storage
        names = [name for _, name in dropped if name]

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
        return len(dropped)


class HeldEvidence(models.Model):
    """A file that passed the evidence checks on a report form that came back with an error: held
    for its owner only until they send the report (it becomes `Evidence`), remove it, or it
    expires. It is never served, not even to its owner; the form shows its name and size."""

    HOLD_FOR = datetime.timedelta(hours=24)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="approaches/held/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    held_at = models.DateTimeField(default=timezone.now)

    objects = HeldEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    """A security officer's triage note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.report.reference}"


def matches_for(report: Report, user: User | AnonymousUser) -> list[Match]:
    """The report's alert matches this user may read. A match with an alert they may not read is
    the security team's alone: nothing here says that it exists."""
    origin = report.origin
    if origin is None:
        return []
    prefetched: list[Match] | None = getattr(origin, "readable_matches", None)
    if prefetched is not None:
        return prefetched
    return list(
        Match.objects.visible_to(user).filter(origin=origin).select_related("alert", "indicator")
    )
