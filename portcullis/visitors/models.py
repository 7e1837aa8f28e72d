"""Visitors: invitations (one or more visitors each), the visits they make, passholders on the
estate, the desk's response level and evacuation roll calls.

Who sees a visit: its host, co-hosts and named escorts; the managers of its office; gate officers
today's visits and anyone still on site; the security team everything. Anything else is a 404.
Why a visit is held (its screening) is the security team's alone (`Sensitive.VISITOR_SCREENING`).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from portcullis.accounts.access import SECURITY_TEAM, WORKS_THE_GATE
from portcullis.accounts.models import Office, Role, User

from .rules import IdType, Level

if TYPE_CHECKING:
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

# Letters and digits a gate officer cannot misread (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


class Area(models.Model):
    """A part of the estate a visitor goes to. Some (Westminster Hall, Central Lobby) are open
    to visitors without an escort: a visit to them gets a green pass where the level allows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, unique=True)
    escort_required = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _hosted_by(user: User) -> models.QuerySet[Any]:
    """The ids of the invitations the user hosts, co-hosts, escorts on or manages the office of:
    a union of indexed look-ups (an OR across joins to the co-hosts and escorts would read every
    invitation ever made)."""
    parts: list[models.QuerySet[Any]] = [
        through.objects.filter(user=user).values("invitation_id")
        for through in (Invitation.co_hosts.through, Invitation.escorts.through)
    ]
    if user.scope.managed_office_ids:
        offices = Invitation.objects.filter(office_id__in=user.scope.managed_office_ids)
        parts.append(offices.order_by().values("pk"))
    own = Invitation.objects.filter(host=user).order_by().values("pk")
    return own.union(*parts, all=True)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def visible_to(self, user: User | AnonymousUser) -> InvitationQuerySet:
        if not user.is_authenticated:
            return self.none()
        if SECURITY_TEAM(user):
            return self.all()
        q = Q(pk__in=_hosted_by(user))
        if user.scope.has(Role.GATE_OFFICER):
            start, end = day_bounds(timezone.localdate())
            q |= Q(starts_at__lt=end, ends_at__gte=start) | Q(visits__status=Visit.Status.ON_SITE)
            return self.filter(pk__in=Invitation.objects.filter(q).values("pk"))
        return self.filter(q)

    def on_day(self, day: date) -> InvitationQuerySet:
        """Invitations whose window falls on `day` (the indexed `starts_at`/`ends_at`)."""
        start, end = day_bounds(day)
        return self.filter(starts_at__lt=end, ends_at__gte=start)


