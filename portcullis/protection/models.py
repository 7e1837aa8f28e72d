"""Exposure tier, staff vetting (clearances) and SOS/lone-worker devices.

All funded staff must hold a current clearance (House of Commons Commission, from 1 April 2025);
every member, and any funded staffer who asks, may carry an SOS device, which should be tested
regularly and handed back on leaving.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from portcullis.accounts.models import Person

from .scoping import protected_people

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User

RENEWAL_NOTICE = timedelta(days=180)  # start renewal six months before a clearance lapses
DEVICE_TEST_INTERVAL = timedelta(days=90)  # an untested alarm is a false comfort


class ExposureProfile(models.Model):
    """How exposed a person is: decides which extra training and support applies."""

    class Tier(models.IntegerChoices):
        STANDARD = 1, "Standard"
        ELEVATED = 2, "Elevated"
        HIGH = 3, "High"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="exposure")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.STANDARD)
    reason = models.CharField(max_length=300, blank=True)
    updated_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.person}: {self.get_tier_display()}"


class ClearanceQuerySet(models.QuerySet["Clearance"]):
    def visible_to(self, user: User | AnonymousUser) -> ClearanceQuerySet:
        return self.filter(person__in=protected_people(user))

    def current(self, today: date) -> ClearanceQuerySet:
        return self.filter(status=Clearance.Status.CLEARED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )


class Clearance(models.Model):
    class Level(models.TextChoices):
        CTC = "ctc", "Counter-Terrorist Check (CTC)"
        SC = "sc", "Security Check (SC)"
        DV = "dv", "Developed Vetting (DV)"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        IN_PROGRESS = "in_progress", "In progress"
        CLEARED = "cleared", "Cleared"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="clearances")
    level = models.CharField(max_length=3, choices=Level.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField()
    granted_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=60, blank=True)

    objects = ClearanceQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "-applied_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_level_display()} ({self.get_status_display()})"

    def is_current(self, today: date) -> bool:
        return self.status == self.Status.CLEARED and (
            self.expires_on is None or self.expires_on >= today
        )

    def renewal_due_on(self) -> date | None:
        return self.expires_on - RENEWAL_NOTICE if self.expires_on else None

    def state(self, today: date) -> str:
        """One word for tables: cleared, renewal due, expired, pending, refused, withdrawn."""
        if self.status == self.Status.CLEARED:
            if self.expires_on and self.expires_on < today:
                return "expired"
            renewal = self.renewal_due_on()
            return "renewal due" if renewal and renewal <= today else "cleared"
        if self.status in (self.Status.APPLIED, self.Status.IN_PROGRESS):
            return "pending"
        return self.get_status_display().lower()


class SosDeviceQuerySet(models.QuerySet["SosDevice"]):
    def visible_to(self, user: User | AnonymousUser) -> SosDeviceQuerySet:
        return self.filter(person__in=protected_people(user))

    def issued(self) -> SosDeviceQuerySet:
        return self.filter(returned_on__isnull=True)


class SosDevice(models.Model):
    """An SOS / lone-worker alarm issued to one person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sos_devices")
    serial = models.CharField(max_length=60, unique=True)
    issued_on = models.DateField()
    last_tested_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)

    objects = SosDeviceQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "-issued_on"]

    def __str__(self) -> str:
        return f"SOS device {self.serial} ({self.person})"

    def test_overdue(self, today: date) -> bool:
        if self.returned_on is not None:
            return False
        last = self.last_tested_on or self.issued_on
        return today - last > DEVICE_TEST_INTERVAL

    def state(self, today: date) -> str:
        if self.returned_on is not None:
            return "returned"
        return "test overdue" if self.test_overdue(today) else "issued and tested"
