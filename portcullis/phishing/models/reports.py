"""E-mails people report as suspicious, with the analyser's verdict and the triage that follows.

The raw message is kept (bounded in size) as bytes: it is never rendered, only re-analysed or
downloaded by the security team as an attachment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Concat, Lower

from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, Person
from portcullis.intel.models import Alert, Match

from ..analysis.alerts import with_alert_matches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

# Larger than any genuine e-mail a person forwards; the analyser's own bound is the same.
MAX_RAW_BYTES = 10 * 1024 * 1024


# Said of any upload that is not a message (text, a document, random bytes, an empty file).
NOT_AN_EMAIL = (
    "This does not look like an e-mail: in Outlook use Save as (.msg) or forward it as an "
    "attachment"
)


class Verdict(models.TextChoices):
    MALICIOUS = "malicious", "Malicious"
    SUSPICIOUS = "suspicious", "Suspicious"
    # Never "clean" to a reporter: the analyser only knows the signs it looks for.
    CLEAN = "clean", "No known warning signs"


class ReportedEmailQuerySet(models.QuerySet["ReportedEmail"]):
    def visible_to(self, user: User | AnonymousUser) -> ReportedEmailQuerySet:
        """The security team sees every report; anyone else only the reports they made."""
        if not user.is_authenticated:
            return self.none()
        scope = user.scope
        if SECURITY_TEAM(user):
            return self.all()
        q = Q(submitted_by=user)
        if scope.person_id:
            q |= Q(reporter_id=scope.person_id)
        return self.filter(q)

    def awaiting_triage(self) -> ReportedEmailQuerySet:
        return self.filter(triaged_at__isnull=True)

    def with_matches_for(self, user: User | AnonymousUser) -> ReportedEmailQuerySet:
        """Fetch, in a fixed number of queries, the alert matches each report shows this user:
        only those whose alert TLP and audience let them read it."""
        readable = Match.objects.visible_to(user).select_related("alert", "indicator")
        return self.select_related("origin").prefetch_related(
            Prefetch("origin__matches", queryset=readable, to_attr="readable_matches")
        )


@dataclass(frozen=True)
class Assessment:
    """A report as one reader is shown it: the analyser's result, raised by the alert matches
    that reader may see (the security team: all of them). A match with an alert the reader may
    not read changes nothing here, so the page says nothing about it."""

    verdict: str  # the analyser's, raised to at least suspicious by a readable alert match
    effective_verdict: str  # the security team's override, else `verdict`
    score: float
    indicators: list[dict[str, Any]]
    alerts: list[Alert] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)

    def get_verdict_display(self) -> str:
        return str(Verdict(self.verdict).label)

    def get_effective_verdict_display(self) -> str:
        return str(Verdict(self.effective_verdict).label)


class ReportedEmail(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded on a page"
        API = "api", "API"
        MAILBOX = "mailbox", "Report mailbox"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    # Who reported it: a directory person when we know them, and the address it came from.
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_emails"
    )
    reporter_address = models.EmailField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_emails",
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_emails"
    )
    # The Message-ID of the report as it reached the mailbox: one report per mailbox message.
    mailbox_message_id = models.CharField(max_length=300, blank=True, db_index=True)

    raw = models.BinaryField(editable=False)
    raw_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    fingerprint = models.CharField(
        max_length=64, db_index=True, help_text="Normalised hash: the same lure sent to many people"
    )
    subject = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=320, blank=True)

    analysis = models.JSONField()
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    score = models.FloatField()
    override_verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    alert_requested_at = models.DateTimeField(null=True, blank=True)
    alert_note = models.CharField(max_length=1000, blank=True)
    alert = models.ForeignKey(
        "intel.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_sent_at = models.DateTimeField(null=True, blank=True)
    # What intel made of the e-mail (sightings, alert matches, campaign) hangs off its origin.
    origin = models.OneToOneField(
        "intel.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    simulation_target = models.ForeignKey(
        "phishing.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    objects = ReportedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Counting what awaits triage reads this small index, not the messages' wide rows.
            models.Index(
                fields=["fingerprint"],
                condition=Q(triaged_at__isnull=True),
                name="phishing_report_untriaged",
            ),
            # The API's list, newest first, reads this index instead of sorting every report.
            models.Index(fields=["created_at", "id"], name="phishing_report_created"),
        ]

    def __str__(self) -> str:
        return f"Reported e-mail {self.subject[:80] or '(no subject)'}"

    @property
    def effective_verdict(self) -> str:
        return self.override_verdict or self.verdict

    def get_effective_verdict_display(self) -> str:
        return str(Verdict(self.effective_verdict).label)

    @property
    def indicators(self) -> list[dict[str, object]]:
        found: list[dict[str, object]] = self.analysis.get("indicators", [])
        return found

    @property
    def is_simulation(self) -> bool:
        return self.simulation_target_id is not None

    def matches_for(self, user: User | AnonymousUser) -> list[Match]:
        """The alert matches this user may read (prefetched by `with_matches_for`, or asked)."""
        if self.origin is None:
            return []
        prefetched: list[Match] | None = getattr(self.origin, "readable_matches", None)
        if prefetched is not None:
            return prefetched
        return list(
            Match.objects.visible_to(user)
            .filter(origin=self.origin)
            .select_related("alert", "indicator")
        )

    def assessment_for(self, user: User | AnonymousUser) -> Assessment:
        matches = self.matches_for(user)
        shown = with_alert_matches(
            self.analysis, [f"{m.explanation} Alert {m.alert.reference}." for m in matches]
        )
        verdict = str(shown.get("verdict", self.verdict))
        alerts = list({m.alert_id: m.alert for m in matches}.values())
        return Assessment(
            verdict=verdict,
            effective_verdict=self.override_verdict or verdict,
            score=float(shown.get("score", self.score)),
            indicators=list(shown.get("indicators", [])),
            alerts=alerts,
            matches=matches,
        )


class MessageGroupQuerySet(models.QuerySet["MessageGroup"]):
    def visible_to(self, user: User | AnonymousUser) -> MessageGroupQuerySet:
        """A group counts everybody's copies of a message: the security team's alone."""
        if not user.is_authenticated or not SECURITY_TEAM(user):
            return self.none()
        return self.all()

    def awaiting_triage(self) -> MessageGroupQuerySet:
        return self.filter(awaiting__gt=0)


class MessageGroup(models.Model):
    """Every reported copy of one message (one fingerprint), summarised for the triage queue.

    Kept by the services that file and triage copies (`services.reports.refresh_groups`, in
    their transaction), so the queue reads one row per message instead of grouping 100,000
    copies on every page. Nothing else writes it.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    # The earliest copy: what the queue links to, and the subject and sender it shows.
    first_report = models.ForeignKey(ReportedEmail, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    copies = models.PositiveIntegerField(default=0)
    awaiting = models.PositiveIntegerField(default=0)  # copies not yet triaged
    first_at = models.DateTimeField()
    latest_at = models.DateTimeField()
    top_score = models.FloatField(default=0)
    verdict = models.CharField(max_length=12, choices=Verdict.choices)  # the top-scored copy's
    # What the queue's search reads (PostgreSQL also indexes it by trigrams, migration 0009).
    search_text = models.GeneratedField(
        expression=Lower(Concat("subject", Value(" "), "sender", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = MessageGroupQuerySet.as_manager()

    class Meta:
        # An index for each order the queue offers, so that no page sorts every message; the
        # default one (latest first, awaiting triage) also as a partial index of what awaits.
        indexes = [
            models.Index(fields=["latest_at", "id"], name="phishing_group_latest"),
            models.Index(
                fields=["latest_at", "id"],
                condition=Q(awaiting__gt=0),
                name="phishing_group_awaiting",
            ),
            models.Index(fields=["first_at", "id"], name="phishing_group_first"),
            models.Index(fields=["copies", "id"], name="phishing_group_copies"),
            models.Index(fields=["top_score", "id"], name="phishing_group_score"),
            models.Index(fields=["subject", "id"], name="phishing_group_subject"),
            models.Index(fields=["sender", "id"], name="phishing_group_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.copies} report(s) of {self.subject[:80] or '(no subject)'}"