class Invitation(models.Model):
    """A host's invitation of one or more visitors to one area for one time window."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        WALK_IN = "walk_in", "Walk-in"

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed"
        WAITING = "waiting", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVITATION)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="invitations")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_invitations"
    )
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_hosted_invitations"
    )
    escorts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="escort_invitations"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="invitations")
    purpose = models.CharField(max_length=300)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(db_index=True)
    approval = models.CharField(
        max_length=12, choices=Approval.choices, default=Approval.NOT_NEEDED
    )
    approval_reason = models.CharField(max_length=200, blank=True)  # why approval is needed
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("visitors:invitation", args=[self.public_id])

    @property
    def reference(self) -> str:
        return "I-" + self.public_id.hex[:8].upper()

    @property
    def is_approved(self) -> bool:
        return self.approval in (self.Approval.NOT_NEEDED, self.Approval.APPROVED)

    def may_escort_ids(self) -> set[int]:
        """The passholders who may escort its visitors: the host and the named escorts (and
        co-hosts, who are hosts too)."""
        named = User.objects.filter(Q(escort_invitations=self) | Q(co_hosted_invitations=self))
        return {self.host_id, *named.values_list("pk", flat=True)}


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user: User | AnonymousUser) -> VisitQuerySet:
        if not user.is_authenticated:
            return self.none()
        if SECURITY_TEAM(user):
            return self.all()
        q = Q(invitation__in=_hosted_by(user))
        if user.scope.has(Role.GATE_OFFICER):
            # Today's invitations, not today's visits: a subquery of visits joined to their
            # invitations was planned as a nested loop over both (300 ms at 2,000 visitors).
            q |= Q(invitation__in=Invitation.objects.on_day(timezone.localdate()).values("pk"))
            q |= Q(status=Visit.Status.ON_SITE)
        return self.filter(q)

    def expected_on(self, day: date) -> VisitQuerySet:
        start, end = day_bounds(day)
        return self.filter(invitation__starts_at__lt=end, invitation__ends_at__gte=start)

    def at_the_gate(self, user: User | AnonymousUser, day: date) -> VisitQuerySet:
        """The day's visits as the gate works them: all of them for gate officers and the
        security team (who see every visit of the day, so no per-user scoping is needed),
        none for anyone else."""
        return self.expected_on(day) if WORKS_THE_GATE(user) else self.none()

    def on_site(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.ON_SITE)

    def search(self, text: str) -> VisitQuerySet:
        """A scanned QR code (the visit's code, typed by the scanner) or part of a name."""
        text = " ".join(text.split())[:100]
        if not text:
            return self.none()
        code = text.upper().removeprefix("PORTCULLIS-VISIT:")
        # Lowered by the database, as the column was, so both sides fold case alike.
        named = Q(search_name__contains=Lower(Value(text)))
        if len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET):
            return self.filter(Q(code=code) | named)
        return self.filter(named)

    def for_lists(self) -> VisitQuerySet:
        return self.select_related(
            "invitation__office", "invitation__area", "invitation__host__person", "escort__person"
        )


