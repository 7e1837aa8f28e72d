"""E-mails people report as suspicious, with the analyser's verdict and the triage that follows.

The raw message is kept (bounded in size) as bytes: it is never rendered, only re-analysed or
downloaded by the security team as an attachment.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from portcullis.accounts.access import SECURITY_TEAM
from portcullis.accounts.models import Office, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

# Larger than any genuine e-mail a person forwards; the analyser's own bound is the same.
MAX_RAW_BYTES = 10 * 1024 * 1024


class Verdict(models.TextChoices):
    MALICIOUS = "malicious", "Malicious"
    SUSPICIOUS = "suspicious", "Suspicious"
    CLEAN = "clean", "Clean"


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
    simulation_target = models.ForeignKey(
        "phishing.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    objects = ReportedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

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
