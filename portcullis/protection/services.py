"""The only writers of vetting and device records. Each writes a ledger entry."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from portcullis import ledger
from portcullis.accounts.models import Person
from portcullis.ledger.actors import Actor
from portcullis.training import compliance_cache

from .models import Clearance, ExposureProfile, SosDevice

if TYPE_CHECKING:
    pass


class InvalidChangeError(Exception):
    pass


@transaction.atomic
def set_exposure_tier(
    *, person: Person, tier: int, reason: str, actor: Actor, today: date
) -> ExposureProfile:
    profile, _ = ExposureProfile.objects.update_or_create(
        person=person, defaults={"tier": tier, "reason": reason, "updated_on": today}
    )
    ledger.record(actor=actor, action="exposure.set", target=person, data={"tier": tier})
    return profile


@transaction.atomic
def record_clearance(
    *,
    person: Person,
    level: str,
    status: str,
    applied_on: date,
    actor: Actor,
    granted_on: date | None = None,
    expires_on: date | None = None,
    reference: str = "",
) -> Clearance:
    if status == Clearance.Status.CLEARED and granted_on is None:
        raise InvalidChangeError("A cleared clearance needs the date it was granted.")
    if granted_on and expires_on and expires_on <= granted_on:
        raise InvalidChangeError("A clearance must expire after it is granted.")
    clearance = Clearance.objects.create(
        person=person,
        level=level,
        status=status,
        applied_on=applied_on,
        granted_on=granted_on,
        expires_on=expires_on,
        reference=reference,
    )
    compliance_cache.changed()
    ledger.record(
        actor=actor,
        action="clearance.record",
        target=clearance,
        data={"level": level, "status": status, "expires_on": expires_on},
    )
    return clearance


@transaction.atomic
def issue_device(*, person: Person, serial: str, actor: Actor, today: date) -> SosDevice:
    if SosDevice.objects.filter(serial=serial).exists():
        raise InvalidChangeError(f"Device {serial} is already on record.")
    device = SosDevice.objects.create(person=person, serial=serial, issued_on=today)
    compliance_cache.changed()
    ledger.record(actor=actor, action="sos_device.issue", target=device)
    return device


@transaction.atomic
def record_device_test(*, device: SosDevice, actor: Actor, today: date) -> SosDevice:
    if device.returned_on is not None:
        raise InvalidChangeError("A returned device cannot be tested.")
    device.last_tested_on = today
    device.save(update_fields=["last_tested_on"])
    compliance_cache.changed()
    ledger.record(actor=actor, action="sos_device.test", target=device)
    return device


@transaction.atomic
def return_device(*, device: SosDevice, actor: Actor, today: date) -> SosDevice:
    if device.returned_on is not None:
        raise InvalidChangeError("This device has already been returned.")
    device.returned_on = today
    device.save(update_fields=["returned_on"])
    compliance_cache.changed()
    ledger.record(actor=actor, action="sos_device.return", target=device)
    return device