class Visit(models.Model):
    """One visitor's visit on an invitation."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Expected"
        ON_SITE = "on_site", "On site"
        LEFT = "left", "Left"
        REFUSED = "refused", "Refused entry"
        CANCELLED = "cancelled", "Cancelled"

    class Clearance(models.TextChoices):
        """Pre-screening. People outside the security team see only 'held for a security
        check' for HELD, never why."""

        PENDING = "pending", "Not screened yet"
        CLEAR = "clear", "No concerns"
        HELD = "held", "Held for a security check"
        CLEARED = "cleared", "Cleared by the security team"
        BARRED = "barred", "Refused by the security team"

    class Pass(models.TextChoices):
        RED = "red", "Red: must be escorted at all times"
        GREEN = "green", "Green: may move unescorted in public areas"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="visits")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code)
    name = models.CharField("name as on their ID", max_length=200, db_index=True)
    # What the gate's search reads: the name in lower case, kept by the database itself
    # (PostgreSQL also indexes it by trigrams for a search inside names, see migration 0002).
    search_name = models.GeneratedField(
        expression=Lower("name"), output_field=models.CharField(max_length=200), db_persist=True
    )
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXPECTED)
    clearance = models.CharField(
        max_length=10, choices=Clearance.choices, default=Clearance.PENDING
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)  # details confirmed, consent given
    screened_at = models.DateTimeField(null=True, blank=True)
    # What screening and intel hold about the visitor (shown to the security team only).
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.OneToOneField(
        "intel.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_reason = models.CharField(max_length=500, blank=True)  # the security team's words
    # Why the visit is held, in words, with what a decision applies to:
    # [{"kind": "alert", "indicator": id, "text": ...}, {"kind": "list", "result": id, ...}]
    hold_reasons = models.JSONField(default=list, blank=True)
    # The gate's check of photo ID: its type, whether the name matches, and its expiry. The
    # document number is never stored.
    id_type = models.CharField(max_length=20, choices=IdType.choices, blank=True)
    id_name_matches = models.BooleanField(null=True, blank=True)
    id_expires_on = models.DateField(null=True, blank=True)
    escort = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escorted_visits",
    )
    pass_colour = models.CharField(max_length=5, choices=Pass.choices, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_out_at = models.DateTimeField(null=True, blank=True)
    refused_reason = models.CharField(max_length=500, blank=True)
    overstay_flagged_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["invitation__starts_at", "name", "pk"]
        indexes = [models.Index(fields=["status", "invitation"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("visitors:visit", args=[self.public_id])

    @property
    def reference(self) -> str:
        return "V-" + self.public_id.hex[:8].upper()

    @property
    def qr_text(self) -> str:
        return f"PORTCULLIS-VISIT:{self.code}"

    @property
    def is_overstaying(self) -> bool:
        return self.status == self.Status.ON_SITE and self.invitation.ends_at < timezone.now()

    def admission_problem(self, now: datetime | None = None) -> str:
        """Why this visitor may not be admitted now, in words for the gate; '' if they may."""
        now = now or timezone.now()
        invitation = self.invitation
        if self.status != self.Status.EXPECTED:
            return f"This visit is {self.get_status_display().lower()}."
        if invitation.cancelled_at:
            return "The invitation was cancelled."
        if invitation.approval == Invitation.Approval.WAITING:
            if invitation.kind == Invitation.Kind.WALK_IN:
                return "This walk-in has not been approved by the host or the security team."
            return "The invitation is waiting for the security team's approval (short notice)."
        if invitation.approval == Invitation.Approval.REFUSED:
            return "The invitation was refused."
        if self.confirmed_at is None:
            return "The visitor has not confirmed their details."
        if self.clearance in (self.Clearance.PENDING, self.Clearance.HELD):
            return "Held for a security check: call the security team."
        if self.clearance == self.Clearance.BARRED:
            return "Refused by the security team."
        if timezone.localdate(invitation.starts_at) > timezone.localdate(now):
            return "The visit is on a later day."
        if invitation.ends_at <= now:
            return "The invitation's time window has ended."
        return ""


class VisitorDecision(models.Model):
    """A security officer's decision about an alert match for a visitor, remembered for the next
    visit of the same person (`subject_key` is screening's key for the visitor's name).
    Decisions on sanctions and watchlist entries are screening's own `Decision`s."""

    class Verdict(models.TextChoices):
        CLEAR = "clear", "Not the person in the alert"
        BAR = "bar", "The person in the alert"

    subject_key = models.CharField(max_length=64, db_index=True)
    indicator = models.ForeignKey("intel.Indicator", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=5, choices=Verdict.choices)
    reason = models.CharField(max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} ({self.decided_at:%Y-%m-%d})"


class PresenceQuerySet(models.QuerySet["Presence"]):
    def current(self) -> PresenceQuerySet:
        return self.filter(left_at__isnull=True)


class Presence(models.Model):
    """A passholder signed in on the estate (from arrival to leaving): only then may they
    escort."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences"
    )
    arrived_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(left_at__isnull=True), name="presence_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on the estate since {self.arrived_at:%H:%M}"


class LevelChange(models.Model):
    """The desk's response level, as switched by a security officer. The latest row is in
    force; with none, the level is Normal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    level = models.CharField(max_length=12, choices=Level.choices)
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} since {self.set_at:%Y-%m-%d %H:%M}"


def current_level() -> str:
    latest = LevelChange.objects.values_list("level", flat=True).first()
    return latest or Level.NORMAL


class RollCallQuerySet(models.QuerySet["RollCall"]):
    def visible_to(self, user: User | AnonymousUser) -> RollCallQuerySet:
        return self.all() if WORKS_THE_GATE(user) else self.none()


class RollCall(models.Model):
    """An evacuation roll call: everyone on site when it started, marked located by marshals."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RollCallQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Roll call {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("visitors:roll-call", args=[self.public_id])


class RollCallEntry(models.Model):
    """One visitor on site at the start, as they were then (the snapshot survives later
    edits and anonymisation of the visit)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="entries")
    visit = models.ForeignKey(Visit, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=120)
    host = models.CharField(max_length=200)
    escort = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    located_at = models.DateTimeField(null=True, blank=True)
    located_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area", "name", "pk"]

    def __str__(self) -> str:
        return self.name
